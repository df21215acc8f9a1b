"""Each deadline form with its proposed date, the rules table, and what is never a deadline."""

from __future__ import annotations

from datetime import date

import pytest

from schedules.calendar import WorkingCalendar
from schedules.directive import (
    DEFAULT_RULES,
    Deadline,
    DeadlineKind,
    Reading,
    read_text,
    rule_description,
    with_proposal,
)
from schedules.directive.model import IssueDate
from schedules.directive.rules import FixedDay, RelativeRule, RuleContext, YearLastWorkingDay
from schedules.directive.workdays import last_working_day


def directive(body: str, *, issued: str = "ngày 10 tháng 3 năm 2025", preamble: str = "") -> str:
    """A minimal công văn around one task, as the chat intake would receive it."""
    return (
        f"Số: 101/LĐLĐ\nLai Châu, {issued}\nV/v triển khai nhiệm vụ\n\n"
        f"Kính gửi: Các công đoàn cơ sở.\n\n{preamble}\n\n1. {body}\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. BAN THƯỜNG VỤ\nCHỦ TỊCH\n\nNguyễn Văn An\n"
    )


def deadlines(body: str, **kwargs: str) -> tuple[Deadline, ...]:
    return read_text(directive(body, **kwargs)).deadlines


FORMS = [
    # (sentence in task 1, kind, phrase, date, rule, needs confirmation)
    (
        "Báo cáo trước ngày 20/12/2025.",
        "absolute",
        "trước ngày 20/12/2025",
        date(2025, 12, 20),
        None,
        False,
    ),
    (
        "Gửi về chậm nhất ngày 15 tháng 6 năm 2025.",
        "absolute",
        "chậm nhất ngày 15 tháng 6 năm 2025",
        date(2025, 6, 15),
        None,
        False,
    ),
    (
        "Gửi danh sách trước 17 giờ ngày 30/9.",
        "absolute",
        "trước 17 giờ ngày 30/9",
        date(2025, 9, 30),
        None,
        True,
    ),
    (
        "Nộp trước 17h00 ngày 30/9/2025.",
        "absolute",
        "trước 17h00 ngày 30/9/2025",
        date(2025, 9, 30),
        None,
        False,
    ),
    (
        "Hạn chót ngày 31-12-2025.",
        "absolute",
        "Hạn chót ngày 31-12-2025",
        date(2025, 12, 31),
        None,
        False,
    ),
    (
        "Nộp chậm nhất là ngày 05/01.",
        "absolute",
        "chậm nhất là ngày 05/01",
        date(2026, 1, 5),
        None,
        True,
    ),
    (
        "Tổ chức sơ kết 6 tháng đầu năm 2025.",
        "relative",
        "6 tháng đầu năm 2025",
        date(2025, 6, 15),
        "mid_year",
        True,
    ),
    (
        "Gửi báo cáo 9 tháng năm 2025.",
        "relative",
        "9 tháng năm 2025",
        date(2025, 9, 15),
        "nine_months",
        True,
    ),
    ("Tổ chức đối thoại trong quý III.", "relative", "quý III", date(2025, 9, 30), "quarter", True),
    (
        "Hoàn thành trong quý 4 năm 2025.",
        "relative",
        "quý 4 năm 2025",
        date(2025, 12, 31),
        "quarter",
        True,
    ),
    (
        "Xóa nhà tạm trong năm 2025.",
        "relative",
        "trong năm 2025",
        date(2025, 12, 31),
        "within_year",
        True,
    ),
    (
        "Tổ chức hội nghị trong tháng 10.",
        "relative",
        "trong tháng 10",
        date(2025, 10, 31),
        "within_month",
        True,
    ),
    (
        "Kiểm tra trong tháng 2 năm 2028.",
        "relative",
        "trong tháng 2 năm 2028",
        date(2028, 2, 29),
        "within_month",
        True,
    ),
    (
        "Lồng ghép kết quả trong báo cáo tổng kết năm.",
        "relative",
        "báo cáo tổng kết năm",
        date(2025, 12, 15),
        "year_end_report",
        True,
    ),
    (
        "Cập nhật hằng tháng trước ngày 25.",
        "periodic",
        "hằng tháng trước ngày 25",
        date(2025, 3, 25),
        "monthly",
        True,
    ),
    (
        "Báo cáo trước ngày 5 hàng tháng.",
        "periodic",
        "trước ngày 5 hàng tháng",
        date(2025, 4, 5),
        "monthly",
        True,
    ),
    (
        "Báo cáo thu kinh phí định kỳ hằng quý.",
        "periodic",
        "định kỳ hằng quý",
        date(2025, 3, 31),
        "quarterly",
        True,
    ),
    (
        "Báo cáo định kỳ hằng năm.",
        "periodic",
        "định kỳ hằng năm",
        date(2025, 12, 15),
        "yearly",
        True,
    ),
]


