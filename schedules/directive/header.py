"""The header of a directive: number, place and date, kind, subject, addressees.

Official documents follow Nghị định 30/2020/NĐ-CP's layout (`Số: 534/LĐLĐ`,
`Lai Châu, ngày 19 tháng 02 năm 2025`, `V/v …`, `Kính gửi: …`), but OCR, Word tables and
PDF columns shuffle its lines; so each field is looked for on its own, in the lines before
the first task, and the lines used are reported so that the body does not read them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.directive.dates import safe_date
from schedules.directive.model import IssueDate
from schedules.directive.references import NUMBER
from schedules.directive.text import Line, ends_sentence

# Document kinds as printed in a title line, and their usual code in a number (09/CT-UBND).
KIND_TITLES: dict[str, str] = {
    "CHỈ THỊ": "chỉ thị",
    "KẾ HOẠCH": "kế hoạch",
    "THÔNG BÁO": "thông báo",
    "HƯỚNG DẪN": "hướng dẫn",
    "QUYẾT ĐỊNH": "quyết định",
    "NGHỊ QUYẾT": "nghị quyết",
    "CÔNG VĂN": "công văn",
    "BÁO CÁO": "báo cáo",
    "CÔNG ĐIỆN": "công điện",
    "CHƯƠNG TRÌNH": "chương trình",
}
KIND_CODES: dict[str, str] = {
    "CT": "chỉ thị",
    "KH": "kế hoạch",
    "TB": "thông báo",
    "HD": "hướng dẫn",
    "QĐ": "quyết định",
    "NQ": "nghị quyết",
    "BC": "báo cáo",
    "CĐ": "công điện",
    "CTr": "chương trình",
}
DEFAULT_KIND = "công văn"

# The header seldom runs longer than this many lines, even with a two-column table flattened.
_HEADER_LINES = 40

_NUMBER_LINE = re.compile(r"^S[ốôo]\s*[:.]?\s*(?=\d)", re.IGNORECASE)
_NUMBER_START = re.compile(rf"^{NUMBER}")
_PLACE_DATE = re.compile(
    r"^\s*(?P<place>[^\W\d_][^\n,:;()\d]{0,48}?)\s*,\s*ngày\s*(?P<day>\d{1,2})?[\s.…_]*"
    r"tháng\s*(?P<month>\d{1,2})\s*[,.]?\s*năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"^(?:S[ốôo]\s*[:.]?|[^\W\d_][^,\d]{0,48},\s*ngày)$", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:V\s*/\s*v|Về\s+việc)\s*[:.]?\s*(?P<subject>.*)$", re.IGNORECASE)
# "Kinh gửi", "Kính gui": a web copy or OCR drops an accent; "Kính gởi" in the South.
_ADDRESSEES = re.compile(r"^K[íi]nh\s+g[ửởu]i\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-+•–—]\s*")
_ITEM_ONE = re.compile(r"^(?:1\s*[.)]|Điều\s+1\s*[.:])\s")
_STRUCTURAL = re.compile(
    r"^(?:S[ốôo]\s*[:.]?\s*\d|K[íi]nh\s+g[ửởu]i|Căn\s+cứ|Thực\s+hiện|CỘNG\s+HÒA|CỘNG\s+HOÀ|Độc\s+lập"
    r"|\d{1,2}\s*[.)]\s)",
    re.IGNORECASE,
)
_MOTTO = re.compile(r"\s*(?:CỘNG\s+HÒA|CỘNG\s+HOÀ|Độc\s+lập)", re.IGNORECASE)
# "Về …", and a Party directive's "của Ban Thường vụ Tỉnh ủy về …": not the subject's words.
_ABOUT = re.compile(r"^(?:của\s+[^,.;:]{3,80}?\s+)?về\s+(?:việc\s+)?(?=\S)", re.IGNORECASE)
_SUBJECT_TAIL_WORDS = 6
_ADDRESSEE_WORDS = 15


@dataclass(frozen=True, slots=True)
class Header:
    """The header fields found, and the indices of the lines they came from."""

    number: str | None
    place: str | None
    issue_date: IssueDate | None
    kind_title: str | None
    subject: str | None
    has_subject_line: bool
    recipients: tuple[str, ...]
    organisation: tuple[str, ...]
    used: frozenset[int]


def parse_header(lines: list[Line]) -> Header:
    """Read each header field from the lines before the first task."""
    end = _header_end(lines)
    used: set[int] = set()
    number, place, issue_date = _number_place_date(lines, end, used)
    kind_index, kind_title = _kind_title(lines, end)
    if kind_index is not None:
        used.add(kind_index)
    subject, has_subject_line = _subject(lines, end, kind_index, used)
    recipients = _recipients(lines, end, used)
    organisation = _organisation(lines, end, used)
    return Header(
        number=number,
        place=place,
        issue_date=issue_date,
        kind_title=kind_title,
        subject=subject,
        has_subject_line=has_subject_line,
        recipients=recipients,
        organisation=organisation,
        used=frozenset(used),
    )


def kind_of(header: Header) -> str:
    """The kind: a title line wins, then a `V/v` line (công văn), then the number's code."""
    if header.kind_title:
        return header.kind_title
    if header.has_subject_line:
        return DEFAULT_KIND
    if header.number:
        for code in re.split(r"[-/]", header.number)[1:]:
            if code in KIND_CODES:
                return KIND_CODES[code]
    return DEFAULT_KIND


