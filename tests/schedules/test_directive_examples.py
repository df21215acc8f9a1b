"""Directives written for these tests, of the kinds the seeds show, to prove the rules general."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from schedules.directive import DeadlineKind, IssueDate, Reading, read_document, read_text
from tests.schedules.directive_files import text_pdf

KE_HOACH = """LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU
BAN THƯỜNG VỤ
Số: 112/KH-LĐLĐ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lai Châu, ngày 05 tháng 3 năm 2025

KẾ HOẠCH
Tổ chức Tháng Công nhân và Chương trình Phúc lợi cho đoàn viên,
người lao động năm 2025

Căn cứ Kế hoạch số 12/KH-TLĐ ngày 10/01/2025 của Tổng Liên đoàn Lao động Việt Nam về tổ \
chức Tháng Công nhân năm 2025; Ban Thường vụ Liên đoàn Lao động tỉnh xây dựng kế hoạch \
thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Chăm lo đời sống vật chất, tinh thần cho đoàn viên, người lao động.
2. Các hoạt động thiết thực, hiệu quả, tiết kiệm.

II. NỘI DUNG
1. Tổ chức Tháng Công nhân trong tháng 5; báo cáo kết quả chậm nhất ngày 15 tháng 6 năm 2025.
2. Tổ chức đối thoại tại doanh nghiệp trong quý III.
3. Cập nhật số liệu đoàn viên hằng tháng trước ngày 25 trên phần mềm quản lý đoàn viên.
4. Báo cáo tình hình thu kinh phí công đoàn định kỳ hằng quý.
5. Tổ chức hội nghị người lao động trong tháng 10.
6. Gửi danh sách đề nghị khen thưởng về Ban Tổ chức trước 17 giờ ngày 30/9.

III. TỔ CHỨC THỰC HIỆN
1. LĐLĐ các huyện, thành phố xây dựng kế hoạch triển khai tại đơn vị.
2. Ban Tuyên giáo theo dõi, tổng hợp, báo cáo Thường trực.

Nơi nhận:
- Tổng LĐLĐ Việt Nam (b/c);
- LĐLĐ các huyện, thành phố;
- Lưu: VT.

TM. BAN THƯỜNG VỤ
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

(Đã ký)

Trần Văn Nam
"""

THONG_BAO = """UBND HUYỆN PHONG THỔ
LIÊN ĐOÀN LAO ĐỘNG
Số: 45/TB-LĐLĐ
Phong Thổ, ngày 20 tháng 10 năm 2025

THÔNG BÁO
Về việc nộp báo cáo tổng kết hoạt động công đoàn năm 2025

Kính gửi: Các công đoàn cơ sở trực thuộc.

Thực hiện Hướng dẫn số 07/HD-LĐLĐ ngày 01/10/2025 của Liên đoàn Lao động tỉnh, Ban Thường \
vụ Liên đoàn Lao động huyện đề nghị các công đoàn cơ sở gửi báo cáo tổng kết năm 2025 về \
Liên đoàn Lao động huyện trước ngày 25/11/2025 (qua Văn phòng).

Nơi nhận:
- Như kính gửi;
- Lưu: VT.

TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Lò Thị Mai
"""


FLATTENED_PDF_TEXT = """LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐIỆN BIÊN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 215/LĐLĐ-TC Điện Biên, ngày 02 tháng 8 năm 2025
V/v: báo cáo kết quả thu kinh phí công đoàn
6 tháng đầu năm 2025
Kính gửi:
+ LĐLĐ các huyện, thị xã, thành phố;
+ Công đoàn ngành, Công đoàn Viên chức tỉnh.
Để có số liệu tổng hợp báo cáo Tổng Liên đoàn, Ban Thường vụ LĐLĐ tỉnh đề nghị các đơn vị
báo cáo kết quả thu kinh phí công đoàn 6 tháng đầu năm 2025 (theo mẫu gửi kèm) về LĐLĐ tỉnh
(qua Ban Tài chính) chậm nhất ngày 15/8/2025.
Nơi nhận: KT. CHỦ TỊCH PHÓ CHỦ TỊCH
- Như trên;
- Lưu: VT, TC.
Lường Văn Pọm
"""

QUYET_DINH = """ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
Số: 1234/QĐ-UBND
Lai Châu, ngày 09 tháng 9 năm 2025

