"""A news article that retells a directive ("Ngày 31/12/2024, Chủ tịch UBND tỉnh Lai Châu
ban hành Chỉ thị số 09/CT-UBND, về việc …"): no header, so the facts come from that sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from schedules.directive.dates import DATE_TEXT, parse_date_text
from schedules.directive.model import IssueDate
from schedules.directive.places import province_at_end
from schedules.directive.references import NUMBER
from schedules.directive.text import Line, paragraphs
from schedules.directive.text import join as join_text

KINDS = (
    r"chỉ\s+thị|kế\s+hoạch|công\s+văn|quyết\s+định|thông\s+báo|hướng\s+dẫn|nghị\s+quyết"
    r"|nghị\s+định|thông\s+tư|công\s+điện|chương\s+trình"
)
_LEVEL_AND_NAME = re.compile(
    r"(?:tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường)\s+(?P<name>(?:[^\W\d_]+\s*){1,4})$",
    re.IGNORECASE,
)
ARTICLE_PREFIX = "bài báo về "


@dataclass(frozen=True, slots=True)
class Article:
    """What an article says about the directive it retells."""

    kind: str
    number: str
    issuer: str
    place: str | None
    issue_date: IssueDate | None
    subject: str | None


# A news item opens with its source: "(LĐ) - ", "(GD&TĐ) - ", "PTĐN - ".
_SOURCE = r"(?:\([^()\n]{1,20}\)\s*[-–—]\s*|[A-ZĐ&]{2,10}\s*[-–—]\s*)?"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# "văn bản số 455/LĐLĐ" in a news item is a công văn.
_PLAIN_KINDS = {"văn bản": "công văn"}


@cache
def _retold() -> re.Pattern[str]:
    return re.compile(
        rf"(?:^|(?<=[.;:]\s)){_SOURCE}(?:ngày\s+(?P<date>{DATE_TEXT})\s*,\s*)?"
        rf"(?P<issuer>[^\W\d_][^,.;:\n]{{2,80}}?)\s+(?:vừa\s+|đã\s+)?(?:ký\s+)?"
        rf"(?:ban\s+hành|có|gửi)\s+(?P<kind>{KINDS}|văn\s+bản)\s+(?:số\s+)?(?P<number>{NUMBER})"
        rf"(?:\s*,?\s*ngày\s+(?P<date_after>{DATE_TEXT}))?"
        r"(?:(?:\s*,?\s+gửi\s+[^,.;:]{1,60}?)?"  # "gửi các cấp công đoàn"
        r"\s*,?\s*(?:về\s+việc|v/v|về)\s*:?\s*(?P<subject>.+?)(?:\.\s|\.?$))?",
        re.IGNORECASE,
    )


def find_article(lines: list[Line]) -> Article | None:
    """The first sentence that says who issued which directive, when, and about what."""
    for paragraph in paragraphs(lines):
        match = _retold().search(paragraph)
        if match is None:
            continue
        issuer = match.group("issuer").strip()
        when = match.group("date") or match.group("date_after")
        # "Ngày 17/10, …": the year is the news item's own, the first one it writes.
        year = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", join_text([line.text for line in lines]))
        day, _ = (
            parse_date_text(when, int(year.group()) if year else None) if when else (None, False)
        )
        issue_date = IssueDate(day.year, day.month, day.day) if day else None
        subject = match.group("subject")
        kind = " ".join(match.group("kind").lower().split())
        return Article(
            kind=ARTICLE_PREFIX + _PLAIN_KINDS.get(kind, kind),
            number=match.group("number"),
            issuer=issuer,
            place=place_of(issuer),
            issue_date=issue_date,
            subject=subject.strip(" .") if subject else None,
        )
    return None


def place_of(issuer: str) -> str | None:
    """ "Chủ tịch UBND tỉnh Lai Châu" → "Lai Châu": capitalised words after a level word;
    else a province's name ending the issuer's ("Công đoàn ngành Giáo dục Hà Nội")."""
    match = _LEVEL_AND_NAME.search(issuer)
    if match is None:
        return province_at_end(issuer)
    name = match.group("name").strip()
    return name if all(word[0].isupper() for word in name.split()) else None
