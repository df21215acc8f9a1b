"""The deadline forms of issue 15 item 3: a month with its year, Tết, a day of a quarter's
month, and a period whose end is a deadline only when a report or a result is asked for."""

from __future__ import annotations

from datetime import date

import pytest

from schedules.directive import Deadline, DeadlineKind, rule_description
from tests.schedules.test_directive_deadlines import deadlines

FORMS = [
    # (sentence in task 1, issued, phrase, date, rule)
    (
        "Tổ chức hội nghị người lao động trong tháng 7/2025.",
        "ngày 10 tháng 3 năm 2025",
        "trong tháng 7/2025",
        date(2025, 7, 31),
        "within_month",
    ),
    (
        "Các đơn vị hoàn thành trong tháng 11/2025.",
        "ngày 10 tháng 3 năm 2025",
        "trong tháng 11/2025",
        date(2025, 11, 29),  # 30/11/2025 is a Sunday
        "within_month",
    ),
    (
        "Tổ chức đối thoại trong tháng 4 năm 2025.",
        "ngày 10 tháng 3 năm 2025",
        "trong tháng 4 năm 2025",
        date(2025, 4, 29),  # 30/04 is Reunification Day
        "within_month",
    ),
    (
        "Gửi danh sách đoàn viên khó khăn trước Tết Nguyên đán.",
        "ngày 10 tháng 12 năm 2025",
        "trước Tết Nguyên đán",
        date(2026, 2, 14),  # Tết Bính Ngọ is 17/02/2026; 16/02 is off, 15/02 a Sunday
        "before_tet",
    ),
    (
        "Hoàn thành thăm hỏi trước Tết Nguyên đán Ất Tỵ năm 2025.",
        "ngày 02 tháng 12 năm 2024",
        "trước Tết Nguyên đán Ất Tỵ năm 2025",
        date(2025, 1, 25),  # Tết Ất Tỵ is 29/01/2025
        "before_tet",
    ),
]


@pytest.mark.parametrize(
    ("sentence", "issued", "phrase", "day", "rule"), FORMS, ids=[f[2] for f in FORMS]
)
def test_month_and_lunar_forms_propose_a_working_day(
    sentence: str, issued: str, phrase: str, day: date, rule: str
) -> None:
    assert deadlines(sentence, issued=issued) == (
        Deadline(day, phrase, 1, DeadlineKind.RELATIVE, rule, needs_confirmation=True),
    )
    assert rule_description(rule)


def test_new_years_day_is_not_the_lunar_tet() -> None:
    assert deadlines("Thăm hỏi đoàn viên trước Tết Dương lịch.") == ()


def test_an_event_at_tet_is_not_a_deadline() -> None:
    assert deadlines("Tổ chức chương trình Tết Sum vầy dịp Tết Nguyên đán 2026.") == ()


@pytest.mark.parametrize(
    ("sentence", "issued", "day"),
    [
        (
            "Báo cáo trước ngày 20 của tháng cuối quý.",
            "ngày 10 tháng 3 năm 2025",
            date(2025, 3, 20),
        ),
        ("Báo cáo trước ngày 20 tháng cuối quý.", "ngày 25 tháng 3 năm 2025", date(2025, 6, 20)),
        (
            "Báo cáo quý trước ngày 15 của tháng đầu quý sau.",
            "ngày 25 tháng 3 năm 2025",
            date(2025, 4, 15),
        ),
        (
            "Gửi số liệu chậm nhất ngày 10 tháng giữa quý.",
            "ngày 12 tháng 11 năm 2025",
            date(2026, 2, 10),
        ),
    ],
)
def test_a_day_of_a_quarters_month_recurs_from_the_issue_date(
    sentence: str, issued: str, day: date
) -> None:
    (deadline,) = deadlines(sentence, issued=issued)
    assert (deadline.date, deadline.kind, deadline.rule) == (
        day,
        DeadlineKind.PERIODIC,
        "quarter_month_day",
    )


def test_a_recurrence_and_its_day_are_one_deadline() -> None:
    (deadline,) = deadlines("Định kỳ hằng quý, báo cáo trước ngày 20 của tháng cuối quý.")
    assert deadline.text == "Định kỳ hằng quý, báo cáo trước ngày 20 của tháng cuối quý"
    assert deadline.date == date(2025, 3, 20)


def test_a_reporting_period_ends_on_its_deadline() -> None:
    (deadline,) = deadlines("Báo cáo kết quả từ ngày 01/5 đến ngày 31/5/2025.")
    assert (deadline.date, deadline.text, deadline.needs_confirmation) == (
        date(2025, 5, 31),
        "từ ngày 01/5 đến ngày 31/5/2025",
        False,
    )


def test_a_campaign_period_is_not_a_deadline() -> None:
    assert deadlines("Tổ chức Tháng Công nhân từ ngày 01/5 đến hết ngày 31/5/2025.") == ()
    (report,) = deadlines(
        "Tổ chức Tháng Công nhân từ ngày 01/5 đến ngày 31/5/2025; "
        "báo cáo kết quả trước ngày 10/6/2025."
    )
    assert (report.date, report.text) == (date(2025, 6, 10), "trước ngày 10/6/2025")


def test_a_cited_documents_date_near_a_month_form_stays_a_citation() -> None:
    found = deadlines(
        "Thực hiện Kế hoạch số 12/KH-LĐLĐ ngày 20/6/2025, tổ chức hội nghị trong tháng 7/2025."
    )
    assert [(d.date, d.rule) for d in found] == [(date(2025, 7, 31), "within_month")]


def test_days_of_every_year_propose_the_next_one() -> None:
    (deadline,) = deadlines(
        "Báo cáo tình hình tiền lương định kỳ 6 tháng, gửi trước ngày 15/6 và 15/12 hằng năm.",
        issued="ngày 20 tháng 8 năm 2025",
    )
    assert (deadline.date, deadline.kind, deadline.rule) == (
        date(2025, 12, 15),
        DeadlineKind.PERIODIC,
        "yearly_days",
    )
    assert deadline.text == "trước ngày 15/6 và 15/12 hằng năm"


def test_until_the_end_of_a_year_is_its_last_working_day() -> None:
    (deadline,) = deadlines("Phấn đấu đến hết năm 2025 thành lập công đoàn cơ sở.")
    assert (deadline.date, deadline.rule) == (date(2025, 12, 31), "within_year")
