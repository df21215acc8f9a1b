"""The one folding of Vietnamese text that the grammar, the reader and the roster share."""

from __future__ import annotations

import pytest

from schedules.folding import fold, fold_aligned, fold_keeping_digits, fold_key, strip_marks


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


def test_folding_for_numbers_keeps_other_digits_as_typed() -> None:
    # `fold` would make «１２» and «²» into 12 and 2: words that carry a number keep them.
    assert fold_keeping_digits("Chưa XONG việc １２") == "chua xong viec １２"
    assert fold_keeping_digits("mục ² và ٣") == "muc ² va ٣"
    assert fold_keeping_digits("Việc số 12") == "viec so 12"
