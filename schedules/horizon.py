"""How far ahead a deadline may be set.

`date(9999, 12, 31)` is a valid date, but the reminder ladder counts working days past a
deadline and overflows the calendar there (`/giaoviec 31/12/9999 x` once ended in an
OverflowError and the generic apology). No union plan runs longer than a congress term
(five years) and a typo such as 2062 for 2026 should be caught, so a deadline more than
`DEADLINE_HORIZON_YEARS` ahead is refused with a sentence that says the limit.
"""

from __future__ import annotations

from datetime import date

DEADLINE_HORIZON_YEARS = 10


def latest_deadline(today: date) -> date:
    """The last day a deadline set `today` may fall on (29/02 becomes 28/02)."""
    year = today.year + DEADLINE_HORIZON_YEARS
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def beyond_horizon(day: date, today: date) -> bool:
    """True when `day` is too far ahead to be a deadline."""
    return day > latest_deadline(today)
