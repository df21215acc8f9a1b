"""A portal's "Thông tin văn bản" box: `Số ký hiệu: 640/LĐLĐ-TG`, `Ngày ban hành: 17/06/2025`,
`Loại văn bản: Công văn`, `Cơ quan ban hành: …`, `Người ký: …`, `Trích yếu: …`.

Web copies of a directive often drop the printed header and show these labelled lines
instead; they are the header's facts, so they fill the header's fields that are missing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from schedules.directive.article import place_of
from schedules.directive.dates import parse_date_text
from schedules.directive.header import KIND_TITLES, Header
from schedules.directive.model import IssueDate
from schedules.directive.references import NUMBER
from schedules.directive.text import Line
from schedules.folding import fold

_LABELS = {
    "number": r"số\s+(?:ký\s+hiệu|hiệu|văn\s+bản)|ký\s+hiệu",
    "issue_date": r"ngày\s+(?:ban\s+hành|ký|văn\s+bản)",
    "kind": r"loại\s+văn\s+bản|thể\s+loại",
    "issuer": r"(?:cơ\s+quan|đơn\s+vị)\s+ban\s+hành",
    "signer": r"người\s+ký",
    "subject": r"trích\s+yếu",
}
_SUBJECT_PREFIX = re.compile(r"^(?:V\s*/\s*v|Về\s+việc)\s*[:.]?\s*", re.IGNORECASE)
_KINDS = {fold(title): kind for title, kind in KIND_TITLES.items()}
# The box sits near the top of the page, under the site's banner and menus.
_BOX_LINES = 40


@dataclass(frozen=True, slots=True)
class WebFields:
    """The labelled facts found, and the lines they came from."""

    values: dict[str, str]
    used: frozenset[int]

    def signer_name(self) -> str | None:
        return self.values.get("signer")


@cache
def _labelled() -> re.Pattern[str]:
    alternatives = "|".join(f"(?P<{field}>{label})" for field, label in _LABELS.items())
    return re.compile(rf"^(?:{alternatives})\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)


def find_web_fields(lines: list[Line]) -> WebFields:
    """Each labelled field once, the first time it appears near the top."""
    values: dict[str, str] = {}
    used: set[int] = set()
    for index, line in enumerate(lines[:_BOX_LINES]):
        match = _labelled().match(line.text)
        if match is None:
            continue
        field = next(name for name in _LABELS if match.group(name))
        if field not in values:
            values[field] = match.group("value").strip()
            used.add(index)
    return WebFields(values, frozenset(used))


def with_web_fields(header: Header, web: WebFields) -> Header:
    """The header with its missing fields taken from the box (never overriding it)."""
    values = web.values
    number = header.number
    if number is None and (written := values.get("number")):
        compact = re.sub(r"\s*([/-])\s*", r"\1", written)
        number = compact if re.fullmatch(NUMBER, compact) else None
    issue_date = header.issue_date
    if issue_date is None and (when := values.get("issue_date")):
        day, inferred = parse_date_text(when)
        issue_date = IssueDate(day.year, day.month, day.day) if day and not inferred else None
    kind = header.kind_title or _KINDS.get(fold(values.get("kind", "")).strip())
    subject = header.subject
    if subject is None and (written := values.get("subject")):
        subject = _SUBJECT_PREFIX.sub("", written).strip(" .") or None
    issuer = values.get("issuer")
    place = header.place or (place_of(issuer) if issuer else None)
    return dataclasses.replace(
        header,
        number=number,
        issue_date=issue_date,
        kind_title=kind,
        subject=subject,
        place=place,
        organisation=header.organisation or ((issuer,) if issuer else ()),
        used=header.used | web.used,
    )
