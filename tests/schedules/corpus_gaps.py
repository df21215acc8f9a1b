"""What the reader still gets wrong on the corpus: (document, field or variant) → reason.

Each entry marks that case `xfail(strict=True)` in `test_directive_corpus.py`, so the suite
passes while the gap is open and fails the day the reader gets the case right: then the
entry is taken out. The expected readings never change to fit the reader. Regenerate the
table with `python -m tests.schedules.corpus_share --gaps` after a change to the reader, and
read the diff: an entry that appears is a regression.
"""

# ruff: noqa: E501 (one gap per line, with the reader's wrong value in full)

READER_GAPS: dict[tuple[str, str], str] = {
    (
        "001",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Thường vụ Liên đoàn Lao động tỉnh Ninh Bình', got 'Ban Thường vụ Liên đoàn Lao động tỉnh'",
    ("001", "place"): "reader gap: place: expected 'Ninh Bình', got None",
    ("001", "issue_date"): "reader gap: issue_date: expected '2025-07-14', got None",
    (
        "001",
        "signer",
    ): "reader gap: signer title: expected 'PHÓ CHỦ TỊCH', got None; signer name: expected 'Đinh Thị Hồng Nhung', got None",
    ("001", "deadlines"): "reader gap: missing relative «trong tháng 7/2025» (item 1)",
    (
        "002",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Thường vụ Công đoàn Giáo dục tỉnh Hà Tĩnh', got 'Ban Thường vụ Công đoàn'",
    (
        "002",
        "subject",
    ): "reader gap: subject: expected 'đôn đốc thu, nộp kinh phí công đoàn và đoàn phí công đoàn năm 2025', got 'đôn đốc thu, nộp kinh phí công đoàn và đoàn phí'",
    (
        "002",
        "recipients",
    ): "reader gap: recipients: expected ['Ban Chấp hành công đoàn các trường học trực thuộc'], got []",
    ("003", "kind"): "reader gap: the document was refused",
    ("003", "number"): "reader gap: the document was refused",
    ("003", "issuer"): "reader gap: the document was refused",
    ("003", "place"): "reader gap: the document was refused",
    ("003", "issue_date"): "reader gap: the document was refused",
    ("003", "subject"): "reader gap: the document was refused",
    ("003", "recipients"): "reader gap: the document was refused",
    ("003", "signer"): "reader gap: the document was refused",
    ("003", "tasks"): "reader gap: the document was refused",
    ("003", "deadlines"): "reader gap: the document was refused",
    ("003", "references"): "reader gap: the document was refused",
    ("003", "no_cited_deadline"): "reader gap: the document was refused",
    (
        "004",
        "deadlines",
    ): "reader gap: missing absolute «từ ngày 01/6 đến ngày 10/6/2025» (item 5); missing relative «trong tháng 5/2025» (item 2)",
    (
        "005",
        "deadlines",
    ): "reader gap: missing relative «trước Tết Nguyên đán» (item 2); missing relative «trong tháng 3/2026» (item 5)",
    (
        "006",
        "deadlines",
    ): "reader gap: missing periodic «trước ngày 20 của tháng cuối quý» (item 2)",
    ("007", "kind"): "reader gap: the document was refused",
    ("007", "number"): "reader gap: the document was refused",
    ("007", "issuer"): "reader gap: the document was refused",
    ("007", "place"): "reader gap: the document was refused",
    ("007", "issue_date"): "reader gap: the document was refused",
    ("007", "subject"): "reader gap: the document was refused",
    ("007", "recipients"): "reader gap: the document was refused",
    ("007", "signer"): "reader gap: the document was refused",
    ("007", "tasks"): "reader gap: the document was refused",
    ("007", "deadlines"): "reader gap: the document was refused",
    ("007", "references"): "reader gap: the document was refused",
    ("007", "no_cited_deadline"): "reader gap: the document was refused",
    (
        "009",
        "recipients",
    ): "reader gap: recipients: expected ['Ban Chấp hành các công đoàn cơ sở khối doanh nghiệp', 'Ban Chấp hành các công đoàn cơ sở khối hành chính sự nghiệp'], got ['Ban Chấp hành các công đoàn cơ sở khối d…",
    (
        "009",
        "signer",
    ): "reader gap: signer title: expected 'PHÓ CHỦ TỊCH', got None; signer name: expected 'Lương Thị Thu Hà', got None",
    ("010", "number"): "reader gap: number: expected '214/TB-LĐLĐ', got None",
    (
        "010",
        "recipients",
    ): "reader gap: recipients: expected ['Ban Chấp hành công đoàn cơ sở các doanh nghiệp ngoài nhà nước'], got []",
    (
        "012",
        "issuer",
    ): "reader gap: issuer: expected 'Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp', got 'Chủ tịch Ủy ban nhân dân tỉnh'",
    ("012", "place"): "reader gap: place: expected 'Đồng Tháp', got None",
    ("012", "issue_date"): "reader gap: issue_date: expected '2026-02-27', got None",
    (
        "012",
        "subject",
    ): "reader gap: subject: expected 'tăng cường xây dựng quan hệ lao động hài hòa, ổn định và tiến bộ trong doanh nghiệp', got 'Về tăng cường xây dựng quan hệ lao động hài hòa, ổn định và tiến bộ trong doa…",
    (
        "012",
        "deadlines",
    ): "reader gap: periodic «định kỳ hằng quý» (item 1): expected 2026-03-31, got None; periodic «định kỳ hằng năm» (item None): expected 2026-12-15, got None",
    ("013", "number"): "reader gap: number: expected '27/KH-LĐLĐ', got None",
    (
        "013",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Thường vụ Liên đoàn Lao động huyện Tam Nông', got 'Ban Thường vụ Liên đoàn Lao động huyện'",
    ("013", "place"): "reader gap: place: expected 'Tam Nông', got None",
    ("013", "issue_date"): "reader gap: issue_date: expected '2025-02-19', got None",
    (
        "013",
        "subject",
    ): "reader gap: subject: expected 'PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ NĂM 2025', got 'PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ'",
    ("014", "kind"): "reader gap: the document was refused",
    ("014", "number"): "reader gap: the document was refused",
    ("014", "issuer"): "reader gap: the document was refused",
    ("014", "place"): "reader gap: the document was refused",
    ("014", "issue_date"): "reader gap: the document was refused",
    ("014", "subject"): "reader gap: the document was refused",
    ("014", "recipients"): "reader gap: the document was refused",
    ("014", "signer"): "reader gap: the document was refused",
    ("014", "tasks"): "reader gap: the document was refused",
    ("014", "deadlines"): "reader gap: the document was refused",
    ("014", "references"): "reader gap: the document was refused",
    ("014", "no_cited_deadline"): "reader gap: the document was refused",
    ("015", "kind"): "reader gap: the document was refused",
    ("015", "number"): "reader gap: the document was refused",
    ("015", "issuer"): "reader gap: the document was refused",
    ("015", "place"): "reader gap: the document was refused",
    ("015", "issue_date"): "reader gap: the document was refused",
    ("015", "subject"): "reader gap: the document was refused",
    ("015", "recipients"): "reader gap: the document was refused",
    ("015", "signer"): "reader gap: the document was refused",
    ("015", "tasks"): "reader gap: the document was refused",
    ("015", "deadlines"): "reader gap: the document was refused",
    ("015", "references"): "reader gap: the document was refused",
    ("015", "no_cited_deadline"): "reader gap: the document was refused",
    (
        "016",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Công ty Cổ phần May Sông Hồng', got 'CÔNG TY CỔ PHẦN MAY SÔNG HỒNG'",
    (
        "017",
        "signer",
    ): "reader gap: signer title: expected 'CHỦ TỊCH', got None; signer name: expected 'Bùi Thị Minh Nguyệt', got None",
    (
        "017",
        "tasks",
    ): "reader gap: task items: expected [1, 2, 3, 4, 5], got [1, 2, 3, 4, 5, 6, 7]; task labels: expected ['II.1', 'II.2', 'II.3', 'III.1', 'III.2'], got ['I.1', 'I.2', 'II.1', 'II.2', 'II.3', 'III.1', 'III…",
    (
        "017",
        "deadlines",
    ): "reader gap: missing absolute «từ ngày 01/12 đến ngày 10/12/2026» (item 5); missing relative «quý II/2026» (item 1); missing relative «6 tháng đầu năm 2026» (item 4); missing periodic «trước ngày 28 h…",
    ("019", "kind"): "reader gap: the document was refused",
    ("019", "number"): "reader gap: the document was refused",
    ("019", "issuer"): "reader gap: the document was refused",
    ("019", "place"): "reader gap: the document was refused",
    ("019", "issue_date"): "reader gap: the document was refused",
    ("019", "subject"): "reader gap: the document was refused",
    ("019", "recipients"): "reader gap: the document was refused",
    ("019", "signer"): "reader gap: the document was refused",
    ("019", "tasks"): "reader gap: the document was refused",
    ("019", "deadlines"): "reader gap: the document was refused",
    ("019", "references"): "reader gap: the document was refused",
    ("019", "no_cited_deadline"): "reader gap: the document was refused",
    ("020", "kind"): "reader gap: the document was refused",
    ("020", "number"): "reader gap: the document was refused",
    ("020", "issuer"): "reader gap: the document was refused",
    ("020", "place"): "reader gap: the document was refused",
    ("020", "issue_date"): "reader gap: the document was refused",
    ("020", "subject"): "reader gap: the document was refused",
    ("020", "recipients"): "reader gap: the document was refused",
    ("020", "signer"): "reader gap: the document was refused",
    ("020", "tasks"): "reader gap: the document was refused",
    ("020", "deadlines"): "reader gap: the document was refused",
    ("020", "references"): "reader gap: the document was refused",
    ("020", "no_cited_deadline"): "reader gap: the document was refused",
    ("021", "tasks"): "reader gap: task items: expected [1, 2, 3], got []",
    (
        "021",
        "deadlines",
    ): "reader gap: missing relative «trong tháng 10/2025» (item 1); missing periodic «hằng tháng trước ngày 20» (item 3); unexpected periodic «hằng tháng trước ngày 20» (item None) → 2025-09-20",
    (
        "022",
        "deadlines",
    ): "reader gap: unexpected absolute «đến hết ngày 04/01/2026» (item 1) → 2026-01-04; unexpected absolute «đến hết ngày 22/02/2026» (item 2) → 2026-02-22",
    (
        "022",
        "no_cited_deadline",
    ): "reader gap: a cited, anniversary or event date taken as a deadline: 2026-01-04; a cited, anniversary or event date taken as a deadline: 2026-02-22",
    ("023", "number"): "reader gap: number: expected '105/TB-LĐLĐ', got None",
    (
        "023",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Thường vụ Liên đoàn Lao động tỉnh Thanh Hóa', got 'Ban Thường vụ Liên đoàn Lao động tỉnh'",
    ("023", "place"): "reader gap: place: expected 'Thanh Hóa', got None",
    ("023", "issue_date"): "reader gap: issue_date: expected '2025-06-12', got None",
    (
        "023",
        "recipients",
    ): "reader gap: recipients: expected ['Ban Thường vụ Liên đoàn Lao động các huyện, thị xã, thành phố'], got []",
    (
        "023",
        "deadlines",
    ): "reader gap: missing absolute «trước ngày 30/7/2025» (item 1); missing relative «trong tháng 8/2025» (item 2)",
    (
        "025",
        "deadlines",
    ): "reader gap: missing periodic «trước ngày 15/6 và 15/12 hằng năm» (item 2); unexpected absolute «trước ngày 15/6» (item 2) → 2026-06-15",
    (
        "026",
        "recipients",
    ): "reader gap: recipients: expected ['Công đoàn cơ sở phường', 'Hội Liên hiệp Phụ nữ phường', 'Các khu phố'], got []",
    (
        "027",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Bệnh viện Đa khoa tỉnh Bắc Giang', got 'CĐCS BỆNH VIỆN ĐA KHOA TỈNH'",
    ("028", "signer"): "reader gap: signer name: expected 'Phạm Thị Ngọc Hân', got None",
    ("028", "deadlines"): "reader gap: missing relative «trong tháng 12/2025» (item 3)",
    ("029", "kind"): "reader gap: the document was refused",
    ("029", "number"): "reader gap: the document was refused",
    ("029", "issuer"): "reader gap: the document was refused",
    ("029", "place"): "reader gap: the document was refused",
    ("029", "issue_date"): "reader gap: the document was refused",
    ("029", "subject"): "reader gap: the document was refused",
    ("029", "recipients"): "reader gap: the document was refused",
    ("029", "signer"): "reader gap: the document was refused",
    ("029", "tasks"): "reader gap: the document was refused",
    ("029", "deadlines"): "reader gap: the document was refused",
    ("029", "references"): "reader gap: the document was refused",
    ("029", "no_cited_deadline"): "reader gap: the document was refused",
    ("030", "kind"): "reader gap: the document was refused",
    ("030", "number"): "reader gap: the document was refused",
    ("030", "issuer"): "reader gap: the document was refused",
    ("030", "place"): "reader gap: the document was refused",
    ("030", "issue_date"): "reader gap: the document was refused",
    ("030", "subject"): "reader gap: the document was refused",
    ("030", "recipients"): "reader gap: the document was refused",
    ("030", "signer"): "reader gap: the document was refused",
    ("030", "tasks"): "reader gap: the document was refused",
    ("030", "deadlines"): "reader gap: the document was refused",
    ("030", "references"): "reader gap: the document was refused",
    ("030", "no_cited_deadline"): "reader gap: the document was refused",
    (
        "032",
        "issuer",
    ): "reader gap: issuer: expected 'Ban Thường vụ Tỉnh ủy Lạng Sơn', got 'Ban Thường vụ Tỉnh ủy'",
    (
        "032",
        "subject",
    ): "reader gap: subject: expected 'tăng cường sự lãnh đạo của Đảng đối với công tác công đoàn trong tình hình mới', got 'của Ban Thường vụ Tỉnh ủy về tăng cường sự lãnh đạo của Đảng đối với công tác công…",
    ("032", "deadlines"): "reader gap: missing relative «đến hết năm 2025» (item 2)",
    (
        "001",
        "docx",
    ): "reader gap: issuer: expected 'Ban Thường vụ Liên đoàn Lao động tỉnh Ninh Bình', got 'Ban Thường vụ Liên đoàn Lao động tỉnh'; place: expected 'Ninh Bình', got None; issue_date: expected '2025-07-14', …",
    (
        "002",
        "docx",
    ): "reader gap: issuer: expected 'Ban Thường vụ Công đoàn Giáo dục tỉnh Hà Tĩnh', got 'Ban Thường vụ Công đoàn'; subject: expected 'đôn đốc thu, nộp kinh phí công đoàn và đoàn phí công đoàn năm 2025', go…",
    (
        "004",
        "docx",
    ): "reader gap: missing absolute «từ ngày 01/6 đến ngày 10/6/2025» (item 5); missing relative «trong tháng 5/2025» (item 2)",
    (
        "005",
        "docx",
    ): "reader gap: missing relative «trước Tết Nguyên đán» (item 2); missing relative «trong tháng 3/2026» (item 5)",
    ("006", "docx"): "reader gap: missing periodic «trước ngày 20 của tháng cuối quý» (item 2)",
    (
        "009",
        "docx",
    ): "reader gap: recipients: expected ['Ban Chấp hành các công đoàn cơ sở khối doanh nghiệp', 'Ban Chấp hành các công đoàn cơ sở khối hành chính sự nghiệp'], got ['Ban Chấp hành các công đoàn cơ sở khối d…",
    (
        "012",
        "docx",
    ): "reader gap: issuer: expected 'Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp', got 'Chủ tịch Ủy ban nhân dân tỉnh'; place: expected 'Đồng Tháp', got None; issue_date: expected '2026-02-27', got None; subjec…",
    (
        "016",
        "docx",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Công ty Cổ phần May Sông Hồng', got 'CÔNG TY CỔ PHẦN MAY SÔNG HỒNG'",
    (
        "017",
        "docx",
    ): "reader gap: signer title: expected 'CHỦ TỊCH', got None; signer name: expected 'Bùi Thị Minh Nguyệt', got None; task items: expected [1, 2, 3, 4, 5], got [1, 2, 3, 4, 5, 6, 7]; task labels: expected …",
    (
        "019",
        "docx",
    ): "reader gap: the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the d…",
    (
        "022",
        "docx",
    ): "reader gap: unexpected absolute «đến hết ngày 04/01/2026» (item 1) → 2026-01-04; unexpected absolute «đến hết ngày 22/02/2026» (item 2) → 2026-02-22; a cited, anniversary or event date taken as a dea…",
    (
        "025",
        "docx",
    ): "reader gap: missing periodic «trước ngày 15/6 và 15/12 hằng năm» (item 2); unexpected absolute «trước ngày 15/6» (item 2) → 2026-06-15",
    (
        "026",
        "docx",
    ): "reader gap: recipients: expected ['Công đoàn cơ sở phường', 'Hội Liên hiệp Phụ nữ phường', 'Các khu phố'], got []",
    (
        "027",
        "docx",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Bệnh viện Đa khoa tỉnh Bắc Giang', got 'CĐCS BỆNH VIỆN ĐA KHOA TỈNH'",
    (
        "028",
        "docx",
    ): "reader gap: signer name: expected 'Phạm Thị Ngọc Hân', got None; missing relative «trong tháng 12/2025» (item 3)",
    (
        "032",
        "docx",
    ): "reader gap: issuer: expected 'Ban Thường vụ Tỉnh ủy Lạng Sơn', got 'Ban Thường vụ Tỉnh ủy'; subject: expected 'tăng cường sự lãnh đạo của Đảng đối với công tác công đoàn trong tình hình mới', got 'củ…",
    (
        "001",
        "pdf",
    ): "reader gap: issuer: expected 'Ban Thường vụ Liên đoàn Lao động tỉnh Ninh Bình', got 'Ban Thường vụ Liên đoàn Lao động tỉnh'; place: expected 'Ninh Bình', got None; issue_date: expected '2025-07-14', …",
    (
        "004",
        "pdf",
    ): "reader gap: missing absolute «từ ngày 01/6 đến ngày 10/6/2025» (item 5); missing relative «trong tháng 5/2025» (item 2)",
    (
        "005",
        "pdf",
    ): "reader gap: missing relative «trước Tết Nguyên đán» (item 2); missing relative «trong tháng 3/2026» (item 5)",
    (
        "007",
        "pdf",
    ): "reader gap: the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the document was refused; the d…",
    (
        "009",
        "pdf",
    ): "reader gap: recipients: expected ['Ban Chấp hành các công đoàn cơ sở khối doanh nghiệp', 'Ban Chấp hành các công đoàn cơ sở khối hành chính sự nghiệp'], got ['Ban Chấp hành các công đoàn cơ sở khối d…",
    (
        "010",
        "pdf",
    ): "reader gap: number: expected '214/TB-LĐLĐ', got None; recipients: expected ['Ban Chấp hành công đoàn cơ sở các doanh nghiệp ngoài nhà nước'], got []",
    (
        "012",
        "pdf",
    ): "reader gap: issuer: expected 'Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp', got 'Chủ tịch Ủy ban nhân dân tỉnh'; place: expected 'Đồng Tháp', got None; issue_date: expected '2026-02-27', got None; subjec…",
    (
        "016",
        "pdf",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Công ty Cổ phần May Sông Hồng', got 'CÔNG TY CỔ PHẦN MAY SÔNG HỒNG'",
    (
        "022",
        "pdf",
    ): "reader gap: unexpected absolute «đến hết ngày 04/01/2026» (item 1) → 2026-01-04; unexpected absolute «đến hết ngày 22/02/2026» (item 2) → 2026-02-22; a cited, anniversary or event date taken as a dea…",
    (
        "025",
        "pdf",
    ): "reader gap: missing periodic «trước ngày 15/6 và 15/12 hằng năm» (item 2); unexpected absolute «trước ngày 15/6» (item 2) → 2026-06-15",
    (
        "027",
        "pdf",
    ): "reader gap: issuer: expected 'Ban Chấp hành Công đoàn cơ sở Bệnh viện Đa khoa tỉnh Bắc Giang', got 'CĐCS BỆNH VIỆN ĐA KHOA TỈNH'",
    (
        "028",
        "pdf",
    ): "reader gap: signer name: expected 'Phạm Thị Ngọc Hân', got None; missing relative «trong tháng 12/2025» (item 3)",
}
