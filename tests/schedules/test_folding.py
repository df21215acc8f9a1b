"""The one folding of Vietnamese text that the grammar, the reader and the roster share."""

from __future__ import annotations

import pytest

from schedules.folding import fold, fold_aligned, fold_key, strip_marks


@pytest.mark.parametrize("spelling", ["Ủy ban", "Uỷ ban", "UỶ BAN", "uy ban"])
def test_every_spelling_of_a_word_folds_alike(spelling: str) -> None:
    assert fold(spelling) == "uy ban"


def test_decomposed_input_folds_like_composed() -> None:
    assert fold("Đa\u0300 Na\u0302\u0303ng") == fold("Đà Nẵng") == "da nang"


def test_aligned_folding_keeps_each_character_in_place() -> None:
    original = "Kính gửi: LĐLĐ ﬁ huyện"
    folded = fold_aligned(original)
    assert len(folded) == len(original)
    start = folded.index("ldld")
    assert original[start : start + 4] == "LĐLĐ"


def test_header_keys_ignore_case_marks_and_separators() -> None:
    assert fold_key("Mã đơn vị") == fold_key("MA_DON_VI") == fold_key("ma don vi") == "madonvi"


def test_stripping_marks_keeps_capitals_for_a_plain_font() -> None:
    assert strip_marks("Đồng Nai, CĐCS Trường Tiểu học") == "Dong Nai, CDCS Truong Tieu hoc"
