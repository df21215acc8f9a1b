"""The five real directives read as a careful clerk would: every field of expected.json."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest

from schedules.directive import DeadlineKind, Reading, read_text
from tests.schedules.directive_files import seed_expectations, seed_text

EXPECTED = seed_expectations()
IDS = [entry["file"][:3] for entry in EXPECTED]


@cache
def reading_of(name: str) -> Reading:
    return read_text(seed_text(name))


@pytest.fixture(params=EXPECTED, ids=IDS)
def case(request: pytest.FixtureRequest) -> tuple[Reading, dict[str, Any]]:
    expected: dict[str, Any] = request.param
    return reading_of(expected["file"]), expected


def test_the_header_fields_match(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    assert reading.kind == expected["kind"]
    assert reading.number == expected["number"]
    assert reading.issuer == expected["issuer"]
    assert reading.place == expected["place"]
    assert reading.issue_date is not None
    assert reading.issue_date.iso() == expected["issue_date"]
    assert reading.subject == expected["subject"]
    assert list(reading.recipients) == expected["recipients"]


def test_the_signer_matches(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    assert reading.signer.title == expected["signer_title"]
    assert reading.signer.name == expected["signer_name"]


def test_the_tasks_are_the_numbered_items_in_order(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    assert [task.item for task in reading.tasks] == expected["task_items"]
    assert all(task.text or task.subitems for task in reading.tasks)


def test_absolute_deadlines_match(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    found = [
        {"task_item": d.task_item, "date": d.date.isoformat() if d.date else None, "text": d.text}
        for d in reading.deadlines
        if d.kind is DeadlineKind.ABSOLUTE
    ]
    wanted = [
        {"task_item": d["task_item"], "date": d["date"], "text": d["text"]}
        for d in expected["absolute_deadlines"]
    ]
    assert found == wanted


def test_relative_deadlines_are_the_phrases_with_proposed_dates(
    case: tuple[Reading, dict[str, Any]],
) -> None:
    reading, expected = case
    relative = [d for d in reading.deadlines if d.kind is DeadlineKind.RELATIVE]
    assert [(d.task_item, d.text) for d in relative] == [
        (d["task_item"], d["text"]) for d in expected["relative_deadlines"]
    ]
    assert all(d.needs_confirmation and d.rule and d.date for d in relative)


def test_no_periodic_deadline_is_invented(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, _ = case
    assert [d for d in reading.deadlines if d.kind is DeadlineKind.PERIODIC] == []


def test_cited_documents_are_read_with_their_dates(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    found = {(r.number, r.date.isoformat()) for r in reading.references}
    assert found == {(r["number"], r["date"]) for r in expected["referenced_documents"]}


def test_no_cited_date_or_anniversary_is_a_deadline(case: tuple[Reading, dict[str, Any]]) -> None:
    reading, expected = case
    deadline_dates = {d.date for d in reading.deadlines}
    cited = {date.fromisoformat(r["date"]) for r in expected["referenced_documents"]}
    events = {date.fromisoformat(e["date"]) for e in expected.get("event_dates_optional", [])}
    assert not deadline_dates & (cited | events)


def test_the_proposed_dates_follow_the_rules() -> None:
    """002: mid-year data closes 15/06, the year-end report 15/12; 003: the last working day."""
    by_text = {
        d.text: d
        for name in (EXPECTED[2]["file"], EXPECTED[3]["file"])
        for d in reading_of(name).deadlines
    }
    assert by_text["6 tháng đầu năm 2024"].date == date(2024, 6, 15)
    assert by_text["6 tháng đầu năm 2024"].rule == "mid_year"
    year_end = by_text["báo cáo tổng kết công tác thi đua, khen thưởng năm 2024"]
    assert (year_end.date, year_end.rule) == (date(2024, 12, 15), "year_end_report")
    assert by_text["trong năm 2025"].date == date(2025, 12, 31)
    assert by_text["trong năm 2025"].rule == "within_year"


def test_the_explicit_deadline_of_490_is_firm() -> None:
    (deadline,) = reading_of(EXPECTED[4]["file"]).deadlines
    assert deadline.needs_confirmation is False
    assert deadline.rule is None


def test_item_2_of_183_runs_on_after_its_footnotes() -> None:
    task = reading_of(EXPECTED[2]["file"]).tasks[1]
    assert "kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam" in task.text
    assert "Tây Ninh chung sức" not in task.text  # footnote ¹ is not part of the item


def test_the_article_numbers_its_unnumbered_contents() -> None:
    tasks = reading_of(EXPECTED[1]["file"]).tasks
    assert tasks[0].text.startswith("Tiếp tục quán triệt")
    assert tasks[-1].text.startswith("Tiếp tục thực hiện có hiệu quả chương trình phối hợp")


def test_item_8_of_the_chi_thi_keeps_its_sub_items_a_to_e() -> None:
    task = reading_of(EXPECTED[3]["file"]).tasks[7]
    assert task.text == "Tổ chức thực hiện"
    assert [sub[:2] for sub in task.subitems] == ["a)", "b)", "c)", "d)", "e)"]
    assert "Tiếp tục tham mưu" in task.subitems[4]
    assert "Chủ tịch UBND tỉnh yêu cầu" not in task.subitems[4]  # the closing words


def test_page_break_debris_does_not_split_an_item() -> None:
    task = reading_of(EXPECTED[0]["file"]).tasks[2]
    assert "đoàn viên, người lao động đặc biệt là các đối tượng" in task.text
