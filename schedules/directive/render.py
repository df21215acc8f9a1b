"""A reading shown two ways: JSON for `nhacviec parse --json`, short Vietnamese for people."""

from __future__ import annotations

from datetime import date
from typing import Any

from schedules.directive.grading import FIELD_NAMES
from schedules.directive.model import (
    SOURCED_FIELDS,
    Deadline,
    DeadlineKind,
    FieldSource,
    Reading,
    Task,
)

_TASK_PREVIEW = 110
# The missing fields worth saying: a letter may well have no place line or no signer block.
_ASKED = ("number", "issuer", "issue_date", "subject")
_IDENTITY = ("number", "issue_date", "subject")


def reading_to_json(reading: Reading) -> dict[str, Any]:
    """The reading as JSON-ready data, with exactly the keys of the `parse --json` contract."""
    return {
        "kind": reading.kind,
        "number": reading.number,
        "issuer": reading.issuer,
        "place": reading.place,
        "issue_date": reading.issue_date.iso() if reading.issue_date else None,
        "subject": reading.subject,
        "recipients": list(reading.recipients),
        "tasks": [
            {"item": task.item, "text": task.text, "subitems": list(task.subitems)}
            for task in reading.tasks
        ],
        "deadlines": [
            {
                "date": _iso(deadline.date),
                "text": deadline.text,
                "task_item": deadline.task_item,
                "kind": deadline.kind.value,
                "rule": deadline.rule,
                "needs_confirmation": deadline.needs_confirmation,
            }
            for deadline in reading.deadlines
        ],
        "references": [
            {"number": reference.number, "date": reference.date.isoformat()}
            for reference in reading.references
        ],
        "signer": {"title": reading.signer.title, "name": reading.signer.name},
        "sources": {field: reading.source_of(field).value for field in SOURCED_FIELDS},
    }


def render_reading(reading: Reading) -> str:
    """A compact text an officer can check at a glance: one line per task with its deadline."""
    lines = [_title(reading)]
    if reading.issuer:
        lines.append(f"Cơ quan ban hành: {reading.issuer}")
    if reading.subject:
        lines.append(f"Trích yếu: {reading.subject}")
    if reading.recipients:
        lines.append("Kính gửi: " + "; ".join(reading.recipients))
    lines.append(f"Nhiệm vụ ({len(reading.tasks)}):" if reading.tasks else "Nhiệm vụ: không thấy")
    for task in reading.tasks:
        lines.append(f"  {task.item}. {_preview(task)} — {_deadline_note(reading, task.item)}")
    general = [d for d in reading.deadlines if d.task_item is None]
    if general:
        lines.append("Hạn chung: " + "; ".join(_describe(d) for d in general))
    if reading.references:
        cited = ", ".join(f"{r.number} ({_display(r.date)})" for r in reading.references)
        lines.append(f"Văn bản dẫn chiếu: {cited}")
    signer = " ".join(filter(None, [reading.signer.title, reading.signer.name]))
    if signer:
        lines.append(f"Người ký: {signer}")
    lines.extend(_sources_lines(reading))
    return "\n".join(lines)


def _sources_lines(reading: Reading) -> list[str]:
    """Which fields came from the prose and which the text does not give (none for a full
    header, so a standard document reads as before)."""
    lines = []
    if reading.sources:
        # The issuer is read from the body's sentences in most letters: not worth a word.
        prose = [FIELD_NAMES[f] for f in _IDENTITY if reading.source_of(f) is FieldSource.PROSE]
        if prose:
            lines.append("Đọc từ lời văn: " + ", ".join(prose))
        missing = [FIELD_NAMES[f] for f in reading.missing() if f in _ASKED]
        if missing:
            lines.append("Không thấy: " + ", ".join(missing))
    return lines


def _title(reading: Reading) -> str:
    title = reading.kind[:1].upper() + reading.kind[1:]
    if reading.number:
        title += f" số {reading.number}"
    if reading.place:
        title += f", {reading.place}"
    if reading.issue_date:
        prefix = "ngày " if reading.issue_date.day is not None else ""
        title += f", {prefix}{reading.issue_date.display()}"
    return title


def _preview(task: Task) -> str:
    text = task.text or (task.subitems[0] if task.subitems else "")
    if len(text) <= _TASK_PREVIEW:
        return text
    return text[:_TASK_PREVIEW].rsplit(" ", 1)[0] + "…"


def _deadline_note(reading: Reading, item: int) -> str:
    deadlines = [d for d in reading.deadlines if d.task_item == item]
    if not deadlines:
        return "chưa có hạn"
    return "; ".join(_describe(d) for d in deadlines)


def _describe(deadline: Deadline) -> str:
    when = _display(deadline.date) if deadline.date else "chưa rõ ngày"
    if deadline.kind is DeadlineKind.ABSOLUTE and not deadline.needs_confirmation:
        return f"hạn {when} («{deadline.text}»)"
    label = "định kỳ" if deadline.kind is DeadlineKind.PERIODIC else "hạn đề xuất"
    return f"{label} {when} («{deadline.text}», cần xác nhận)"


def _display(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
