"""Deadlines as officers type them: with or without the year, with a time in the forms
people write, and what is not a date at all."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from schedules.deadline_input import read_deadline
from tests.conftest import VN

NOW = datetime(2026, 12, 21, 9, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("typed", "expected", "words"),
    [
        ("20/12/2026", datetime(2026, 12, 20, 17, 0, tzinfo=VN), 1),
        ("21/12", datetime(2026, 12, 21, 17, 0, tzinfo=VN), 1),  # today: this year's
        ("20/12", datetime(2027, 12, 20, 17, 0, tzinfo=VN), 1),  # passed: next year's
        ("15.01 10:00", datetime(2027, 1, 15, 10, 0, tzinfo=VN), 2),
        ("15-01-2027 8h", datetime(2027, 1, 15, 8, 0, tzinfo=VN), 2),
        ("15/1 14h30 Nộp", datetime(2027, 1, 15, 14, 30, tzinfo=VN), 2),
        ("29/02", datetime(2028, 2, 29, 17, 0, tzinfo=VN), 1),  # the next leap year
        ("20/01 3 bản báo cáo", datetime(2027, 1, 20, 17, 0, tzinfo=VN), 1),  # no time mark
        ("31/12/9999", datetime(9999, 12, 31, 17, 0, tzinfo=VN), 1),  # the horizon: caller's
    ],
)
def test_read(typed: str, expected: datetime, words: int) -> None:
    read = read_deadline(typed.split(), now=NOW, zone=VN)
    assert read is not None
    assert (read.at, read.words) == (expected, words)


@pytest.mark.parametrize("typed", ["31/02", "31/02/2027", "20/12 24:00", "20/12 9:75", "Nộp", ""])
def test_not_a_deadline(typed: str) -> None:
    assert read_deadline(typed.split(), now=NOW, zone=VN) is None


def test_the_default_hour_is_the_settings() -> None:
    read = read_deadline(["20/01"], now=NOW, zone=VN, default_time=time(11, 30))
    assert read is not None and read.at == datetime(2027, 1, 20, 11, 30, tzinfo=VN)
