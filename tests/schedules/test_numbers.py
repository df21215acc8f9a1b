"""Numbers from people and buttons: ASCII digits only, within the column's range; and the
check that turns away a forged button before any handler reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.button_prefixes import ButtonPrefix, is_well_formed
from schedules.numbers import INT32_MAX, digit_runs_fit, parse_id, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("007", 7),
        ("2147483647", INT32_MAX),
        ("2147483648", None),  # PostgreSQL's INTEGER ends one below
        ("999999999999", None),
        ("0", None),  # no row has id 0
        ("²", None),  # str.isdigit() says yes, int() says no
        ("١٢", None),  # int() reads Arabic-Indic digits as 12
        ("１２", None),  # and full-width ones
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1 ", None),
        ("1_000", None),  # int() takes underscores
        ("", None),
        ("0" * 500 + "1", 1),
    ],
)
def test_an_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_only_ascii_digits_within_range_are_numbers(text: str) -> None:
    value = parse_int(text, high=100)
    if value is None:
        assert not (text.isascii() and text.isdigit() and int(text) <= 100)
    else:
        assert text.isascii() and text.isdigit() and 0 <= value <= 100 and int(text) == value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**80))
def test_a_whole_number_reads_back_when_it_fits(value: int) -> None:
    assert parse_int(str(value)) == (value if value <= INT32_MAX else None)


@pytest.mark.parametrize(
    "data",
    ["a:12:d", "a:12:w:50", "q:2147483647", "r:a:7", "i:ok:3", "bc:lvl:4:2", "n:9", "bc:new"],
)
def test_our_buttons_are_well_formed(data: str) -> None:
    assert is_well_formed(data)


@pytest.mark.parametrize(
    "data",
    ["a:2147483648:d", "a:²:d", "a:١:d", "n:１", "a:1:d\n", "a:1:d\x00", "a:" + "1" * 63, "đ:1"],
)
def test_forged_buttons_are_not(data: str) -> None:
    assert not is_well_formed(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(ButtonPrefix)), st.text(max_size=70))
def test_well_formed_data_holds_no_number_a_column_cannot(prefix: str, rest: str) -> None:
    data = f"{prefix}:{rest}"
    if is_well_formed(data):
        assert data.isascii() and len(data.encode()) <= 64 and digit_runs_fit(data)
        assert not any(char.isdigit() and char not in "0123456789" for char in data)