QUYẾT ĐỊNH
Về việc thành lập Ban Chỉ đạo Tháng hành động vì an toàn thực phẩm

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
QUYẾT ĐỊNH:
Điều 1. Thành lập Ban Chỉ đạo gồm các ông, bà có tên sau.
Điều 2. Ban Chỉ đạo có nhiệm vụ tổng kết, báo cáo UBND tỉnh trước ngày 31/10/2025.
Điều 3. Quyết định có hiệu lực kể từ ngày ký.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Giàng A Tính
"""


def cong_van_docx() -> bytes:
    """A công văn laid out as Word does it: header and signer block in two-column tables."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = (
        "LĐLĐ TỈNH LAI CHÂU\nCÔNG ĐOÀN VIÊN CHỨC TỈNH\nSố: 27/CĐVC\n"
        "V/v triển khai công tác phát triển đoàn viên\nvà thu kinh phí công đoàn năm 2025"
    )
    header.cell(0, 1).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Lai Châu, ngày 14 tháng 01 năm 2025"
    )
    for text in [
        "Kính gửi: Các công đoàn cơ sở trực thuộc.",
        "",
        "Căn cứ Chương trình số 03/CTr-LĐLĐ ngày 06/01/2025 của Ban Chấp hành Liên đoàn Lao "
        "động tỉnh, Ban Thường vụ Công đoàn Viên chức tỉnh đề nghị các công đoàn cơ sở thực "
        "hiện tốt các nội dung sau:",
        "1. Rà soát, cập nhật danh sách đoàn viên; gửi báo cáo số lượng đoàn viên trước ngày 25 "
        "hằng tháng.",
        "- Kết nạp đoàn viên mới theo chỉ tiêu được giao¹;",
        "- Quản lý đoàn viên trên phần mềm.",
        "¹ Chỉ tiêu giao tại Quyết định số 05/QĐ-CĐVC ngày 08/01/2025.",
        "2. Thu, nộp kinh phí công đoàn, đoàn phí công đoàn hằng quý đúng quy định.",
        "#### 3. Tổ chức sơ kết 6 tháng, báo cáo kết quả về Công đoàn Viên chức tỉnh.",
        "Nhận được công văn này, đề nghị các công đoàn cơ sở nghiêm túc triển khai thực hiện./.",
    ]:
        document.add_paragraph(text)
    footer = document.add_table(rows=1, cols=2)
    footer.cell(0, 0).text = "Nơi nhận:\n- Như kính gửi;\n- Lưu: VT."
    footer.cell(0, 1).text = "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\n\nĐèo Văn Hùng"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def deadlines_of(reading: Reading) -> list[tuple[int | None, str, str, date | None, str | None]]:
    return [(d.task_item, d.kind.value, d.text, d.date, d.rule) for d in reading.deadlines]


class TestKeHoachWithRomanSections:
    @pytest.fixture(scope="class")
    @classmethod
    def reading(cls) -> Reading:
        return read_text(KE_HOACH)

    def test_header(self, reading: Reading) -> None:
        assert reading.kind == "kế hoạch"
        assert reading.number == "112/KH-LĐLĐ"
        assert reading.place == "Lai Châu"
        assert reading.issue_date == IssueDate(2025, 3, 5)
        assert reading.subject == (
            "Tổ chức Tháng Công nhân và Chương trình Phúc lợi cho đoàn viên, "
            "người lao động năm 2025"
        )
        assert reading.recipients == ()
        assert reading.issuer == "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"

    def test_items_run_on_across_sections_and_keep_their_labels(self, reading: Reading) -> None:
        tasks = reading.tasks
        # Section I states aims ("MỤC ĐÍCH, YÊU CẦU"): they are not tasks to give.
        assert [t.item for t in tasks] == list(range(1, 9))
        assert [t.label for t in tasks][:3] == ["II.1", "II.2", "II.3"]
        assert tasks[-1].label == "III.2"

    def test_every_deadline_form(self, reading: Reading) -> None:
        assert deadlines_of(reading) == [
            (1, "relative", "trong tháng 5", date(2025, 5, 31), "within_month"),
            (1, "absolute", "chậm nhất ngày 15 tháng 6 năm 2025", date(2025, 6, 15), None),
            (2, "relative", "quý III", date(2025, 9, 30), "quarter"),
            (3, "periodic", "hằng tháng trước ngày 25", date(2025, 3, 25), "monthly"),
            (4, "periodic", "định kỳ hằng quý", date(2025, 3, 31), "quarterly"),
            (5, "relative", "trong tháng 10", date(2025, 10, 31), "within_month"),
            (6, "absolute", "trước 17 giờ ngày 30/9", date(2025, 9, 30), None),
        ]

    def test_a_date_without_year_takes_the_documents_and_asks_to_confirm(
        self, reading: Reading
    ) -> None:
        (deadline,) = [d for d in reading.deadlines if d.task_item == 6]
        assert deadline.needs_confirmation is True
        written = next(d for d in reading.deadlines if d.kind is DeadlineKind.ABSOLUTE)
        assert written.needs_confirmation is False

    def test_signer_on_behalf_of_the_chair(self, reading: Reading) -> None:
        assert reading.signer.title == "PHÓ CHỦ TỊCH"
        assert reading.signer.name == "Trần Văn Nam"

    def test_cited_plan(self, reading: Reading) -> None:
        assert [(r.number, r.date) for r in reading.references] == [
            ("12/KH-TLĐ", date(2025, 1, 10))
        ]

    def test_the_same_from_a_wrapped_pdf(self, reading: Reading) -> None:
        from_pdf = read_document(text_pdf(KE_HOACH, width=60), "kh.pdf")
        assert deadlines_of(from_pdf) == deadlines_of(reading)
        assert from_pdf.subject == reading.subject


