"""The graded reading (issue 15 item 1): a header in prose, an extract, a retelling, a
notice without «Kính gửi» are read, each field reported as found in the header, in the
prose, or missing; only a text with nothing task-like is refused."""

from __future__ import annotations

from datetime import date

import pytest

from schedules.directive import (
    DocumentError,
    FieldSource,
    read_text,
    reading_to_json,
    render_reading,
)
from tests.schedules.directive_files import seed_text
from tests.schedules.test_directive_bad_input import RECIPE, assert_helpful_vietnamese

PROSE_HEADER = """Trang chủ | Tin tức | Văn bản chỉ đạo
Công văn số 68/CĐCS ngày 10/7/2025 của Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu về việc \
tổ chức Tháng Công nhân năm 2025.
Để triển khai có hiệu quả, Ban Thường vụ LĐLĐ tỉnh đề nghị các công đoàn cơ sở thực hiện tốt \
các nội dung sau:
1. Tổ chức tuyên truyền về Tháng Công nhân trong tháng 8/2025.
2. Báo cáo kết quả về LĐLĐ tỉnh trước ngày 20/9/2025.
"""

EXTRACT = """Trích Thông báo số 45/TB-LĐLĐ ngày 12 tháng 3 năm 2025 của Ban Thường vụ LĐLĐ \
huyện Tam Đường

Ban Thường vụ LĐLĐ huyện đề nghị các công đoàn cơ sở gửi danh sách đoàn viên có hoàn cảnh khó \
khăn về LĐLĐ huyện trước ngày 25/3/2025. Trân trọng.
"""

RETOLD = """LĐLĐ tỉnh đôn đốc thu kinh phí công đoàn
Thực hiện Công văn số 343/TLĐ ngày 18/02/2025 của Tổng Liên đoàn, Liên đoàn Lao động tỉnh vừa \
đề nghị các công đoàn cơ sở hoàn thành thu kinh phí công đoàn trong tháng 11/2025 và báo cáo \
kết quả về Ban Tài chính.
"""


def sources(text: str) -> dict[str, str]:
    sourced: dict[str, str] = reading_to_json(read_text(text))["sources"]
    return sourced


def test_a_header_in_prose_gives_number_date_issuer_and_subject() -> None:
    reading = read_text(PROSE_HEADER)
    assert (reading.kind, reading.number) == ("công văn", "68/CĐCS")
    assert reading.issue_date is not None and reading.issue_date.as_date() == date(2025, 7, 10)
    assert reading.issuer == "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"
    assert reading.subject == "tổ chức Tháng Công nhân năm 2025"
    assert [task.item for task in reading.tasks] == [1, 2]
    assert [(d.task_item, d.date) for d in reading.deadlines] == [
        (1, date(2025, 8, 30)),
        (2, date(2025, 9, 20)),
    ]
    found = sources(PROSE_HEADER)
    assert {found[f] for f in ("number", "issue_date", "issuer", "subject")} == {"prose"}
    assert found["recipients"] == "missing"  # a notice without «Kính gửi» is still read


def test_an_extract_is_read_and_its_request_is_its_task() -> None:
    reading = read_text(EXTRACT)
    assert (reading.kind, reading.number, reading.place) == (
        "thông báo",
        "45/TB-LĐLĐ",
        "Tam Đường",
    )
    (task,) = reading.tasks
    assert task.text.startswith("Ban Thường vụ LĐLĐ huyện đề nghị")
    assert "Trích" not in task.text  # the header sentence is not part of the task
    assert reading.source_of("subject") is FieldSource.MISSING
    assert "Không thấy: trích yếu" in render_reading(reading)


def test_a_retelling_without_a_number_never_takes_the_cited_documents() -> None:
    reading = read_text(RETOLD)
    assert reading.number is None and reading.issue_date is None
    assert [(r.number, r.date) for r in reading.references] == [("343/TLĐ", date(2025, 2, 18))]
    (task,) = reading.tasks
    assert "đề nghị các công đoàn cơ sở hoàn thành" in task.text
    assert "đôn đốc thu kinh phí công đoàn Thực hiện" not in task.text  # the headline is not
    assert [(d.date, d.rule) for d in reading.deadlines] == [(date(2025, 11, 29), "within_month")]
    assert sources(RETOLD)["number"] == "missing"
    assert "Không thấy: số văn bản, cơ quan ban hành, ngày ban hành, trích yếu" in render_reading(
        reading
    )


def test_a_citation_opening_a_paragraph_is_not_a_prose_header() -> None:
    text = (
        "Căn cứ Công văn số 12/LĐLĐ ngày 02/01/2025 của LĐLĐ tỉnh, Ban Thường vụ đề nghị "
        "các công đoàn cơ sở báo cáo số đoàn viên trước ngày 15/01/2025."
    )
    reading = read_text(text)
    assert reading.number is None
    assert [r.number for r in reading.references] == ["12/LĐLĐ"]
    assert [d.date for d in reading.deadlines] == [date(2025, 1, 15)]


def test_a_full_header_reports_every_field_from_the_header() -> None:
    found = sources(seed_text("004_3fbaa7aed5e606d2.txt"))
    assert found == {
        "kind": "header",
        "number": "header",
        "issuer": "prose",  # "Ban Thường vụ LĐLĐ tỉnh đề nghị …" in the body
        "place": "header",
        "issue_date": "header",
        "subject": "header",
        "recipients": "header",
        "signer": "header",
    }


@pytest.mark.parametrize(
    "text",
    [
        RECIPE,
        "Chào anh, mai họp lúc 8 giờ nhé",
        "Kính gửi anh chị, hôm nay trời đẹp quá. " * 10,
        "1. Mua rau muống. 2. Đón con lúc 5 giờ chiều. 3. Gọi điện cho bà ngoại.",
    ],
    ids=["recipe", "chat", "greeting", "shopping list"],
)
def test_only_a_text_with_nothing_task_like_is_refused(text: str) -> None:
    with pytest.raises(DocumentError) as refused:
        read_text(text)
    assert "không thấy việc nào cần giao" in refused.value.message
    assert_helpful_vietnamese(refused.value.message)
