"""OCR's usual mistakes mended before the reader sees the text.

Tesseract confuses `0`/`O` and `1`/`l`/`I` inside numbers and dates (`2O25`, `l9/02`), reads
`Đ` as the Icelandic `Ð`, and drops diacritics from the header's keywords (`Kinh gui`,
`Noi nhan`). These fixes belong to OCR output only: in a typed document a letter beside a
digit is what the author wrote, so `extract_text` never applies them to a text layer.

A pasted OCR text reaches the reader as typed text, though, so `mend_digit_slips` applies
the one fix that is safe anywhere: `O`/`o`/`l` for a digit in a token that already has a
real digit and stands where only a number can (`Số: 1O5/…`, `ngày l2`, `năm 2O25`,
`3O/7/2O25`). `I` is never read as 1 there (Roman numerals: `III.1`), and nothing else
changes: a word next to a number stays as written.
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


# `Số:` with its vowel misread (`Sẽ:`, `Sô:`, `Sở:`), known by the number and slash after it.
_NUMBER_KEY = re.compile(r"^S[^\W\d_]?\s*[:.]\s*(?=\d{1,5}\s*/)")
# A title line in capitals with a diacritic misread (`THÔNG BẢO`), folded to its kind's title.
_TITLES = {
    fold(title): title
    for title in ("THÔNG BÁO", "KẾ HOẠCH", "CHỈ THỊ", "HƯỚNG DẪN", "CÔNG VĂN", "QUYẾT ĐỊNH")
}


# A section heading in capitals numbered with ones only (`1.`, `11.`, `111.`): Tesseract's
# reading of `I.`, `II.`, `III.`. Arabic section numbers in capitals would run 1, 2, 3.
_ONES_HEADING = re.compile(r"^(?P<ones>1{1,3})\s*\.\s+(?=[^\W\d_]*[A-ZĐÀ-Ỹ])(?P<title>.+)$", re.M)
_ARABIC_HEADING = re.compile(r"^(?:[2-9]|10)\s*\.\s+(?P<title>.+)$", re.M)


def clean_ocr_text(text: str) -> str:
    """The OCR text with digits mended in numbers and dates and header keywords restored."""
    text = text.translate(_LOOKALIKES)
    return _roman_headings("\n".join(_clean_line(line) for line in text.split("\n")))


def _roman_headings(text: str) -> str:
    """`1. ĐỐI TƯỢNG … 11. HỒ SƠ` → `I. … II. …`, only when a heading of ones beyond `1`
    is there and no heading in capitals is numbered 2 to 10 (then they are arabic)."""
    headings = [m for m in _ONES_HEADING.finditer(text) if m.group("title").isupper()]
    if not any(len(m.group("ones")) > 1 for m in headings):
        return text
    if any(m.group("title").isupper() for m in _ARABIC_HEADING.finditer(text)):
        return text
    for match in reversed(headings):
        roman = "I" * len(match.group("ones"))
        text = f"{text[: match.start()]}{roman}. {match.group('title')}{text[match.end() :]}"
    return text


def _clean_line(line: str) -> str:
    line = _NUMBERISH.sub(lambda match: match.group().translate(_AS_DIGIT), line)
    for pattern, word in _DATE_WORDS:
        line = pattern.sub(word, line)
    line = _LDLD.sub("LĐLĐ", line)
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    stripped = _VV.sub("V/v", stripped)
    stripped = _NUMBER_KEY.sub("Số: ", stripped)
    if stripped.isupper() and (title := _TITLES.get(fold(stripped))):
        return indent + title
    folded = fold(stripped)
    for plain, written in _KEYWORDS:
        if folded.startswith(plain) and stripped[: len(plain)] != written:
            after = stripped[len(plain) :]
            if not after[:1].isalpha():  # a whole word, not `Sổ tay` or `Kính gửi` already
                return indent + written + after
    return indent + stripped


# Digit slips in a typed text: a token of digits and O/o/l with at least one real digit.
_SLIP = r"(?=[0-9Ool]*\d)[0-9Ool]"
_SLIP_DATE = re.compile(
    rf"(?<![\w/])(?=[0-9Ool/]*[Ool])(?:{_SLIP}{{1,2}})/(?:{_SLIP}{{1,2}})(?:/{_SLIP}{{2,4}})?"
    r"(?![\w/])"
)
_SLIP_AFTER_WORD = re.compile(
    rf"(?<![^\W\d_])((?:ngày|tháng|năm)\s+)(?=[0-9]*[Ool])({_SLIP}{{1,4}})(?![\w])",
    re.IGNORECASE,
)
_SLIP_NUMBER = re.compile(
    rf"(?<![^\W\d_])(S[ốô]\s*[:.]?\s*)(?=[0-9]*[Ool])({_SLIP}{{1,5}})(?=\s*/)", re.IGNORECASE
)


def mend_digit_slips(text: str) -> str:
    """`1O5/TB`, `ngày l2`, `3O/7/2O25` → `105/TB`, `ngày 12`, `30/7/2025` (see above)."""
    if not any(char in text for char in "Ool"):
        return text
    text = _SLIP_DATE.sub(lambda match: match.group().translate(_AS_DIGIT), text)
    for pattern in (_SLIP_AFTER_WORD, _SLIP_NUMBER):
        text = pattern.sub(lambda match: match.group(1) + match.group(2).translate(_AS_DIGIT), text)
    return text
