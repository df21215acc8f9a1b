"""The corpus of directives in real shapes (`tests/data/corpus/`) and how a reading is judged.

Each document there was written for this project in a shape real directives take (two-column
headers copied from a table, headers in prose on a portal page, extracts, news retellings,
footnotes, every deadline form); `expected.json` holds its reading as a careful officer
would write it by hand. The tests and `python -m tests.schedules.corpus_share` (the figures
in docs/reading.md) both judge a reading here, field by field, so they cannot disagree.

A field is judged as an officer would compare it: capitals in the issuer and the place and
runs of spaces do not matter; a deadline is found when the reader's phrase contains the
phrase written here (it may quote a few more words), with the same task, kind and date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from schedules.directive import DeadlineKind, DocumentError, Reading, read_document, read_text
from tests.schedules.directive_files import docx_bytes, text_pdf

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

Expected = dict[str, Any]
Problems = list[str]

# The forms each document is also read from; built at test time from its text.
VARIANTS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "docx": (".docx", docx_bytes),
    "docx-table": (".docx", lambda text: docx_bytes(text, header_table=True)),
    "pdf": (".pdf", text_pdf),
}
_DIGIT_FOR = {"o": "0", "l": "1"}
_OCR_DIGIT = re.compile(r"(?<=[\d/])[ol]|[ol](?=[\d/])")
_DEADLINE_LISTS = (
    ("absolute_deadlines", DeadlineKind.ABSOLUTE),
    ("relative_deadlines", DeadlineKind.RELATIVE),
    ("periodic_deadlines", DeadlineKind.PERIODIC),
)


@cache
def expectations() -> tuple[Expected, ...]:
    """The entries of expected.json, one per document, in file order."""
    data: list[Expected] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    return tuple(data)


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text("utf-8")


def doc_id(entry: Expected) -> str:
    """`007`: the file's number, the test id of the document."""
    return str(entry["file"])[:3]


@cache
def reading_of(name: str) -> Reading | None:
    """The document's reading, or None when the reader refuses it (read once either way)."""
    try:
        return read_text(corpus_text(name))
    except DocumentError:
        return None


@cache
def variant_reading(name: str, variant: str) -> Reading | None:
    """The reading of the Word or PDF copy made from the document's text, or None if refused."""
    suffix, make = VARIANTS[variant]
    try:
        return read_document(make(corpus_text(name)), name.replace(".txt", suffix))
    except DocumentError:
        return None


