"""Which days are working days, for rules such as "trong năm 2025" → the year's last one.

Kept to one small function on purpose: `schedules.calendar` will own the full Vietnamese
working calendar (Saturday rules, make-up days); swapping this body for it is one edit.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from schedules.directive.dates import month_end

_SATURDAY = 5


def last_working_day(year: int, month: int = 12) -> date:
    """The last day of `month` that is not a weekend day nor a Vietnamese public holiday."""
    day = month_end(year, month)
    off = _public_holidays(year)
    while day.weekday() >= _SATURDAY or day in off:
        day -= timedelta(days=1)
    return day


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Public holidays of one year from `holidays.Vietnam`, loaded on first use."""
    # Imported here: building holiday tables is not work for import time.
    from holidays import country_holidays

    return frozenset(d for d in country_holidays("VN", years=year) if isinstance(d, date))
