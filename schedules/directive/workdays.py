"""Which days are working days, for rules such as "trong năm 2025" → the year's last one.

The reader takes its notion of a working day from `schedules.calendar.WorkingCalendar`, with
the same default as the reminders (Sunday off, Saturday working, Vietnamese public holidays),
so a proposed date and the reminders counted towards it agree on what a working day is.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from schedules.calendar import WorkingCalendar
from schedules.directive.dates import month_end


def last_working_day(year: int, month: int = 12, calendar: WorkingCalendar | None = None) -> date:
    """The last working day of `month` by `calendar` (the default working calendar if None)."""
    days = calendar or _default_calendar()
    day = month_end(year, month)
    while not days.is_working_day(day):
        day -= timedelta(days=1)
    return day


@cache
def _default_calendar() -> WorkingCalendar:
    """Built on first use, not at import; it caches the holiday tables it loads."""
    return WorkingCalendar()


def last_working_day_before(day: date, calendar: WorkingCalendar | None = None) -> date:
    """The last working day strictly before `day` ("trước Tết" → the day the break starts)."""
    days = calendar or _default_calendar()
    day -= timedelta(days=1)
    while not days.is_working_day(day):
        day -= timedelta(days=1)
    return day


@cache
def lunar_new_year(year: int) -> date | None:
    """The first day of Tết Nguyên đán in `year`, from the maintained `holidays` library
    (its Vietnamese table; its lunisolar calendar class is private, the table is not)."""
    # A heavy import, deferred until a rule first needs Tết.
    from holidays import country_holidays

    table = country_holidays("VN", years=year, language="en_US")
    found = table.get_named("Lunar New Year", lookup="exact")
    return min(found) if found else None