def _squeeze(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _same(field: str, got: object, wanted: object) -> Problems:
    return [] if got == wanted else [f"{field}: expected {wanted!r}, got {got!r}"]


def check_kind(reading: Reading, expected: Expected) -> Problems:
    return _same("kind", reading.kind, expected["kind"])


def check_number(reading: Reading, expected: Expected) -> Problems:
    return _same("number", reading.number, expected["number"])


def _same_name(field: str, got: str | None, wanted: str | None) -> Problems:
    """A name as an officer compares it: capitals and runs of spaces do not matter."""
    got, wanted = _squeeze(got), _squeeze(wanted)
    if (got is None) == (wanted is None) and (got or "").casefold() == (wanted or "").casefold():
        return []
    return [f"{field}: expected {wanted!r}, got {got!r}"]


def check_issuer(reading: Reading, expected: Expected) -> Problems:
    return _same_name("issuer", reading.issuer, expected["issuer"])


def check_place(reading: Reading, expected: Expected) -> Problems:
    return _same_name("place", reading.place, expected["place"])


def check_issue_date(reading: Reading, expected: Expected) -> Problems:
    got = reading.issue_date.iso() if reading.issue_date else None
    return _same("issue_date", got, expected["issue_date"])


def check_subject(reading: Reading, expected: Expected) -> Problems:
    return _same("subject", _squeeze(reading.subject), _squeeze(expected["subject"]))


def check_recipients(reading: Reading, expected: Expected) -> Problems:
    got = [_squeeze(name) for name in reading.recipients]
    return _same("recipients", got, [_squeeze(name) for name in expected["recipients"]])


def check_signer(reading: Reading, expected: Expected) -> Problems:
    return _same("signer title", reading.signer.title, expected["signer_title"]) + _same(
        "signer name", reading.signer.name, expected["signer_name"]
    )


def check_tasks(reading: Reading, expected: Expected) -> Problems:
    """The numbered items in order, each opening with the words written down for it."""
    problems = _same("task items", [task.item for task in reading.tasks], expected["task_items"])
    if "task_labels" in expected:
        labels = [task.label for task in reading.tasks]
        problems += _same("task labels", labels, expected["task_labels"])
    for task, start in zip(reading.tasks, expected["task_starts"], strict=False):
        opening = task.text or (task.subitems[0] if task.subitems else "")
        if not opening.startswith(start):
            problems.append(
                f"task {task.item}: expected to open with {start!r}, got {opening[:60]!r}"
            )
    return problems


def check_deadlines(reading: Reading, expected: Expected) -> Problems:
    """Every deadline written down is found once, with its task, kind and date; no other."""
    found = list(reading.deadlines)
    problems: Problems = []
    start = reading.issue_date.as_date() if reading.issue_date else None
    for key, kind in _DEADLINE_LISTS:
        for wanted in expected.get(key, []):
            quoted = phrase(wanted["text"])
            match = next(
                (
                    d
                    for d in found
                    if d.kind is kind
                    and d.task_item == wanted["task_item"]
                    and quoted in phrase(d.text)
                ),
                None,
            )
            where = f"{kind} «{wanted['text']}» (item {wanted['task_item']})"
            if match is None:
                problems.append(f"missing {where}")
                continue
            found.remove(match)
            got = match.date.isoformat() if match.date else None
            if "date" in wanted and got != wanted["date"]:
                problems.append(f"{where}: expected {wanted['date']}, got {got}")
            if "date_before" in wanted and not _before(match.date, wanted["date_before"], start):
                problems.append(
                    f"{where}: expected a day before {wanted['date_before']}, got {got}"
                )
            if kind is not DeadlineKind.ABSOLUTE and not match.needs_confirmation:
                problems.append(f"{where}: a proposed date must ask for confirmation")
    problems += [f"unexpected {d.kind} «{d.text}» (item {d.task_item}) → {d.date}" for d in found]
    return problems


def phrase(text: str) -> str:
    """A phrase as compared: one space between words, no capitals, and the OCR slips of a
    letter for a digit (`3O/7/2O25`, `l2`) read as the digit they stand for."""
    folded = " ".join(text.split()).casefold()
    return _OCR_DIGIT.sub(lambda match: _DIGIT_FOR[match.group()], folded)


def _before(day: date | None, limit: str, start: date | None) -> bool:
    if day is None or day >= date.fromisoformat(limit):
        return False
    return start is None or day >= start


def check_references(reading: Reading, expected: Expected) -> Problems:
    got = {(r.number, r.date.isoformat()) for r in reading.references}
    wanted = {(r["number"], r["date"]) for r in expected["referenced_documents"]}
    problems = [f"cited document missed: {n} of {d}" for n, d in sorted(wanted - got)]
    return problems + [
        f"cited document not in the text: {n} of {d}" for n, d in sorted(got - wanted)
    ]


def not_deadlines(expected: Expected) -> set[date]:
    """Dates that must never be a deadline: cited documents', anniversaries, events."""
    cited = {date.fromisoformat(r["date"]) for r in expected["referenced_documents"]}
    events = {date.fromisoformat(e["date"]) for e in expected.get("event_dates", [])}
    return cited | events


def check_no_cited_deadline(reading: Reading, expected: Expected) -> Problems:
    wrong = {d.date for d in reading.deadlines if d.date} & not_deadlines(expected)
    return [
        f"a cited, anniversary or event date taken as a deadline: {day}" for day in sorted(wrong)
    ]


CHECKS: dict[str, Callable[[Reading, Expected], Problems]] = {
    "kind": check_kind,
    "number": check_number,
    "issuer": check_issuer,
    "place": check_place,
    "issue_date": check_issue_date,
    "subject": check_subject,
    "recipients": check_recipients,
    "signer": check_signer,
    "tasks": check_tasks,
    "deadlines": check_deadlines,
    "references": check_references,
    "no_cited_deadline": check_no_cited_deadline,
}


def judge(reading: Reading | None, expected: Expected) -> dict[str, Problems]:
    """Every field's problems; a document refused outright gets every field wrong."""
    if reading is None:
        return {field: ["the document was refused"] for field in CHECKS}
    return {field: check(reading, expected) for field, check in CHECKS.items()}
