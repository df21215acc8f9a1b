"""The signer block at the foot of a directive (`TM. BAN THƯỜNG VỤ / PHÓ CHỦ TỊCH / name`).

Where it starts also tells where the body ends; the body it signs for (`BAN THƯỜNG VỤ`) is
what the issuer's name starts with in the body's own sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.directive.model import Signer
from schedules.directive.text import Line

_TITLE = (
    r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|CHỦ\s+NHIỆM|GIÁM\s+ĐỐC|TỔNG\s+GIÁM\s+ĐỐC|BÍ\s+THƯ"
    r"|TRƯỞNG\s+(?:BAN|PHÒNG|ĐOÀN|KHOA|KHỐI)|(?:HIỆU|VIỆN|CỤC|VỤ|BỘ|THỨ|THỦ)\s+TRƯỞNG"
    r"|CHÁNH\s+(?:VĂN\s+PHÒNG|THANH\s+TRA|ÁN)|ỦY\s+VIÊN|UỶ\s+VIÊN|TỔNG\s+BIÊN\s+TẬP"
    r"|TRƯỞNG\s+(?:TIỂU\s+)?BAN)"
)
_HAS_TITLE = re.compile(rf"(?<![\w]){_TITLE}(?![\w])")
_BEHALF = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\s*\.\s*")
_HEADING = re.compile(r"^(?:[IVX]{1,5}|\d{1,2})\s*[.)]")
_BULLET = re.compile(r"^[-+•–—]")
_RECEIVERS = re.compile(r"^N[ơo]i\s+nh[ậa]n", re.IGNORECASE)
_RECEIVERS_PREFIX = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?\s*", re.IGNORECASE)
_NOTE = re.compile(r"^[(\[].*[)\]]$|^(?:đã\s+ký|ký\s+thay|\(?chữ\s+ký)", re.IGNORECASE)
_MAX_TITLE_WORDS = 10
_NAME_LOOKAHEAD = 12


@dataclass(frozen=True, slots=True)
class SignerBlock:
    """The signer, the first line of the block, and the body signed for (`BAN THƯỜNG VỤ`)."""

    signer: Signer
    start: int | None
    head: str | None


def find_signer(lines: list[Line]) -> SignerBlock:
    """The last title line in the document, with the on-behalf lines above it and the name
    under; but the last one signed by a name, when a form attached after the signature
    ("Mẫu số 01 … TM. BAN CHẤP HÀNH / CHỦ TỊCH / (Ký tên, đóng dấu)") has its own, unsigned."""
    unsigned: SignerBlock | None = None
    for index in range(len(lines) - 1, -1, -1):
        # A flattened two-column foot: "Nơi nhận: KT. CHỦ TỊCH PHÓ CHỦ TỊCH".
        text, glued = _unglue(_RECEIVERS_PREFIX.sub("", lines[index].text))
        if not _is_title_line(text):
            continue
        start = index
        while (
            start > 0 and _is_upper(lines[start - 1].text) and _BEHALF.match(lines[start - 1].text)
        ):
            start -= 1
        behalf = [_BEHALF.sub("", lines[i].text) for i in range(start, index)]
        title = text
        if _BEHALF.match(text):
            # A flattened block on one line: "TM. BAN THƯỜNG VỤ PHÓ CHỦ TỊCH".
            title, split_behalf = _split_flattened(text)
            behalf += split_behalf
        head = behalf[0] if behalf else re.sub(r"^PHÓ\s+", "", title)
        name = glued or _name_after(lines, index + 1)
        block = SignerBlock(Signer(title=title, name=name), start, head.strip() or None)
        if name is not None:
            return block
        unsigned = unsigned or block
    return unsigned or SignerBlock(Signer(), None, None)


def body_end(lines: list[Line], block: SignerBlock) -> int:
    """Where the body stops: the signer block or `Nơi nhận`, whichever comes first."""
    end = block.start if block.start is not None else len(lines)
    receivers = next((i for i, line in enumerate(lines) if _RECEIVERS.match(line.text)), end)
    return min(end, receivers)


def _unglue(text: str) -> tuple[str, str | None]:
    """ "PHÓ CHỦ TỊCH Lương Thị Thu Hà" → the title and the name glued to it by a copy."""
    words = text.split()
    capitals = next((i for i, word in enumerate(words) if not word.isupper()), len(words))
    if 0 < capitals < len(words):
        name = " ".join(words[capitals:])
        if _is_person_name(name):
            return " ".join(words[:capitals]), name
    return text, None


def _is_title_line(text: str) -> bool:
    if not _is_upper(text) or _BULLET.match(text) or _HEADING.match(text):
        return False
    return len(text.split()) <= _MAX_TITLE_WORDS and bool(_HAS_TITLE.search(text))


def _is_upper(text: str) -> bool:
    return text.isupper()


def _split_flattened(text: str) -> tuple[str, list[str]]:
    """Split "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" into the title and what it signs for."""
    body = _BEHALF.sub("", text)
    parts = [_BEHALF.sub("", part) for part in re.split(r"\s+(?=(?:TM|KT|TL|TUQ)\s*\.)", body)]
    last = parts[-1]
    # The last title that leaves something in front of it is the signer's own.
    starts = [match.start() for match in _HAS_TITLE.finditer(last) if match.start() > 0]
    if not starts:
        return last, parts[:-1]
    return last[starts[-1] :], [*parts[:-1], last[: starts[-1]].strip()]


def _name_after(lines: list[Line], start: int) -> str | None:
    for index in range(start, min(len(lines), start + _NAME_LOOKAHEAD)):
        text = lines[index].text
        # Notes like "(Đã ký)", and the receivers' list when a PDF interleaves the columns.
        if _NOTE.match(text) or _BULLET.match(text):
            continue
        return text if _is_person_name(text) else None
    return None


def _is_person_name(text: str) -> bool:
    """Two to six words, each capitalised (or all in capitals), letters only: `Lê Văn Lương`."""
    words = text.split()
    if not 2 <= len(words) <= 6 or _RECEIVERS.match(text) or _HAS_TITLE.search(text.upper()):
        return False
    if not all(word.isalpha() for word in words):
        return False
    return all(word[0].isupper() and (word[1:].islower() or not word[1:]) for word in words) or (
        text.isupper()
    )
