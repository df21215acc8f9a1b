"""A deadline an officer types after a command: `20/12/2026`, `20/12` (the next 20/12) and
an optional time, `20/12 10:00` (also `10h`, `10h30`); without a time, the default hour.

Hand-written rather than dateutil's parser: it reads month-first and fills a missing year
with this year, not the next such date, and accepts forms an officer did not mean."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

DAY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4}))?$")
# A time needs its mark (`10:00`, `10h`, `10g30`): a bare number after the date is the
# task's first word (`/giaoviec 20/12 3 bản báo cáo`).
CLOCK = re.compile(r"^([0-9]{1,2})[:hg]([0-9]{2})?$", re.IGNORECASE)
# An officer's day ends at 17:00 unless the settings say otherwise (`NHACVIEC_DEADLINE_TIME`).
DEFAULT_TIME = time(17, 0)
# How far a date without a year may look for its next occurrence (29/02 waits for a leap year).
YEARS_AHEAD = 8


@dataclass(frozen=True, slots=True)
class TypedDeadline:
    """What was read: the moment (aware, in the officer's zone) and how many words it took."""

    at: datetime
    words: int


def looks_like_day(word: str) -> bool:
    """Whether a word is meant as a date (then a wrong one is answered as a wrong date)."""
    return DAY.match(word) is not None


def read_deadline(
    words: Sequence[str], *, now: datetime, zone: ZoneInfo, default_time: time = DEFAULT_TIME
) -> TypedDeadline | None:
    """The deadline at the start of `words`, or None when it is no date (a 31/02, a 25:00).
    A date without a year is the next such date from today; the horizon and the past are
    the caller's to check (`handlers.task_texts.deadline_problem`)."""
    if not words or (day_match := DAY.match(words[0])) is None:
        return None
    today = now.astimezone(zone).date()
    day, month = int(day_match.group(1)), int(day_match.group(2))
    year_text = day_match.group(3)
    found: date | None = None
    years = [int(year_text)] if year_text else range(today.year, today.year + YEARS_AHEAD)
    for year in years:
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if year_text or candidate >= today:
            found = candidate
            break
    if found is None:
        return None
    at_time, used = default_time, 1
    if len(words) > 1 and (clock := CLOCK.match(words[1])) is not None:
        hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
        if hour > 23 or minute > 59:
            return None
        at_time, used = time(hour, minute), 2
    return TypedDeadline(datetime.combine(found, at_time, tzinfo=zone), used)
