"""Whole numbers that people type or that buttons carry: ASCII digits only, and only values
the column they go into can hold.

Why one helper: Python's `str.isdigit` is true for «²» (which `int` then refuses), `int`
and the regular expression `\\d` take «١٢» and «１２», and a PostgreSQL INTEGER holds at most
2,147,483,647 (SQLite holds more, so an out-of-range id passed every test there and failed
only in production with "integer out of range"). A number that no column can hold is no id
of ours: it is refused before any query, and the caller answers as for any stale or forged
input.
"""

from __future__ import annotations

import re

# The columns numbers go into: ids and small counts are INTEGER (32 bits on PostgreSQL);
# a reported figure (`replies.number`, money in đồng) is BIGINT.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# An ASCII digit, for patterns: `\d` matches every script's digits.
DIGIT = "[0-9]"

_DIGITS = re.compile(r"[0-9]+")


def parse_int(text: str, *, low: int = 0, high: int = INT32_MAX) -> int | None:
    """`text` as a whole number in `low..high`, written in ASCII digits and nothing else
    (no sign, no blanks); None otherwise. Long inputs are refused without converting them."""
    if not _DIGITS.fullmatch(text) or len(text.lstrip("0")) > len(str(high)):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text: str) -> int | None:
    """A row id carried by a button or typed in a command: 1..2,147,483,647, else None."""
    return parse_int(text, low=1)


def fits_int32(value: int) -> bool:
    """True when a value can be compared with an INTEGER column (an id, an item number)."""
    return -INT32_MAX - 1 <= value <= INT32_MAX


def fits_int64(value: int) -> bool:
    """True when a value can be stored in a BIGINT column (a reported figure)."""
    return -INT64_MAX - 1 <= value <= INT64_MAX


def digit_runs_fit(text: str, *, high: int = INT32_MAX) -> bool:
    """True when every run of ASCII digits in `text` is at most `high`: the check for a whole
    button payload, whose numbers are all ids or small indexes."""
    return all(parse_int(run, high=high) is not None for run in _DIGITS.findall(text))
