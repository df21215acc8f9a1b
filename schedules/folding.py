"""Vietnamese text folded for matching: the one place that takes diacritics off.

People type with diacritics, without them, in upper case, with `Uỷ` or `Ủy`; a header reads
`Mã đơn vị` or `MA_DON_VI`. Every comparison that should not care goes through here, so the
chair's grammar, the directive reader and the roster reader agree on what "the same" is.

Why not a library: `unidecode` and friends transliterate whole strings (and may change the
length), while the directive reader needs one character for one to map a match back, and
the reply grammar needs to know where each folded letter came from. What is needed is a
few lines over `unicodedata`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter plus a mark.
_EXTRA_FOLDS = {"đ": "d", "ð": "d", "ɗ": "d"}


@lru_cache(maxsize=4096)  # texts use a few hundred distinct characters; each is folded once
def fold_char(char: str) -> str:
    """One character lower-case without marks; may be empty (a lone mark) or longer (`ﬁ`)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_EXTRA_FOLDS.get(c, c) for c in plain)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d: `Ủy`, `Uỷ` and `UỶ` all give `uy`."""
    return "".join(fold_char(char) for char in text)


def fold_keeping_digits(text: str) -> str:
    """As `fold`, but numerals stay as typed: `fold` makes «１２» and «²» into 12 and 2 (NFKD),
    and words that carry a number (an officer's «chưa xong việc 12») must read it with ASCII
    digits only (`schedules.numbers`)."""
    return "".join(char if char.isnumeric() else fold_char(char) for char in text)


@lru_cache(maxsize=4096)
def _aligned_char(char: str) -> str:
    folded = fold_char(char)
    return folded if len(folded) == 1 else char


def fold_aligned(text: str) -> str:
    """As `fold`, but one character for one (a character that does not fold to exactly one
    is kept), so that a match in the folded text is a match at the same place in the original.
    """
    return "".join(_aligned_char(char) for char in text)


def fold_key(text: str) -> str:
    """Letters and digits only, folded: `Mã đơn vị`, `MA_DON_VI` and `ma don vi` are equal."""
    return "".join(char for char in fold(text) if char.isalnum())


def strip_marks(text: str) -> str:
    """Diacritics off, case kept (`Đồng Nai` → `Dong Nai`), for a font that has no Vietnamese."""
    folded = []
    for char in text:
        plain = fold_char(char)
        folded.append(plain.upper() if char.isupper() else plain)
    return "".join(folded)
