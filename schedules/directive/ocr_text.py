"""OCR's usual mistakes mended before the reader sees the text.

Tesseract confuses `0`/`O` and `1`/`l`/`I` inside numbers and dates (`2O25`, `l9/02`), reads
`Đ` as the Icelandic `Ð`, and drops diacritics from the header's keywords (`Kinh gui`,
`Noi nhan`). These fixes belong to OCR output only: in a typed document a letter beside a
digit is what the author wrote, so `extract_text` never applies them to a text layer.
"""

from __future__ import annotations

import re

from schedules.folding import fold

# Ð/ð (U+00D0/F0) are not Vietnamese letters; in OCR output they are always Đ/đ.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
# A run of digits and the letters OCR mistakes for digits, in a number or a date: at least
# one real digit, not inside a word (`Lai`, `tổ` stay as they are).
_NUMBERISH = re.compile(
    r"(?<![^\W\d_])(?=[0-9OolI/.\-]*\d)[0-9OolI]+(?:[/.\-][0-9OolI]+)*(?![^\W\d_])"
)
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
# The words of dates and lists, with a diacritic OCR got wrong (`nắm 2024`, `gốm:`), put back
# where what follows leaves no doubt: a year after `năm`, a number after `ngày`/`tháng`.
_DATE_WORDS = (
    (re.compile(r"(?<![^\W\d_])n[aăâáắấàằầảẳẩãẵẫạặậ]m(?=\s+\d{4}\b)"), "năm"),
    (re.compile(r"(?<![^\W\d_])th[aăâáắấàằầảẳẩãẵẫạặậ]ng(?=\s+\d{1,2}\b)"), "tháng"),
    (re.compile(r"(?<![^\W\d_])ng[aăâáắấàằầảẳẩãẵẫạặậ][yý]?(?=\s+\d{1,2}\b)"), "ngày"),
    (re.compile(r"(?<![^\W\d_])g[oôơóồốòờớỏổởõỗỡọộợ]m(?=\s*:)"), "gồm"),
)
# The union's own abbreviation, its Đ misread (`LĐĐLĐ`, `LĐLP`, `LÐLD`).
_LDLD = re.compile(r"(?<![^\W\d_])L[ĐD]{1,2}L[ĐDP]{1,2}(?![^\W\d_])")
# The subject's `V/v` with its slash misread (`V#`, `V|v`, `Vlv`, `VW`).
_VV = re.compile(r"^V\s?(?:[/|\\#lI1]\s?v?|/|W)(?=\s)")
# A header keyword at the start of a line, folded, and how it is written.
_KEYWORDS = (
    ("kinh gui", "Kính gửi"),
    ("noi nhan", "Nơi nhận"),
    ("so:", "Số:"),
    ("ve viec", "Về việc"),
)


def clean_ocr_text(text: str) -> str:
    """The OCR text with digits mended in numbers and dates and header keywords restored."""
    text = text.translate(_LOOKALIKES)
    return "\n".join(_clean_line(line) for line in text.split("\n"))


def _clean_line(line: str) -> str:
    line = _NUMBERISH.sub(lambda match: match.group().translate(_AS_DIGIT), line)
    for pattern, word in _DATE_WORDS:
        line = pattern.sub(word, line)
    line = _LDLD.sub("LĐLĐ", line)
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    stripped = _VV.sub("V/v", stripped)
    folded = fold(stripped)
    for plain, written in _KEYWORDS:
        if folded.startswith(plain) and stripped[: len(plain)] != written:
            after = stripped[len(plain) :]
            if not after[:1].isalpha():  # a whole word, not `Sổ tay` or `Kính gửi` already
                return indent + written + after
    return indent + stripped
