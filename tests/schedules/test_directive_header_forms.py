"""Headers as real documents and web copies have them (issue 15 item 2): a two-column header
copied from a table, «Kinh gửi» without its accent, a subject wrapping over a blank line,
dates with runs of spaces, a signer's name glued to the title, page banners and menus,
recipients without dashes, a portal's «Thông tin văn bản» box, table rows as items."""

from __future__ import annotations

from datetime import date

from schedules.directive import IssueDate, read_text

BODY = (
    "\n\nBan Thường vụ Liên đoàn Lao động tỉnh đề nghị các đơn vị thực hiện:\n\n"
    "1. Tuyên truyền trong đoàn viên, người lao động.\n\n"
    "2. Báo cáo kết quả về Liên đoàn Lao động tỉnh trước ngày 05/8/2025.\n\n"
)
FOOT = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\n\nĐinh Văn Toàn\n"

TWO_COLUMNS = (
    "LIÊN ĐOÀN LAO ĐỘNG TỈNH YÊN BÁI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "BAN THƯỜNG VỤ | Độc lập - Tự do - Hạnh phúc\n"
    "Số: 301/LĐLĐ | Yên Bái, ngày 14 tháng 7 năm 2025\n"
    "V/v tổ chức hoạt động kỷ niệm Ngày thành lập Công đoàn Việt Nam\n\n"
    "Kính gửi: Các công đoàn cơ sở trực thuộc." + BODY + "Nơi nhận: | TM. BAN THƯỜNG VỤ\n"
    "- Như trên; | PHÓ CHỦ TỊCH\n- Lưu: VT.\n\nĐinh Văn Toàn\n"
)


def test_a_two_column_header_copied_from_a_table() -> None:
    reading = read_text(TWO_COLUMNS)
    assert (reading.number, reading.place) == ("301/LĐLĐ", "Yên Bái")
    assert reading.issue_date == IssueDate(2025, 7, 14)
    assert reading.subject == "tổ chức hoạt động kỷ niệm Ngày thành lập Công đoàn Việt Nam"
    assert reading.recipients == ("Các công đoàn cơ sở trực thuộc",)
    assert (reading.signer.title, reading.signer.name) == ("PHÓ CHỦ TỊCH", "Đinh Văn Toàn")
    assert [d.date for d in reading.deadlines] == [date(2025, 8, 5)]


def test_kinh_gui_without_accent_spaced_date_and_a_subject_over_a_blank_line() -> None:
    text = (
        "CÔNG ĐOÀN GIÁO DỤC TỈNH\n\nSố:  45 /CĐGD\nV/v đôn đốc thu, nộp kinh phí công đoàn\n\n"
        "và đoàn phí năm 2025\n\nHà Tĩnh, ngày  04   tháng 9  năm 2025\n\n"
        "Kinh gửi: Ban Chấp hành công đoàn các trường học." + BODY + FOOT
    )
    reading = read_text(
        text.replace(
            "Ban Thường vụ Liên đoàn Lao động tỉnh đề nghị",
            "Ban Thường vụ Công đoàn Giáo dục tỉnh đề nghị",
        )
    )
    assert reading.number == "45/CĐGD"
    assert reading.issuer == "Ban Thường vụ Công đoàn Giáo dục tỉnh Hà Tĩnh"  # «Giáo» is no verb
    assert reading.issue_date == IssueDate(2025, 9, 4)
    assert reading.subject == "đôn đốc thu, nộp kinh phí công đoàn và đoàn phí năm 2025"
    assert reading.recipients == ("Ban Chấp hành công đoàn các trường học",)


def test_recipients_without_dashes_and_a_name_glued_to_the_title() -> None:
    text = (
        "Số: 156/LĐLĐ\nV/v tổ chức Hội nghị người lao động năm 2026\n"
        "Đại Từ, ngày 18 tháng 12 năm 2025\n\nKính gửi:\n"
        "Ban Chấp hành các công đoàn cơ sở khối doanh nghiệp;\n"
        "Ban Chấp hành các công đoàn cơ sở khối hành chính sự nghiệp."
        + BODY
        + "Nơi nhận:\n- Lưu: VT.\n\nTM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH Lương Thị Thu Hà\n"
    )
    reading = read_text(text)
    assert reading.recipients == (
        "Ban Chấp hành các công đoàn cơ sở khối doanh nghiệp",
        "Ban Chấp hành các công đoàn cơ sở khối hành chính sự nghiệp",
    )
    assert (reading.signer.title, reading.signer.name) == ("PHÓ CHỦ TỊCH", "Lương Thị Thu Hà")