class TestThongBaoWithoutNumberedItems:
    @pytest.fixture(scope="class")
    @classmethod
    def reading(cls) -> Reading:
        return read_text(THONG_BAO)

    def test_header(self, reading: Reading) -> None:
        assert reading.kind == "thông báo"
        assert reading.number == "45/TB-LĐLĐ"
        assert reading.subject == "nộp báo cáo tổng kết hoạt động công đoàn năm 2025"
        assert reading.recipients == ("Các công đoàn cơ sở trực thuộc",)
        assert reading.issuer == "Ban Thường vụ Liên đoàn Lao động huyện Phong Thổ"
        assert (reading.signer.title, reading.signer.name) == ("CHỦ TỊCH", "Lò Thị Mai")

    def test_the_request_is_the_one_task_with_its_written_date(self, reading: Reading) -> None:
        """The year-end report is what is due; its date is written, so no rule is needed.
        Without numbered items, the sentence that asks for it is the task to give."""
        (task,) = reading.tasks
        assert "đề nghị" in task.text and task.text.endswith("(qua Văn phòng).")
        assert deadlines_of(reading) == [
            (1, "absolute", "trước ngày 25/11/2025", date(2025, 11, 25), None)
        ]
        assert [r.number for r in reading.references] == ["07/HD-LĐLĐ"]


class TestCongVanFromWord:
    @pytest.fixture(scope="class")
    @classmethod
    def reading(cls) -> Reading:
        return read_document(cong_van_docx(), "cv-27.docx")

    def test_header_from_the_table(self, reading: Reading) -> None:
        assert reading.kind == "công văn"
        assert reading.number == "27/CĐVC"
        assert reading.place == "Lai Châu"
        assert reading.issue_date == IssueDate(2025, 1, 14)
        assert reading.subject == (
            "triển khai công tác phát triển đoàn viên và thu kinh phí công đoàn năm 2025"
        )
        assert reading.recipients == ("Các công đoàn cơ sở trực thuộc",)
        assert reading.issuer == "Ban Thường vụ Công đoàn Viên chức tỉnh Lai Châu"

    def test_items_bullets_footnote_and_ocr_mark(self, reading: Reading) -> None:
        tasks = reading.tasks
        assert [t.item for t in tasks] == [1, 2, 3]
        assert tasks[0].subitems == (
            "- Kết nạp đoàn viên mới theo chỉ tiêu được giao;",
            "- Quản lý đoàn viên trên phần mềm.",
        )
        assert tasks[2].text.startswith("Tổ chức sơ kết 6 tháng")
        assert "nghiêm túc" not in tasks[2].text

    def test_deadlines(self, reading: Reading) -> None:
        assert deadlines_of(reading) == [
            (1, "periodic", "trước ngày 25 hằng tháng", date(2025, 1, 25), "monthly"),
            (2, "periodic", "hằng quý", date(2025, 3, 31), "quarterly"),
            (3, "relative", "sơ kết 6 tháng", date(2025, 6, 15), "mid_year"),
        ]

    def test_the_footnotes_citation_is_a_reference(self, reading: Reading) -> None:
        assert {(r.number, r.date) for r in reading.references} == {
            ("03/CTr-LĐLĐ", date(2025, 1, 6)),
            ("05/QĐ-CĐVC", date(2025, 1, 8)),
        }

    def test_signer_from_the_footer_table(self, reading: Reading) -> None:
        assert (reading.signer.title, reading.signer.name) == ("CHỦ TỊCH", "Đèo Văn Hùng")


def test_a_pdf_whose_columns_were_flattened_onto_shared_lines() -> None:
    """Number and place on one line, the receivers' list beside the signer block."""
    reading = read_document(text_pdf(FLATTENED_PDF_TEXT, width=None), "cv-215.pdf")
    assert (reading.number, reading.place) == ("215/LĐLĐ-TC", "Điện Biên")
    assert reading.issue_date == IssueDate(2025, 8, 2)
    assert reading.subject == "báo cáo kết quả thu kinh phí công đoàn 6 tháng đầu năm 2025"
    assert reading.recipients == (
        "LĐLĐ các huyện, thị xã, thành phố",
        "Công đoàn ngành, Công đoàn Viên chức tỉnh",
    )
    assert reading.issuer == "Ban Thường vụ LĐLĐ tỉnh Điện Biên"
    assert (reading.signer.title, reading.signer.name) == ("PHÓ CHỦ TỊCH", "Lường Văn Pọm")
    # A letter without numbered items: its one request is its one task (issue 15 item 1).
    assert [task.text[:30] for task in reading.tasks] == ["Để có số liệu tổng hợp báo cáo"]
    assert deadlines_of(reading) == [
        (1, "absolute", "chậm nhất ngày 15/8/2025", date(2025, 8, 15), None)
    ]


def test_a_quyet_dinh_whose_articles_are_its_items() -> None:
    reading = read_text(QUYET_DINH)
    assert reading.kind == "quyết định"
    assert reading.issuer == "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"  # as printed above the number
    assert [task.item for task in reading.tasks] == [1, 2, 3]
    assert deadlines_of(reading) == [
        (2, "absolute", "trước ngày 31/10/2025", date(2025, 10, 31), None)
    ]
    assert reading.references == ()  # a law cited with a date but no number
