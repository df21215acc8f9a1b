"""The officer fills or corrects a directive's header fields in the draft: «số 68/CĐCS»,
«ngày 10/7/2025», «V/v …», «cơ quan …», «loại thông báo».

A graded reading leaves some fields missing (a retold notice has no number) or reads them
from the prose; the draft says which, and how to fill each. A line is matched on its folded
form (typed with or without diacritics), and the value is taken from what was typed, with
its diacritics, at the same place (`fold_aligned` keeps one character for one).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from handlers.intake_draft import Draft
from handlers.messages import Outgoing
from schedules.directive.header import KIND_TITLES
from schedules.directive.references import NUMBER
from schedules.folding import fold, fold_aligned

# The longest of each field the directive row keeps (storage.models.Directive).
_MAX_NUMBER = 100
_MAX_ISSUER = 300
_MAX_SUBJECT = 500

_NUMBER = re.compile(r"^so(?:\s+van\s+ban|\s+hieu)?(?:\s*:\s*|\s+)(?P<value>\S.*)$")
_ISSUE_DATE = re.compile(
    r"^ngay(?:\s+ban\s+hanh)?\s*:?\s*(?P<day>\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*"
    r"(?P<month>\d{1,2})\s*(?:[/.-]|,?\s+nam\s+)\s*(?P<year>\d{4})\s*$",
    re.ASCII,
)
_DATE_LIKE = re.compile(r"^ngay(?:\s+ban\s+hanh)?\s*:?\s*\d")
_SUBJECT = re.compile(r"^(?:v\s*/\s*v|ve\s+viec|trich\s+yeu)\s*[:.]?\s*(?P<value>\S.*)$")
_ISSUER = re.compile(r"^co\s+quan(?:\s+ban\s+hanh)?\s*[:.]?\s*(?P<value>\S.*)$")
_KIND = re.compile(r"^loai(?:\s+van\s+ban)?\s*[:.]?\s*(?P<value>\S.*)$")
_A_NUMBER = re.compile(rf"^{NUMBER}$")
_KINDS = {fold(kind): kind for kind in KIND_TITLES.values()}

BAD_NUMBER = "Số văn bản chưa đúng dạng. Anh/chị gõ như «số 68/CĐCS» hoặc «số 09/CT-UBND»."
BAD_DATE = "Ngày ban hành chưa đúng. Anh/chị gõ như «ngày 10/7/2025»."
FUTURE_DATE = "Ngày ban hành {day} còn chưa tới. Anh/chị kiểm tra lại ngày trên văn bản."
BAD_KIND = "Loại văn bản chưa rõ. Anh/chị gõ một trong: {kinds}."


def correct_field(draft: Draft, text: str, today: date) -> Draft | Outgoing | None:
    """The draft with one field filled from `text`, a message when the value is wrong, or
    None when `text` is not about a header field."""
    line = " ".join(text.split())
    folded = fold_aligned(line)
    if match := _NUMBER.match(folded):
        value = re.sub(r"\s*([/-])\s*", r"\1", line[match.start("value") :]).strip(" .;")
        if len(value) > _MAX_NUMBER or not _A_NUMBER.match(value):
            return Outgoing(BAD_NUMBER)
        return _filled(replace(draft, number=value), "number")
    if match := _ISSUE_DATE.match(folded):
        try:
            day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            return Outgoing(BAD_DATE)
        if day > today:
            return Outgoing(FUTURE_DATE.format(day=f"{day:%d/%m/%Y}"))
        return _filled(replace(draft, issue_date=f"{day:%d/%m/%Y}"), "issue_date")
    if _DATE_LIKE.match(folded):
        return Outgoing(BAD_DATE)
    if match := _SUBJECT.match(folded):
        subject = line[match.start("value") :].strip(" .;")[:_MAX_SUBJECT]
        return _filled(replace(draft, subject=subject), "subject")
    if match := _ISSUER.match(folded):
        issuer = line[match.start("value") :].strip(" .;")[:_MAX_ISSUER]
        return _filled(replace(draft, issuer=issuer), "issuer")
    if match := _KIND.match(folded):
        kind = _KINDS.get(fold(match["value"]).strip(" .;"))
        if kind is None:
            return Outgoing(BAD_KIND.format(kinds=", ".join(KIND_TITLES.values())))
        return _filled(replace(draft, kind=kind), "kind")
    return None


def _filled(draft: Draft, field: str) -> Draft:
    """The changed draft: the field is no longer missing nor only read from the prose."""
    return replace(
        draft,
        missing=tuple(f for f in draft.missing if f != field),
        from_prose=tuple(f for f in draft.from_prose if f != field),
    )
