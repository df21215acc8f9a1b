"""Who issues the directive, read from the body's own sentences.

Headers are often lost in OCR, but the body names its author as the subject of a request:
"Ban Thường vụ LĐLĐ tỉnh đề nghị …", "Chủ tịch Ủy ban nhân dân tỉnh phát động …". The
signer block says how that name starts (`TM. BAN THƯỜNG VỤ` → "Ban Thường vụ"); matching
is done on folded text so that `Ủy`/`Uỷ` and capitals do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from schedules.folding import fold_aligned as fold

# Verbs by which the author of a directive asks, orders or launches (folded, no diacritics).
_VERBS = (
    r"de\s+nghi|yeu\s+cau|phat\s+dong|chi\s+thi|thong\s+bao|huong\s+dan|quyet\s+dinh"
    # "giao" folded is also "Giáo" of "Công đoàn Giáo dục": not a verb before "dục".
    r"|ban\s+hanh|chi\s+dao|giao(?!\s+duc)|kinh\s+gui|xem\s+xet|xay\s+dung\s+ke\s+hoach"
)
# Words that end a name: what follows is no longer the author ("của", "về", "đã" …).
# "co" folded is also "Cơ"/"Cổ" of "Công đoàn cơ sở", "cơ quan", "Công ty Cổ phần": not "có";
# "da" is also "Đa" of "Bệnh viện Đa khoa": not "đã".
_NOT_NAME = (
    r"(?:ve|cua|da(?!\s+khoa)|se|la|va|co(?!\s+(?:so|quan|phan))"
    r"|thi|tai|theo|nham|voi|trong)"
)
# Bodies that sign directives, tried when the signer block names none (a flattened PDF).
_USUAL_AUTHORS = ("Ban Thường vụ", "Ban Chấp hành", "Thường trực", "Chủ tịch", "Ủy ban nhân dân")
# A grassroots union's full name runs long: "Công đoàn cơ sở Bệnh viện Đa khoa tỉnh Bắc
# Giang" is eleven words after "Ban Chấp hành"; a sentence's punctuation ends a name anyway.
_NAME_WORDS = 12
_SUB_BODY = re.compile(r"^(?:BAN\s+THƯỜNG\s+VỤ|BAN\s+CHẤP\s+HÀNH|THƯỜNG\s+TRỰC)$")
# "… tỉnh", and a Party committee named by its level alone ("Ban Thường vụ Tỉnh ủy").
_LEVELS = (
    *("tinh", "huyen", "thanh pho", "quan", "thi xa", "xa", "phuong", "tp"),
    *("tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy"),
)
_LEVEL_PREFIX = re.compile(r"^(?:tỉnh|huyện|thành\s+phố|tp\.?|quận|thị\s+xã|xã|phường)\s", re.I)


@cache
def _author(head: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in fold(head).split())
    return re.compile(
        rf"(?<![\w])(?P<name>{words}(?:\s+(?!(?:{_NOT_NAME}|{_VERBS})(?![\w]))[^\s,.;:()“”\"]+){{1,{_NAME_WORDS}}}?)"
        rf"\s+(?:{_VERBS})(?![\w])"
    )


def find_issuer(
    text: str, head: str | None, place: str | None, organisation: Sequence[str] = ()
) -> str | None:
    """Who issues: named in the body as the signer's body asking something, else as any
    usual author ("Ban Thường vụ …"), else the capitalised name above the number."""
    for candidate in (head, *_USUAL_AUTHORS):
        if candidate and (name := _first_author(text, candidate)):
            return with_place(name, place)
    return _from_organisation(organisation)


def _first_author(text: str, head: str) -> str | None:
    """The first "<head> <organisation> <verb>" not inside "của …" (a cited author)."""
    folded = fold(text)
    for match in _author(head).finditer(folded):
        if not folded[: match.start()].rstrip().endswith(" cua"):
            return text[match.start() : match.end("name")].strip()
    return None


def _from_organisation(lines: Sequence[str]) -> str | None:
    """ "LĐLĐ TỈNH LAI CHÂU / BAN THƯỜNG VỤ" → "BAN THƯỜNG VỤ LĐLĐ TỈNH LAI CHÂU"."""
    if not lines:
        return None
    last = lines[-1]
    if len(lines) > 1 and _SUB_BODY.match(last):
        return f"{last} {lines[-2]}"
    return last


def opens_with_issuer(text: str, head: str | None) -> bool:
    """The paragraph starts with the author asking something: the closing words of a directive."""
    if not head:
        return False
    match = _author(head).match(fold(text))
    return match is not None


def with_place(name: str, place: str | None) -> str:
    """Complete "LĐLĐ tỉnh" with the place's name when the place line gives a bare name."""
    if not place or _LEVEL_PREFIX.match(place + " "):
        return name
    folded = fold(name)
    if any(folded.endswith(" " + level) for level in _LEVELS):
        return f"{name} {place}"
    return name