def test_a_web_table_with_one_cell_a_line_under_banners_and_menus() -> None:
    text = (
        "Trang chủ | Giới thiệu | Tin tức | Văn bản | Liên hệ\nĐăng nhập   Tìm kiếm...\n"
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN TAM NÔNG\n-------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
        "Số:\n27/KH-LĐLĐ\n|\nTam Nông, ngày\n19 tháng 02 năm 2025\n|\nKẾ HOẠCH\n"
        "PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ\nNĂM 2025" + BODY + FOOT
    )
    reading = read_text(text)
    assert (reading.kind, reading.number, reading.place) == ("kế hoạch", "27/KH-LĐLĐ", "Tam Nông")
    assert reading.issue_date == IssueDate(2025, 2, 19)
    assert reading.subject == "PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ NĂM 2025"


def test_a_portals_document_box_gives_the_header() -> None:
    text = (
        "CỔNG THÔNG TIN ĐIỆN TỬ LIÊN ĐOÀN LAO ĐỘNG TỈNH\nTrang chủ   Tin tức   Văn bản\n"
        "Thông tin văn bản\nSố ký hiệu: 640/LĐLĐ-TG\nNgày ban hành: 17/06/2025\n"
        "Loại văn bản: Thông báo\nCơ quan ban hành: Liên đoàn Lao động tỉnh Cà Mau\n"
        "Người ký: Châu Văn Tài\nTrích yếu: Về việc hưởng ứng Ngày Gia đình Việt Nam 28/6\n"
        "Nội dung:" + BODY + "Tệp đính kèm: 640-LDLD-TG.pdf\n"
    )
    reading = read_text(text)
    assert (reading.kind, reading.number, reading.place) == ("thông báo", "640/LĐLĐ-TG", "Cà Mau")
    assert reading.issue_date == IssueDate(2025, 6, 17)
    assert reading.subject == "hưởng ứng Ngày Gia đình Việt Nam 28/6"
    assert reading.signer.name == "Châu Văn Tài"
    assert reading.source_of("number").value == "header"


def test_the_numbered_rows_of_a_plans_table_are_its_items() -> None:
    text = (
        "Số: 14/KH-CĐVC\nHuế, ngày 08 tháng 7 năm 2025\n\nKẾ HOẠCH\nTổ chức Hội thi nữ công\n\n"
        "Căn cứ chương trình công tác năm 2025, Ban Thường vụ xây dựng tiến độ như sau:\n\n"
        "| TT | Nội dung công việc | Thời gian |\n| --- | --- | --- |\n"
        "| 1 | Ban hành thể lệ Hội thi | Trước ngày 20/7/2025 |\n"
        "| 2 | Các công đoàn cơ sở đăng ký đội thi | Trước ngày 15/8/2025 |\n\n" + FOOT
    )
    reading = read_text(text)
    assert [t.text for t in reading.tasks] == [
        "Ban hành thể lệ Hội thi; Trước ngày 20/7/2025",
        "Các công đoàn cơ sở đăng ký đội thi; Trước ngày 15/8/2025",
    ]
    assert [(d.task_item, d.date) for d in reading.deadlines] == [
        (1, date(2025, 7, 20)),
        (2, date(2025, 8, 15)),
    ]


def test_an_extract_keeps_its_items_own_numbers() -> None:
    text = (
        "Trích Thông báo số 88-TB/LĐLĐ ngày 21/10/2025 của Thường trực LĐLĐ tỉnh\n\n(...)\n\n"
        "3. Về phát triển đoàn viên: đề nghị các đơn vị rà soát chỉ tiêu trong tháng 11/2025.\n\n"
        "4. Về tài chính: nộp kinh phí về LĐLĐ tỉnh chậm nhất ngày 15/12/2025.\n\n(...)\n"
    )
    reading = read_text(text)
    assert [(t.item, t.label) for t in reading.tasks] == [(1, "3"), (2, "4")]
    assert [(d.task_item, d.date) for d in reading.deadlines] == [
        (1, date(2025, 11, 29)),
        (2, date(2025, 12, 15)),
    ]


def test_an_extract_of_a_later_section_labels_its_items_by_that_section() -> None:
    text = (
        "Trích Kế hoạch số 12/KH-LĐLĐ ngày 02/3/2025 của Ban Thường vụ LĐLĐ tỉnh\n\n(...)\n\n"
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Các công đoàn cơ sở đăng ký trước ngày 20/3/2025.\n"
        "2. Ban Tuyên giáo báo cáo kết quả trước ngày 30/4/2025.\n"
    )
    reading = read_text(text)
    assert [t.label for t in reading.tasks] == ["IV.1", "IV.2"]
    assert [(d.task_item, d.date) for d in reading.deadlines] == [
        (1, date(2025, 3, 20)),
        (2, date(2025, 4, 30)),
    ]


