"""What a person typed, cleaned of what nobody can see before it is stored or read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schedules.clean_text import clean_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("\x01\x02\x1b[31m\u202e\u200bxong", "xong"),  # the escape goes whole: no "31m" left
        ("xo\x00ng", "xong"),
        ("\x1b[1;31mđang làm\x1b[0m 60%", "đang làm 60%"),
        ("\x1b]0;tiêu đề\x07vướng: thiếu kinh phí", "vướng: thiếu kinh phí"),
        ("\x1b]8;;https://x.vn\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b31mđỏ", "đỏ"),  # the 8-bit CSI
        ("\u2066kết\u2069 \u200fnạp\ufeff 12", "kết nạp 12"),  # isolates, marks, BOM
        ("x\u200by\u2060z\u00ad", "xyz"),  # zero-width space, word joiner, soft hyphen
        ("dòng 1\r\ndòng 2\rdòng 3\u2028dòng 4", "dòng 1\ndòng 2\ndòng 3\ndòng 4"),
        ("cột\tcột", "cột\tcột"),
        ("\ud800ab", "ab"),  # a lone surrogate, which no database could store
    ],
)
def test_invisible_and_control_characters_are_removed(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept


def test_what_people_mean_is_kept() -> None:
    family = "👨\u200d👩\u200d👧"  # the joiner inside an emoji stays
    text = f"Đã xong ạ 👍🏽 {family}\n«mục 2» – 100%"
    assert clean_text(text) == text


def test_an_unterminated_string_ends_with_its_line() -> None:
    assert clean_text("\x1b]0;junk\nxong") == "\nxong"


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_control_character(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not any(
        (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c == "\u202e"
        for c in cleaned
    )