def _header_end(lines: list[Line]) -> int:
    limit = min(len(lines), _HEADER_LINES)
    return next((i for i in range(limit) if _ITEM_ONE.match(lines[i].text)), limit)


def _number_place_date(
    lines: list[Line], end: int, used: set[int]
) -> tuple[str | None, str | None, IssueDate | None]:
    number: str | None = None
    place: str | None = None
    issue_date: IssueDate | None = None
    for index in range(end):
        text = lines[index].text
        if index + 1 < end and _DANGLING.match(text):
            # A web table cell per line: "Số:" above "27/KH-LĐLĐ", "Tam Nông, ngày" above
            # "19 tháng 02 năm 2025".
            text = f"{text} {lines[index + 1].text}"
            if _NUMBER_LINE.match(text) or _PLACE_DATE.match(text):
                used.add(index + 1)
        rest = text
        if number is None and (found := _NUMBER_LINE.match(text)):
            compact = re.sub(r"\s*([/-])\s*", r"\1", text[found.end() :])
            if number_match := _NUMBER_START.match(compact):
                number = number_match.group()
                used.add(index)
                # A flattened two-column header: "Số: 534/LĐLĐ Lai Châu, ngày …".
                rest = compact[number_match.end() :]
        if issue_date is None and (dated := _PLACE_DATE.match(rest)):
            day = int(dated.group("day")) if dated.group("day") else None
            candidate = IssueDate(int(dated.group("year")), int(dated.group("month")), day)
            if _valid(candidate) and len(dated.group("place").split()) <= 6:
                place = dated.group("place").strip()
                issue_date = candidate
                used.add(index)
    return number, place, issue_date


def _valid(issue: IssueDate) -> bool:
    if not 1900 <= issue.year <= 2200:
        return False
    return safe_date(issue.year, issue.month, issue.day or 1) is not None


def _kind_title(lines: list[Line], end: int) -> tuple[int | None, str | None]:
    for index in range(end):
        text = lines[index].text.rstrip(".:")
        if not text.isupper():
            continue
        for title, kind in KIND_TITLES.items():
            if text == title or (text.startswith(title + " ") and len(text.split()) <= 5):
                return index, kind
    return None, None


def _subject(
    lines: list[Line], end: int, kind_index: int | None, used: set[int]
) -> tuple[str | None, bool]:
    for index in range(end):
        if found := _SUBJECT.match(lines[index].text):
            used.add(index)
            parts = [found.group("subject")]
            return _clean_subject(parts + _continuation(lines, index + 1, end, used)), True
    # Kế hoạch, thông báo, quyết định: the subject is the line under the title.
    if kind_index is not None and kind_index + 1 < end:
        first = lines[kind_index + 1]
        if not _is_structural(first.text) and not _PLACE_DATE.match(first.text):
            used.add(kind_index + 1)
            parts = [first.text, *_continuation(lines, kind_index + 2, end, used)]
            # "CHỈ THỊ / Về tăng cường …": the «Về» is the subject's preposition, not its words.
            parts[0] = _ABOUT.sub("", parts[0])
            return _clean_subject(parts), False
    return None, False


