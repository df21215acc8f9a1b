"""The draft an officer checks: each task's best deadline, proposals marked, JSON round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from handlers.intake_draft import Draft, draft_from_reading, render_draft
from schedules.directive import read_text
from tests.schedules.directive_files import seed_text


def test_a_proposed_date_is_marked_with_its_phrase_and_rule() -> None:
    reading = read_text(seed_text("002_1822fabbf9468a64.txt"))
    draft = draft_from_reading(reading, directive_id=7, unit_ids=(), file_name=None)
    item3 = draft.task(3)
    assert item3 is not None and item3.deadline == date(2024, 6, 15) and item3.proposed
    text = render_draft(draft, [], today=date(2024, 5, 30))
    line = next(line for line in text.splitlines() if line.startswith("3. "))
    assert "hạn 15/06/2024 (?) — theo «6 tháng đầu năm 2024»" in line
    assert "Sơ kết 6 tháng đầu năm" in line
    assert "(?) hạn bot đề xuất" in text
    # The year-end phrase belongs to the whole document: tasks without their own take it.
    item1 = draft.task(1)
    assert item1 is not None and item1.deadline == date(2024, 12, 15) and item1.proposed
    assert "chưa khớp được «Kính gửi: Các công đoàn cơ sở trực thuộc" in text


def test_a_written_date_is_firm_and_a_draft_survives_json() -> None:
    reading = read_text(seed_text("004_3fbaa7aed5e606d2.txt"))
    draft = draft_from_reading(reading, directive_id=3, unit_ids=(4, 5), file_name="a.docx")
    item3 = draft.task(3)
    assert item3 is not None and item3.deadline == date(2020, 12, 20) and not item3.proposed
    assert Draft.from_data(draft.to_data()) == draft
    text = render_draft(draft, ["A (A1)", "B (B2)"], today=date(2020, 7, 21))
    assert text.startswith("📄 CV 490/LĐLĐ, ngày 20/07/2020")
    assert "Giao cho 2 đơn vị theo «Kính gửi»: A (A1), B (B2)." in text
    assert "(?)" not in text


def test_a_long_directive_still_fits_one_message() -> None:
    reading = read_text(seed_text("004_3fbaa7aed5e606d2.txt"))
    draft = draft_from_reading(reading, directive_id=3, unit_ids=(), file_name=None)
    many = replace(draft, tasks=tuple(replace(draft.tasks[0], item=n) for n in range(1, 61)))
    text = render_draft(many, [], today=date(2020, 7, 21), limit=4000)
    assert len(text) <= 4000
    assert text.startswith("📄 CV 490/LĐLĐ")
    assert "\n40. " in text  # shortened lines keep most items