@pytest.mark.parametrize(
    ("sentence", "kind", "phrase", "day", "rule", "confirm"), FORMS, ids=[f[2] for f in FORMS]
)
def test_each_deadline_form_and_its_proposed_date(
    sentence: str, kind: str, phrase: str, day: date, rule: str | None, confirm: bool
) -> None:
    assert deadlines(sentence) == (
        Deadline(day, phrase, 1, DeadlineKind(kind), rule, needs_confirmation=confirm),
    )


def test_a_named_quarter_already_past_means_next_years() -> None:
    (deadline,) = deadlines("Tổ chức đối thoại trong quý I.", issued="ngày 10 tháng 5 năm 2025")
    assert deadline.date == date(2026, 3, 31)


def test_a_monthly_day_past_in_the_issue_month_starts_next_month() -> None:
    (deadline,) = deadlines("Báo cáo hằng tháng trước ngày 25.", issued="ngày 28 tháng 3 năm 2025")
    assert deadline.date == date(2025, 4, 25)


def test_a_monthly_day_is_clamped_to_short_months() -> None:
    (deadline,) = deadlines("Báo cáo trước ngày 31 hằng tháng.", issued="ngày 2 tháng 2 năm 2025")
    assert deadline.date == date(2025, 2, 28)


def test_the_years_last_working_day_skips_weekends_and_holidays() -> None:
    # The default working calendar, as for reminders: Saturday works, Sunday does not.
    assert last_working_day(2022) == date(2022, 12, 31)  # a Saturday
    assert last_working_day(2023) == date(2023, 12, 30)  # 31/12/2023 is a Sunday
    rest_saturday = WorkingCalendar(saturday_off=True)
    assert last_working_day(2022, 12, rest_saturday) == date(2022, 12, 30)
    assert last_working_day(2025, 4) == date(2025, 4, 29)  # 30/4 is Reunification Day
    (deadline,) = deadlines("Hoàn thành trong năm 2023.", issued="ngày 10 tháng 3 năm 2023")
    assert deadline.date == date(2023, 12, 30)


def test_an_impossible_date_is_kept_without_a_date_for_the_officer() -> None:
    (deadline,) = deadlines("Báo cáo trước ngày 31/2/2025.")
    assert (deadline.date, deadline.needs_confirmation) == (None, True)


def test_a_written_date_before_the_issue_date_is_doubted() -> None:
    (deadline,) = deadlines("Báo cáo trước ngày 20/12/2024.")
    assert (deadline.date, deadline.needs_confirmation) == (date(2024, 12, 20), True)


def test_every_rule_has_a_description_to_show() -> None:
    assert rule_description("quarter") == "Quý I, II, III, IV: ngày cuối cùng của quý"
    assert rule_description("no_such_rule") is None


def test_month_precision_issue_dates_still_propose() -> None:
    (deadline,) = deadlines("Tổ chức trong quý III.", issued="ngày   tháng 5 năm 2024")
    assert deadline.date == date(2024, 9, 30)


