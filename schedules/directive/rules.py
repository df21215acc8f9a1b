"""The one table of rules that turn relative and periodic deadlines into proposed dates.

Directives rarely give a date: they say "6 tháng đầu năm 2024", "quý III", "trong năm 2025",
"hằng tháng trước ngày 25". Each rule here has an id, a Vietnamese description the officer
sees, the phrases it recognises, and how it proposes a date. A proposed date is always
flagged for the officer to confirm. To change a rule (say, mid-year data closes on 20/06),
pass a modified table to the reader, e.g. `with_proposal(DEFAULT_RULES, "mid_year",
FixedDay(6, 20))`; the rest of the reader does not change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from schedules.directive.dates import month_end, safe_date
from schedules.directive.model import DeadlineKind, IssueDate
from schedules.directive.workdays import last_working_day, last_working_day_before, lunar_new_year

Groups = Mapping[str, str | None]

_DAY_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Which month of a quarter a periodic phrase names, counted from 1.
_QUARTER_MONTHS = {"đầu": 1, "thứ nhất": 1, "giữa": 2, "thứ hai": 2, "cuối": 3, "thứ ba": 3}


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may know about the document: its issue date, and the working calendar."""

    issue_date: IssueDate | None
    last_working_day: Callable[[int, int], date] = last_working_day
    working_day_before: Callable[[date], date] = last_working_day_before
    lunar_new_year: Callable[[int], date | None] = lunar_new_year

    def year(self, groups: Groups) -> tuple[int | None, bool]:
        """The year written in the phrase, else the document's; and whether it was inferred."""
        written = groups.get("year")
        if written:
            return int(written), False
        return (self.issue_date.year if self.issue_date else None), True

    def start(self) -> date | None:
        """The first day the document can mean: its issue day, or its month's first day."""
        if self.issue_date is None:
            return None
        return safe_date(self.issue_date.year, self.issue_date.month, self.issue_date.day or 1)