def _continuation(lines: list[Line], start: int, end: int, used: set[int]) -> list[str]:
    """Lines that carry on a wrapped subject, up to a blank line or the next header field."""
    parts: list[str] = []
    previous = lines[start - 1].text
    for index in range(start, end):
        line = lines[index]
        text = line.text
        if _is_structural(text) or _PLACE_DATE.match(text) or ends_sentence(previous):
            break
        # A subject in capitals wraps in capitals; one in lower case goes on in lower case,
        # even over a blank line (a web copy's paragraph break in mid-subject).
        if text.isupper() and not previous.isupper():
            break
        closes = _closes_header(lines, index, end)
        if line.after_blank and not text[:1].islower() and not closes:
            break
        wraps = closes or text[:1].islower() or text[:1].isdigit() or text[:1] in '(-–“"'
        if not wraps and len(text.split()) > _SUBJECT_TAIL_WORDS:
            break
        parts.append(text)
        used.add(index)
        previous = text
    return parts


def _closes_header(lines: list[Line], index: int, end: int) -> bool:
    """A capitalised line after a blank, directly above the place-date or `Kính gửi` line:
    still the subject ("… đối với dự thảo / (blank) / Luật Công đoàn …"), since nothing
    but the subject's tail stands between the `V/v` line and the next header field."""
    if index + 1 >= end or ends_sentence(lines[index].text):
        return False
    following = lines[index + 1].text
    return bool(_PLACE_DATE.match(following) or _ADDRESSEES.match(following))


def _is_structural(text: str) -> bool:
    return bool(_STRUCTURAL.match(text) or _SUBJECT.match(text) or _ADDRESSEES.match(text))


def _clean_subject(parts: list[str]) -> str | None:
    subject = " ".join(part.strip() for part in parts if part.strip()).strip(" .;,")
    return subject or None


def _recipients(lines: list[Line], end: int, used: set[int]) -> tuple[str, ...]:
    for index in range(end):
        found = _ADDRESSEES.match(lines[index].text)
        if found is None:
            continue
        used.add(index)
        names = [_strip_bullet(part) for part in found.group("rest").split(";")]
        names = [name for name in names if name]
        for follow in range(index + 1, min(len(lines), index + 30)):
            line = lines[follow]
            listed = bool(names) and lines[follow - 1].text.endswith(";")
            bare = (not names or listed) and _could_be_addressee(line.text)
            if _BULLET.match(line.text) or bare:
                names.append(_strip_bullet(line.text))
            elif names and _wraps(names[-1], line):
                names[-1] = f"{names[-1]} {_strip_bullet(line.text)}"
            else:
                break
            used.add(follow)
        return tuple(name for name in names if name)
    return ()


def _could_be_addressee(text: str) -> bool:
    """A bare line under an empty `Kính gửi:`: a name, not the first sentence of the body."""
    return not _is_structural(text) and len(text.split()) <= _ADDRESSEE_WORDS


def _organisation(lines: list[Line], end: int, used: set[int]) -> tuple[str, ...]:
    """The capitalised lines naming the issuing body above `Số:` (not the national motto)."""
    number_line = next((i for i in range(end) if _NUMBER_LINE.match(lines[i].text)), None)
    found: list[str] = []
    for index in range(number_line or 0):
        text = _MOTTO.split(lines[index].text)[0].strip()
        if text and text.isupper() and not _is_structural(text):
            found.append(text)
            used.add(index)
    return tuple(found)


def _wraps(previous: str, line: Line) -> bool:
    """A recipient that runs onto the next line: no punctuation yet, a lower-case start."""
    return not line.after_blank and not ends_sentence(previous) and line.text[:1].islower()


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", text.strip()).strip().rstrip(";,.").strip()
