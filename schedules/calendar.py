"""The Vietnamese working calendar: which days count, which hours are quiet, when a message may go.

Chairs of grassroots unions are part-time and on their phones; a reminder at night or on
a public holiday is a nuisance, and a ladder "counted in working days" must skip Tết.
Everything here is pure: moments come in aware, go out aware in UTC, and the only state is
a per-year cache of the public holidays, filled on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_TIMEZONE", "WorkingCalendar"]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

_SATURDAY = 5
_SUNDAY = 6
_ONE_DAY = timedelta(days=1)


def _default_tz() -> ZoneInfo:
    """Resolve the default zone when a calendar is built, not when this module is imported."""
    return ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True)
class _YearDays:
    """Days of one calendar year that differ from the plain weekly rule."""

    holidays: frozenset[date]
    # Weekend days declared working to make up for a bridged holiday (e.g. Sat 26/04/2025
    # for Fri 02/05/2025): they matter only when Saturday is configured off.
    workdays: frozenset[date]


def _load_year(year: int) -> _YearDays:
    """One year from the maintained `holidays` library, observed and substituted days included."""
    # A heavy import, deferred until a calendar first needs a year.
    from holidays import country_holidays

    # A make-up workday can sit in the year before the holiday it pays for (27/12/2014 for
    # 02/01/2015), so look at the next year too and keep only this year's dates.
    table = country_holidays("VN", years=(year, year + 1))
    days_off = frozenset(d for d in table if isinstance(d, date) and d.year == year)
    workdays = frozenset(d for d in table.weekend_workdays if d.year == year)
    return _YearDays(holidays=days_off, workdays=workdays)


@dataclass(frozen=True)
class WorkingCalendar:
    """When a message to a chair may be sent, and how to count working days.

    Defaults follow the public sector: Sunday off, Saturday working (set `saturday_off`
    for units that rest both days), public holidays from `holidays.Vietnam` (lunar Tết,
    Giỗ Tổ Hùng Vương, observed and substituted days), nothing sent between 21:00 and
    07:00 local, and a deferred message goes out at 07:30 on the next working day.

    Methods that take a day accept a `date`, or an aware `datetime` read as its local
    date; every naive datetime is refused with ValueError, because guessing its zone is
    how reminders end up at 3 a.m.
    """

    tz: ZoneInfo = field(default_factory=_default_tz)
    saturday_off: bool = False
    sunday_off: bool = True
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    morning: time = time(7, 30)
    _years: dict[int, _YearDays] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    # Planning at national scale asks about the same few hundred days millions of times.
    _working: dict[date, bool] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        for name in ("quiet_start", "quiet_end", "morning"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ValueError(f"{name} must be a naive local time of day, got {value!r}")
        if self._quiet_at(self.morning):
            # Otherwise next_sendable could hand back a moment that is itself quiet.
            raise ValueError("the working morning must fall outside the quiet hours")

    # -- days ---------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True on a day a chair is at work: not a public holiday and not a weekly day off."""
        day = self._as_day(day)
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self._compute_working(day)
        return known

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0.

        `day` need not be a working day: one working day after a Tết holiday is the
        first working day after Tết.
        """
        day = self._as_day(day)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def last_working_day_before(self, day: date) -> date:
        """The latest working day strictly before `day`."""
        return self.add_working_days(day, -1)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b] (negative, counting [b, a), when b < a).

        Chosen so that `add_working_days(a, working_days_between(a, b)) == b` for any
        working day b: the "days left" and "days late" a message shows.
        """
        a, b = self._as_day(a), self._as_day(b)
        if b < a:
            span = (b + timedelta(days=n) for n in range((a - b).days))
            return -sum(1 for day in span if self.is_working_day(day))
        span = (a + timedelta(days=n) for n in range(1, (b - a).days + 1))
        return sum(1 for day in span if self.is_working_day(day))

    # -- moments ------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """The same instant on the local wall clock."""
        return _require_aware(moment).astimezone(self.tz)

    def is_quiet(self, moment: datetime) -> bool:
        """True when the local time of day is inside the quiet hours (start included, end not)."""
        return self._quiet_at(self.local(moment).time())

    def morning_of(self, day: date) -> datetime:
        """The working-morning time on that local date, in UTC (working day or not)."""
        day = self._as_day(day)
        return datetime.combine(day, self.morning, tzinfo=self.tz).astimezone(UTC)

    def next_sendable(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` when a chair may be written to, in UTC.

        A moment on a working day outside the quiet hours is returned as it is (in UTC).
        Any other moment moves to a working morning: the same day's when it is a working
        day and the morning is still ahead, otherwise the next working day's.
        """
        here = self.local(moment)
        day = here.date()
        if self.is_working_day(day):
            if not self._quiet_at(here.time()):
                return moment.astimezone(UTC)
            if here.time() < self.morning:
                return self.morning_of(day)
        return self.morning_of(self.add_working_days(day, 1))

    def format_date(self, moment_or_date: date | datetime) -> str:
        """dd/mm/yyyy of the local date, as Vietnamese letters and users write it."""
        day = self._as_day(moment_or_date)
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"

    # -- internals ----------------------------------------------------------------------

    def _quiet_at(self, clock: time) -> bool:
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        if start < end:
            return start <= clock < end
        return clock >= start or clock < end

    def _compute_working(self, day: date) -> bool:
        year = self._year(day.year)
        if day in year.holidays:
            return False
        weekday = day.weekday()
        if weekday == _SUNDAY and self.sunday_off:
            return day in year.workdays
        if weekday == _SATURDAY and self.saturday_off:
            return day in year.workdays
        return True

    def _as_day(self, day: date) -> date:
        if isinstance(day, datetime):
            return self.local(day).date()
        return day

    def _year(self, year: int) -> _YearDays:
        cached = self._years.get(year)
        if cached is None:
            cached = _load_year(year)
            self._years[year] = cached
        return cached


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: pass a timezone-aware moment")
    return moment