class Proposal(Protocol):
    """How a rule turns a matched phrase into a proposed date."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None: ...


@dataclass(frozen=True, slots=True)
class FixedDay:
    """A fixed day of the phrase's year: report data closes then (15/06, 15/12)."""

    month: int
    day: int

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        year, _ = context.year(groups)
        return None if year is None else safe_date(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class QuarterEnd:
    """The last day of the quarter named in the phrase (`quý III` → 30/09)."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        quarter = _quarter(groups.get("quarter"))
        year, inferred = context.year(groups)
        if quarter is None or year is None:
            return None
        return _not_before_start(lambda y: month_end(y, quarter * 3), year, inferred, context)


@dataclass(frozen=True, slots=True)
class MonthLastWorkingDay:
    """The last working day of the month named (`trong tháng 7/2025` → 31/07/2025)."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        month = int(groups.get("month") or 0)
        year, inferred = context.year(groups)
        if not 1 <= month <= 12 or year is None:
            return None
        return _not_before_start(
            lambda y: context.last_working_day(y, month), year, inferred, context
        )


@dataclass(frozen=True, slots=True)
class BeforeLunarNewYear:
    """The last working day before Tết Nguyên đán: of the year written, else the first Tết
    after the issue date (a document of 10/12/2025 means Tết 2026)."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        year, inferred = context.year(groups)
        if year is None:
            return None
        tet = context.lunar_new_year(year)
        start = context.start()
        if inferred and tet is not None and start is not None and tet <= start:
            tet = context.lunar_new_year(year + 1)
        return context.working_day_before(tet) if tet is not None else None


@dataclass(frozen=True, slots=True)
class QuarterMonthDay:
    """A day of a month of every quarter (`trước ngày 20 của tháng cuối quý`): the first one
    on or after the issue date. `quý sau` moves it to the next quarter's month."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        start = context.start()
        day = int(groups.get("day") or 0)
        offset = _QUARTER_MONTHS.get(" ".join((groups.get("which") or "").lower().split()))
        if start is None or offset is None or not 1 <= day <= 31:
            return None
        offset += 3 if groups.get("next") else 0
        first_month = (start.month - 1) // 3 * 3  # months since January of this quarter's start
        for quarter in range(-1, 5):  # the quarter before (for "quý sau") up to a year on
            months = first_month + quarter * 3 + offset - 1
            year, month = start.year + months // 12, months % 12 + 1
            candidate = _clamped(year, month, day)
            if candidate >= start:
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class YearlyDays:
    """The first of the days listed (`trước ngày 15/6 và 15/12 hằng năm`) on or after issue."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        start = context.start()
        if start is None:
            return None
        pairs = [(int(d), int(m)) for d, m in _DAY_MONTH.findall(groups.get("days") or "")]
        candidates = [
            day
            for year in (start.year, start.year + 1)
            for d, m in pairs
            if (day := safe_date(year, m, d)) is not None and day >= start
        ]
        return min(candidates, default=None)


@dataclass(frozen=True, slots=True)
class YearLastWorkingDay:
    """The last working day of the phrase's year (`trong năm 2025` → 31/12/2025)."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        year, _ = context.year(groups)
        return None if year is None else context.last_working_day(year, 12)


@dataclass(frozen=True, slots=True)
class MonthlyDay:
    """The first monthly due day from issue on (`hằng tháng trước ngày 25`), else month end."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        start = context.start()
        if start is None:
            return None
        written = groups.get("day")
        day = int(written) if written else 31
        if not 1 <= day <= 31:
            return None
        first = _clamped(start.year, start.month, day)
        if first >= start:
            return first
        following = month_end(start.year, start.month) + timedelta(days=1)
        return _clamped(following.year, following.month, day)


@dataclass(frozen=True, slots=True)
class CurrentQuarterEnd:
    """The end of the quarter the document is issued in (`định kỳ hằng quý`)."""

    def propose(self, groups: Groups, context: RuleContext) -> date | None:
        start = context.start()
        if start is None:
            return None
        return month_end(start.year, (start.month - 1) // 3 * 3 + 3)


@dataclass(frozen=True, slots=True)
class RelativeRule:
    """One row of the table: phrases (regex, case-insensitive) and how to propose a date."""

    id: str
    kind: DeadlineKind
    description: str
    patterns: tuple[str, ...]
    proposal: Proposal


_AFTER_WORD = r"(?![\w])"
_BEFORE_WORD = r"(?<![\w])"
_YEAR = r"(?:\s*(?:/|,?\s*năm)\s*(?P<year>\d{4}))?"  # "quý III/2025", "tháng 10 năm 2025"
_YEAR_AFTER_NAM = r"(?:\s+(?P<year>\d{4}))?"  # "6 tháng đầu năm 2024"
_EVERY = r"(?:hằng|hàng)"
# A lunar year's name: one of the ten stems and one of the twelve branches ("Bính Ngọ").
_CAN_CHI = (
    r"(?:Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Canh|Tân|Nhâm|Quý)\s+"
    r"(?:Tý|Sửu|Dần|Mão|Thìn|Tỵ|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)"
)

DEFAULT_RULES: tuple[RelativeRule, ...] = (
    RelativeRule(
        id="monthly",
        kind=DeadlineKind.PERIODIC,
        description="Hằng tháng: hạn đầu tiên kể từ ngày ban hành (ngày ghi trong văn bản, "
        "không ghi thì cuối tháng)",
        patterns=(
            rf"{_BEFORE_WORD}(?:định\s+kỳ\s+)?{_EVERY}\s+tháng(?:\s*,?\s*(?:trước|chậm\s+nhất"
            r"(?:\s+là)?|vào|trong)\s+ngày\s+(?P<day>\d{1,2})(?![\d/]))?",
            r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<day>\d{1,2})\s+"
            rf"{_EVERY}\s+tháng",
        ),
        proposal=MonthlyDay(),
    ),
    RelativeRule(
        id="quarter_month_day",
        kind=DeadlineKind.PERIODIC,
        description="Hằng quý, ngày ghi trong văn bản của tháng đầu/giữa/cuối quý: hạn đầu "
        "tiên kể từ ngày ban hành",
        patterns=(
            # "Định kỳ hằng quý, báo cáo trước ngày 20 …": the longest phrase wins, so the
            # recurrence and its day are one deadline, not two.
            rf"(?:(?:định\s+kỳ\s+)?{_EVERY}\s+quý\s*,?\s*(?:[^\W\d_]+\s+){{0,4}}?)?"
            r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<day>\d{1,2})\s+(?:của\s+)?"
            r"tháng\s+(?P<which>đầu|giữa|cuối|thứ\s+(?:nhất|hai|ba))\s+(?:của\s+)?"
            rf"(?:mỗi\s+|{_EVERY}\s+)?quý(?:\s+(?P<next>sau|tiếp\s+theo|kế\s+tiếp))?{_AFTER_WORD}",
        ),
        proposal=QuarterMonthDay(),
    ),
    RelativeRule(
        id="yearly_days",
        kind=DeadlineKind.PERIODIC,
        description="Hằng năm vào các ngày ghi trong văn bản: ngày gần nhất kể từ ngày ban hành",
        patterns=(
            r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+(?:ngày\s+)?(?P<days>\d{1,2}\s*/\s*\d{1,2}"
            r"(?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2})*)(?![\d/])\s*,?\s+"
            rf"{_EVERY}\s+năm{_AFTER_WORD}",
        ),
        proposal=YearlyDays(),
    ),
    RelativeRule(
        id="quarterly",
        kind=DeadlineKind.PERIODIC,
        description="Định kỳ hằng quý: ngày cuối của quý ban hành văn bản",
        patterns=(rf"{_BEFORE_WORD}(?:định\s+kỳ\s+)?{_EVERY}\s+quý{_AFTER_WORD}",),
        proposal=CurrentQuarterEnd(),
    ),
    RelativeRule(
        id="yearly",
        kind=DeadlineKind.PERIODIC,
        description="Định kỳ hằng năm: ngày 15/12, kỳ báo cáo năm",
        patterns=(rf"định\s+kỳ\s+{_EVERY}\s+năm{_AFTER_WORD}",),
        proposal=FixedDay(12, 15),
    ),
    RelativeRule(
        id="mid_year",
        kind=DeadlineKind.RELATIVE,
        description="Sơ kết 6 tháng đầu năm: số liệu chốt ngày 15/06",
        patterns=(
            rf"{_BEFORE_WORD}(?:06|6|sáu)\s+tháng\s+đầu\s+năm{_YEAR_AFTER_NAM}(?!\s*\d)",
            rf"sơ\s+kết\s+(?:06|6|sáu)\s+tháng(?!\s+(?:đầu|cuối)){_AFTER_WORD}",
        ),
        proposal=FixedDay(6, 15),
    ),
    RelativeRule(
        id="nine_months",
        kind=DeadlineKind.RELATIVE,
        description="Báo cáo 9 tháng: số liệu chốt ngày 15/09",
        patterns=(
            rf"{_BEFORE_WORD}(?:09|9|chín)\s+tháng\s+(?:đầu\s+)?năm{_YEAR_AFTER_NAM}(?!\s*\d)",
        ),
        proposal=FixedDay(9, 15),
    ),
    RelativeRule(
        id="year_end_report",
        kind=DeadlineKind.RELATIVE,
        description="Báo cáo tổng kết năm: số liệu chốt ngày 15/12",
        patterns=(
            # "báo cáo tổng kết công tác thi đua, khen thưởng năm 2024": up to 12 words
            # between, but not "5 năm" (a five-year review is not the year's report).
            r"báo\s+cáo\s+tổng\s+kết(?:[\s,]+(?!năm(?![\w]))[^\s.;:!?,]+){0,12}?"
            r"[\s,]+(?<!\d\s)năm(?:\s+(?P<year>\d{4}))?(?![\w])",
            rf"{_BEFORE_WORD}tổng\s+kết\s+(?:công\s+tác\s+)?năm(?:\s+(?P<year>\d{{4}}))?(?![\w])",
        ),
        proposal=FixedDay(12, 15),
    ),
    RelativeRule(
        id="quarter",
        kind=DeadlineKind.RELATIVE,
        description="Quý I, II, III, IV: ngày cuối cùng của quý",
        patterns=(rf"{_BEFORE_WORD}quý\s+(?P<quarter>IV|I{{1,3}}|[1-4]){_AFTER_WORD}{_YEAR}",),
        proposal=QuarterEnd(),
    ),
    RelativeRule(
        id="within_year",
        kind=DeadlineKind.RELATIVE,
        description="Trong năm: ngày làm việc cuối cùng của năm",
        patterns=(
            rf"{_BEFORE_WORD}(?:trong|đến\s+hết)\s+năm\s+(?P<year>\d{{4}})(?!\s*[-–]\s*\d)(?!\d)",
        ),
        proposal=YearLastWorkingDay(),
    ),
    RelativeRule(
        id="within_month",
        kind=DeadlineKind.RELATIVE,
        description="Trong tháng: ngày làm việc cuối cùng của tháng",
        patterns=(rf"{_BEFORE_WORD}trong\s+tháng\s+(?P<month>\d{{1,2}})(?!\d){_YEAR}(?![\d/])",),
        proposal=MonthLastWorkingDay(),
    ),
    RelativeRule(
        id="before_tet",
        kind=DeadlineKind.RELATIVE,
        description="Trước Tết Nguyên đán: ngày làm việc cuối cùng trước Tết (theo âm lịch)",
        patterns=(
            r"(?:trước|chậm\s+nhất(?:\s+là)?\s+trước)\s+(?:kỳ\s+nghỉ\s+)?Tết"
            r"(?:\s+(?:Nguyên\s+đán|Âm\s+lịch|cổ\s+truyền))?"
            r"(?!\s+Dương)"  # Tết Dương lịch is New Year's Day, not the lunar Tết
            rf"(?:\s+{_CAN_CHI})?"  # the year's name: Bính Ngọ
            r"(?:\s+(?:năm\s+)?(?P<year>\d{4}))?(?![\w/])",
        ),
        proposal=BeforeLunarNewYear(),
    ),
)


def with_proposal(
    rules: Sequence[RelativeRule], rule_id: str, proposal: Proposal
) -> tuple[RelativeRule, ...]:
    """A copy of the table where one rule proposes its date differently."""
    if rule_id not in {rule.id for rule in rules}:
        raise KeyError(rule_id)
    return tuple(
        dataclasses.replace(rule, proposal=proposal) if rule.id == rule_id else rule
        for rule in rules
    )


def rule_description(rule_id: str, rules: Sequence[RelativeRule] = DEFAULT_RULES) -> str | None:
    """The Vietnamese description of a rule, to show next to a proposed date."""
    return next((rule.description for rule in rules if rule.id == rule_id), None)


def _quarter(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 4 else None
    return _ROMAN_QUARTERS.get(text.lower())


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_end(year, month).day))


def _not_before_start(
    make: Callable[[int], date], year: int, inferred: bool, context: RuleContext
) -> date:
    """A period named without a year that has passed at issue means next year's."""
    proposed = make(year)
    start = context.start()
    if inferred and start is not None and proposed < start:
        return make(year + 1)
    return proposed