def test_a_news_item_with_its_source_tag_and_bulleted_requests() -> None:
    text = (
        "Đắk Nông: Công đoàn chủ động ứng phó mưa lũ\nThứ Hai, 20/10/2025, 15:02\n\n"
        "PTĐN - Ngày 17/10, Liên đoàn Lao động tỉnh Đắk Nông có văn bản số 455/LĐLĐ gửi các "
        "cấp công đoàn về việc chủ động phòng, chống thiên tai năm 2025.\n\n"
        "Liên đoàn Lao động tỉnh yêu cầu các cấp công đoàn:\n"
        "+ Rà soát nơi ở của người lao động ở vùng có nguy cơ sạt lở;\n"
        "+ Báo cáo kết quả về Liên đoàn Lao động tỉnh trước ngày 30/11/2025.\n"
    )
    reading = read_text(text)
    assert (reading.kind, reading.number) == ("bài báo về công văn", "455/LĐLĐ")
    assert reading.issue_date == IssueDate(2025, 10, 17)
    assert reading.subject == "chủ động phòng, chống thiên tai năm 2025"
    assert [t.text[:6] for t in reading.tasks] == ["Rà soá", "Báo cá"]
    assert [(d.task_item, d.date) for d in reading.deadlines] == [(2, date(2025, 11, 30))]


def test_kinh_goi_as_written_in_the_south() -> None:
    text = (
        "Số: 1456/UBND-VP\nV/v triển khai Tháng hành động vì bình đẳng giới\n"
        "Bình Trưng, ngày 04 tháng 11 năm 2025\n\nKính gởi:\n- Công đoàn cơ sở phường;\n"
        "- Các khu phố." + BODY + FOOT
    )
    assert read_text(text).recipients == ("Công đoàn cơ sở phường", "Các khu phố")


def test_a_party_directives_subject_after_its_issuer() -> None:
    text = (
        "TỈNH ỦY LẠNG SƠN\nSố 25-CT/TU\nLạng Sơn, ngày 10 tháng 4 năm 2025\n\nCHỈ THỊ\n"
        "của Ban Thường vụ Tỉnh ủy về tăng cường công tác công đoàn trong tình hình mới" + BODY
    )
    assert read_text(text).subject == "tăng cường công tác công đoàn trong tình hình mới"


def test_items_numbered_inline_in_a_news_paragraph() -> None:
    text = (
        "UBND tỉnh Sơn La vừa ban hành Chỉ thị số 11/CT-UBND ngày 08/9/2025 về việc tăng "
        "cường an toàn lao động.\n\nĐể kiềm chế tai nạn lao động, Chủ tịch UBND tỉnh yêu cầu "
        "thực hiện các nhiệm vụ sau: (1) Sở Xây dựng kiểm tra các công trình, hoàn thành trong "
        "tháng 10/2025; (2) Sở Nội vụ hướng dẫn huấn luyện an toàn; (3) UBND các huyện báo cáo "
        "tình hình tai nạn lao động hằng tháng trước ngày 20.\n"
    )
    reading = read_text(text)
    assert [t.text.split()[0] for t in reading.tasks] == ["Sở", "Sở", "UBND"]
    assert [(d.task_item, d.rule) for d in reading.deadlines] == [
        (1, "within_month"),
        (3, "monthly"),
    ]


def test_a_pdf_footnote_ends_where_the_interrupted_item_resumes() -> None:
    """A PDF has no blank lines: the footnote must not swallow the rest of its item."""
    text = (
        "Số: 15/LĐLĐ\nHà Giang, ngày 02 tháng 3 năm 2025\n"
        "1. Tổ chức Hội nghị người lao động¹ tại doanh nghiệp, hoàn thành trước ngày\n"
        "31/3/2025. Đối với cơ quan hành chính, tổ chức hội nghị theo\n"
        "¹ Theo Điều 63 Bộ luật Lao động năm 2019.\n"
        "hướng dẫn của cơ quan chủ quản, hoàn thành trước ngày 30/4/2025.\n"
        "2. Báo cáo kết quả trước ngày 15/5/2025.\n"
    )
    reading = read_text(text)
    assert [(d.task_item, d.date) for d in reading.deadlines] == [
        (1, date(2025, 3, 31)),
        (1, date(2025, 4, 30)),
        (2, date(2025, 5, 15)),
    ]
    assert "Điều 63" not in reading.tasks[0].text
