"""Documents a directive cites (`Căn cứ Công văn số 343/MTTW-BTT, ngày 18/02/2025`).

Their dates are the commonest false deadline, so the same pattern also gives the spans
that the deadline finder must not look into.
"""

from __future__ import annotations

import re
from functools import cache

from schedules.directive.dates import DATE_TEXT, parse_date_text
from schedules.directive.model import Reference

# A document number: digits, an optional year, then letter codes joined by "-" and "/":
# 534/LĐLĐ, 25-NQ/CP, 1526/QĐ-TTg, 08/2024/NĐ-CP, 45/2019/QH14.
NUMBER = (
    r"\d{1,5}(?:/\d{4})?(?:-[^\W\d_][\w&]*)?"
    r"(?:/[^\W\d_][\w&]*(?:-[\w&]+)*)+"
)


@cache
def _cited() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w/])(?P<number>{NUMBER})\s*,?\s*(?:được\s+ban\s+hành\s+)?(?:vào\s+)?"
        rf"ngày\s+(?P<date>{DATE_TEXT})",
        re.IGNORECASE,
    )


def find_references(text: str, *, own: Reference | None = None) -> tuple[Reference, ...]:
    """Each cited number with its date, once, in the order first cited; never `own`."""
    found: dict[tuple[str, str], Reference] = {}
    for match in _cited().finditer(text):
        day, _ = parse_date_text(match.group("date"))
        if day is None:
            continue
        reference = Reference(match.group("number"), day)
        if reference != own:
            found.setdefault((reference.number, day.isoformat()), reference)
    return tuple(found.values())


def cited_spans(text: str) -> list[tuple[int, int]]:
    """Where citations sit in `text`: no deadline may be read inside them."""
    return [match.span() for match in _cited().finditer(text)]