NEVER = [
    "Thực hiện Kế hoạch số 12/KH-LĐLĐ ngày 20/12/2025 của Ban Thường vụ.",
    "Căn cứ Quyết định số 321/QĐ-LĐLĐ ngày 06 tháng 3 năm 2020 của Ban Thường vụ.",
    "Theo tinh thần Chỉ thị 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị.",
    "Kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 - 28/7/2024).",
    "Các phong trào thi đua do UBND tỉnh phát động trong năm 2024.",
    "Chào mừng các ngày lễ lớn trong năm 2025.",
    "Đại hội diễn ra ngày 15/10/2025 tại Hội trường tỉnh.",
    "Hoàn thành kế hoạch 5 năm (2021 - 2025), phát triển kinh tế - xã hội hằng năm.",
    "Chuẩn bị báo cáo tổng kết 5 năm thực hiện Nghị quyết.",
    "Trân trọng những đóng góp quý báu; đề nghị quý cơ quan phối hợp.",
    "Thu ngân sách đạt 2.375,5 tỷ đồng, tăng 12.5.2025 điểm.",
    "Giai đoạn 2021 - 2025 và 2026 - 2030.",
]


@pytest.mark.parametrize("sentence", NEVER)
def test_citations_anniversaries_events_and_periods_are_not_deadlines(sentence: str) -> None:
    assert deadlines(sentence) == ()


def test_the_preamble_recounts_the_past_but_its_written_date_counts() -> None:
    found = deadlines(
        "Tuyên truyền Nghị quyết.",
        preamble="Trong 6 tháng đầu năm 2025, các đơn vị đã nỗ lực. Đề nghị các đơn vị thực "
        "hiện các nội dung sau, báo cáo trước ngày 30/6/2025:",
    )
    assert [(d.task_item, d.text) for d in found] == [(None, "trước ngày 30/6/2025")]


def test_a_written_date_overrides_a_rule_in_the_same_clause() -> None:
    found = deadlines("Gửi báo cáo tổng kết năm 2025 trước ngày 25/11/2025.")
    assert [d.text for d in found] == ["trước ngày 25/11/2025"]


def test_a_rule_in_another_clause_is_kept() -> None:
    found = deadlines("Tổ chức hội nghị trong quý III; gửi báo cáo trước ngày 15/10/2025.")
    assert [d.text for d in found] == ["quý III", "trước ngày 15/10/2025"]


# -- the rules table ------------------------------------------------------------------


def test_the_table_has_unique_ids_and_vietnamese_descriptions() -> None:
    ids = [rule.id for rule in DEFAULT_RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.kind is not DeadlineKind.ABSOLUTE for rule in DEFAULT_RULES)
    assert all(rule.patterns and rule.description[:1].isupper() for rule in DEFAULT_RULES)
    assert {"mid_year", "year_end_report", "quarter", "within_year", "within_month"} <= set(ids)


def test_a_rule_can_be_reconfigured_without_touching_the_reader() -> None:
    rules = with_proposal(DEFAULT_RULES, "mid_year", FixedDay(6, 20))
    reading = read_text(directive("Sơ kết 6 tháng đầu năm 2025."), rules=rules)
    assert reading.deadlines[0].date == date(2025, 6, 20)
    with pytest.raises(KeyError):
        with_proposal(DEFAULT_RULES, "no_such_rule", FixedDay(1, 1))


def test_a_rule_can_be_added() -> None:
    year_end = RelativeRule(
        id="year_end",
        kind=DeadlineKind.RELATIVE,
        description="Cuối năm: ngày 31/12",
        patterns=(r"cuối\s+năm(?:\s+(?P<year>\d{4}))?",),
        proposal=FixedDay(12, 31),
    )
    reading = read_text(directive("Hoàn thành cuối năm 2025."), rules=(*DEFAULT_RULES, year_end))
    assert [(d.rule, d.date) for d in reading.deadlines] == [("year_end", date(2025, 12, 31))]


def test_the_working_calendar_is_one_swappable_function() -> None:
    context = RuleContext(IssueDate(2025, 3, 10), last_working_day=lambda y, m: date(y, m, 24))
    assert YearLastWorkingDay().propose({"year": "2025"}, context) == date(2025, 12, 24)


def reading_for(body: str) -> Reading:
    return read_text(directive(body))


def test_deadlines_in_sub_items_belong_to_their_item() -> None:
    reading = reading_for(
        "Tổ chức thực hiện\na) Sở Nội vụ báo cáo trước ngày 15/12/2025.\nb) Khác."
    )
    assert [(d.task_item, d.text) for d in reading.deadlines] == [(1, "trước ngày 15/12/2025")]
