"""Dates as Vietnamese documents write them: `20/12/2020`, `30/9`, `ngày 06 tháng 3 năm 2020`.

`DATE_TEXT` is a regex fragment (no groups) for composing larger patterns; `parse_date_text`
turns the matched text into a date. Impossible dates (`31/2`) give None, never an error.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# Numeric with "/" (the year may be missing: "30/9"), numeric with "-" or "." (year required,
# so "2.375,5" is not a date), or in words: "15 tháng 6 năm 2025", "15 tháng 6".
DATE_TEXT = (
    r"(?:\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?(?![\d/])"
    r"|\d{1,2}[.-]\d{1,2}[.-]\d{4}(?!\d)"
    r"|\d{1,2}\s+tháng\s+\d{1,2}(?:\s*,?\s*năm\s+\d{4})?(?!\d))"
)

_PARTS = re.compile(
    r"(?P<day>\d{1,2})\s*(?:[/.-]|\s+tháng)\s*(?P<month>\d{1,2})"
    r"(?:\s*(?:[/.-]|,?\s*năm)\s*(?P<year>\d{4}))?",
    re.IGNORECASE,
)


def parse_date_text(text: str, default_year: int | None = None) -> tuple[date | None, bool]:
    """The date in `text` and whether its year came from `default_year` (it was not written)."""
    match = _PARTS.search(text)
    if match is None:
        return None, False
    year_text = match.group("year")
    year = int(year_text) if year_text else default_year
    if year is None:
        return None, True
    return safe_date(year, int(match.group("month")), int(match.group("day"))), not year_text


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers do not make one (OCR and typos produce such)."""
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])
