"""Who issues the directive, read from the body's own sentences.

Headers are often lost in OCR, but the body names its author as the subject of a request:
"Ban Thường vụ LĐLĐ tỉnh đề nghị …", "Chủ tịch Ủy ban nhân dân tỉnh phát động …". The
signer block says how that name starts (`TM. BAN THƯỜNG VỤ` → "Ban Thường vụ"); matching
is done on folded text so that `Ủy`/`Uỷ` and capitals do not matter.
"""

from __future__ import annotations

import re
from functools import cache

from schedules.directive.text import fold

# Verbs by which the author of a directive asks, orders or launches (folded, no diacritics).
_VERBS = (
    r"de\s+nghi|yeu\s+cau|phat\s+dong|chi\s+thi|thong\s+bao|huong\s+dan|quyet\s+dinh"
    r"|ban\s+hanh|chi\s+dao|giao|kinh\s+gui|xem\s+xet|xay\s+dung\s+ke\s+hoach"
)
# Words that end a name: what follows is no longer the author ("của", "về", "đã" …).
_NOT_NAME = r"(?:ve|cua|da|se|la|va|co|thi|tai|theo|nham|voi|trong)"
_LEVELS = ("tinh", "huyen", "thanh pho", "quan", "thi xa", "xa", "phuong", "tp")
_LEVEL_PREFIX = re.compile(r"^(?:tỉnh|huyện|thành\s+phố|tp\.?|quận|thị\s+xã|xã|phường)\s", re.I)


@cache
def _author(head: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in fold(head).split())
    return re.compile(
        rf"(?<![\w])(?P<name>{words}(?:\s+(?!(?:{_NOT_NAME}|{_VERBS})(?![\w]))[^\s,.;:()“”\"]+){{1,8}}?)"
        rf"\s+(?:{_VERBS})(?![\w])"
    )


def find_issuer(text: str, head: str | None, place: str | None) -> str | None:
    """The first "<head> <organisation> <verb>" in `text` not inside "của …" (a cited author)."""
    if not head:
        return None
    folded = fold(text)
    for match in _author(head).finditer(folded):
        if folded[: match.start()].rstrip().endswith(" cua"):
            continue
        name = text[match.start() : match.end("name")].strip()
        return with_place(name, place)
    return None


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
