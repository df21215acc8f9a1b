"""A header written as a sentence: "Công văn số 68/CĐCS ngày 10/7/2014 của Ban Thường vụ
LĐLĐ tỉnh về việc …", "Trích Thông báo số 45/TB-LĐLĐ ngày 12/3/2025 …".

Portal pages, extracts and forwarded notices lose the printed header but keep its facts in
the opening sentence. Only a sentence that *opens* a paragraph is read, so the documents a
directive cites ("Căn cứ Công văn số 343/MTTW-BTT ngày …") are never taken for its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from schedules.directive.article import KINDS, place_of
from schedules.directive.dates import DATE_TEXT, parse_date_text
from schedules.directive.model import IssueDate
from schedules.directive.references import NUMBER
from schedules.directive.text import Line, join, paragraph_spans

# A prose header stands at the top, under a web page's banner and menus.
_OPENING_LINES = 40


@dataclass(frozen=True, slots=True)
class ProseHeader:
    """The facts of a header found in an opening sentence; any of them may be missing."""

    kind: str
    number: str | None
    issue_date: IssueDate | None
    issuer: str | None
    place: str | None
    subject: str | None
    # The lines of the opening paragraph, and what of it follows the header sentence.
    lines: tuple[int, int] = (0, 0)
    rest: str = ""


@cache
def _opening() -> re.Pattern[str]:
    return re.compile(
        r"^(?:(?:Trích(?:\s+(?:nội\s+dung|dẫn))?|Toàn\s+văn|Nội\s+dung)\s*:?\s+)?"
        rf"(?P<kind>{KINDS})(?:\s+(?:số\s*:?\s*(?P<number>{NUMBER})|(?P<bare>{NUMBER})))?"
        rf"(?:\s*,?\s*(?:ban\s+hành\s+)?(?:vào\s+)?ngày\s+(?P<date>{DATE_TEXT}))?"
        r"(?:\s*,?\s*của\s+(?P<issuer>[^,.;:\n]{3,120}?))?"
        r"(?:\s*,?\s*(?:về\s+việc|V\s*/\s*v|về)\s*:?\s*(?P<subject>[^\n]+?))?"
        r"\s*(?:[.:;]\s|[.:;]?$)",
        re.IGNORECASE,
    )


def find_prose_header(lines: list[Line]) -> ProseHeader | None:
    """The first opening paragraph that names the document's kind and number."""
    for start, end in paragraph_spans(lines[:_OPENING_LINES]):
        paragraph = join([line.text for line in lines[start:end]])
        match = _opening().match(paragraph)
        if match is None or not (match.group("number") or match.group("bare") or match["date"]):
            continue  # "Kế hoạch tổ chức …" alone is a title, not a header in prose
        when = match.group("date")
        day, _ = parse_date_text(when) if when else (None, False)
        issuer = match.group("issuer")
        subject = match.group("subject")
        return ProseHeader(
            kind=" ".join(match.group("kind").lower().split()),
            number=match.group("number") or match.group("bare"),
            issue_date=IssueDate(day.year, day.month, day.day) if day else None,
            issuer=issuer.strip() if issuer else None,
            place=place_of(issuer) if issuer else None,
            subject=subject.strip(" .;:") if subject else None,
            lines=(start, end),
            rest=paragraph[match.end() :].strip(),
        )
    return None
