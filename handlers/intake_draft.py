"""The officer's draft of a directive: the reading, with their corrections, as JSON-ready data.

A draft lives in the account's conversation state (the file itself waits in a draft
directive row), so a restart between the document and the officer's «xác nhận» loses
nothing. It is plain data: the intake changes it and shows it again after each correction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from schedules.directive import (
    FIELD_NAMES,
    Deadline,
    DeadlineKind,
    FieldSource,
    Reading,
    rule_description,
)
from schedules.wording import KIND_ABBREVIATIONS, shorten

# Task lines as long as fit: one Telegram message holds 4,096 characters.
_PREVIEWS = (90, 50, 30)
MESSAGE_LIMIT = 4000
_UNITS_SHOWN = 12
# The header fields an officer fills when the text lacks them, each with what to type.
FILLABLE = ("number", "issue_date", "subject", "issuer")
_IDENTITY = ("number", "issue_date", "subject")
_HOW_TO_FILL = {
    "number": "số 68/CĐCS",
    "issue_date": "ngày {today:%d/%m/%Y}",
    "subject": "V/v tổ chức Tháng Công nhân",
    "issuer": "cơ quan Ban Thường vụ LĐLĐ tỉnh",
}


@dataclass(frozen=True, slots=True)
class DraftTask:
    """One numbered item and its deadline as the officer will confirm it.

    `proposed` is a date a rule (or a document-wide phrase) suggested: shown with a «?» and
    taken as confirmed with the whole draft. `by_officer` marks a date the officer typed.
    """

    item: int
    text: str
    deadline: date | None = None
    deadline_text: str | None = None
    rule: str | None = None
    proposed: bool = False
    by_officer: bool = False
    dropped: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A directive as read from a document, before the officer confirms it."""

    directive_id: int
    kind: str
    number: str | None
    issue_date: str | None  # as shown: 20/07/2020, tháng 05/2024
    subject: str | None
    recipients: tuple[str, ...]
    tasks: tuple[DraftTask, ...]
    unit_ids: tuple[int, ...] = ()
    from_addressees: bool = False  # the units were matched from «Kính gửi»
    file_name: str | None = None
    issuer: str | None = None
    # Header fields the text did not give (the officer is shown how to fill each), and
    # those read from the prose rather than a printed header (worth a second look).
    missing: tuple[str, ...] = ()
    from_prose: tuple[str, ...] = ()

    def task(self, item: int) -> DraftTask | None:
        return next((task for task in self.tasks if task.item == item), None)

    def with_task(self, changed: DraftTask) -> Draft:
        tasks = tuple(changed if task.item == changed.item else task for task in self.tasks)
        return replace(self, tasks=tasks)

    def kept(self) -> list[DraftTask]:
        return [task for task in self.tasks if not task.dropped]

    def title(self) -> str:
        """`CV 490/LĐLĐ` when numbered, otherwise the kind and the date."""
        if self.number:
            kind = KIND_ABBREVIATIONS.get(self.kind.lower(), self.kind)
            return f"{kind} {self.number}"
        kind = self.kind[:1].upper() + self.kind[1:]
        if not self.issue_date:
            return kind
        day = self.issue_date
        return f"{kind} {day}" if day.startswith("tháng") else f"{kind} ngày {day}"

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["tasks"] = [
            {**asdict(task), "deadline": task.deadline.isoformat() if task.deadline else None}
            for task in self.tasks
        ]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        tasks = tuple(
            DraftTask(
                **{
                    **task,
                    "deadline": date.fromisoformat(task["deadline"]) if task["deadline"] else None,
                }
            )
            for task in data["tasks"]
        )
        return cls(
            **{
                **data,
                "tasks": tasks,
                "recipients": tuple(data["recipients"]),
                "unit_ids": tuple(data["unit_ids"]),
                "missing": tuple(data.get("missing", ())),
                "from_prose": tuple(data.get("from_prose", ())),
            }
        )


def draft_from_reading(
    reading: Reading,
    *,
    directive_id: int,
    unit_ids: tuple[int, ...],
    file_name: str | None,
) -> Draft:
    """A draft with each task's best deadline: its own written date first, then its own
    proposed one, then a document-wide phrase (proposed)."""
    general = [d for d in reading.deadlines if d.task_item is None and d.date is not None]
    tasks = []
    for task in reading.tasks:
        own = [d for d in reading.deadlines if d.task_item == task.item and d.date is not None]
        best = _best(own) or _best(general)
        if best is None:
            tasks.append(DraftTask(item=task.item, text=task.text))
            continue
        tasks.append(
            DraftTask(
                item=task.item,
                text=task.text,
                deadline=best.date,
                deadline_text=best.text[:300],
                rule=best.rule,
                proposed=best.needs_confirmation or best not in own,
            )
        )
    return Draft(
        directive_id=directive_id,
        kind=reading.kind,
        number=reading.number,
        issue_date=reading.issue_date.display() if reading.issue_date else None,
        subject=reading.subject,
        recipients=reading.recipients,
        tasks=tuple(tasks),
        unit_ids=unit_ids,
        from_addressees=bool(unit_ids),
        file_name=file_name,
        issuer=reading.issuer,
        missing=tuple(f for f in FILLABLE if reading.source_of(f) is FieldSource.MISSING),
        from_prose=tuple(f for f in _IDENTITY if reading.source_of(f) is FieldSource.PROSE),
    )


def _best(deadlines: list[Deadline]) -> Deadline | None:
    """A firm written date beats a proposal; among equals, the first in the document."""
    firm = [d for d in deadlines if d.kind is DeadlineKind.ABSOLUTE and not d.needs_confirmation]
    ranked = firm or deadlines
    return ranked[0] if ranked else None


def render_draft(
    draft: Draft, unit_names: list[str], *, today: date, limit: int = MESSAGE_LIMIT
) -> str:
    """The compact reading an officer checks: header, one line per task, the units, the keys.

    A long directive gets shorter task lines, then a cut list, to stay within one message."""
    for preview in _PREVIEWS:
        text = _render(draft, unit_names, today, preview)
        if len(text) <= limit:
            return text
    return text[: limit - 1].rsplit("\n", 1)[0] + "\n…"


def _render(draft: Draft, unit_names: list[str], today: date, preview: int) -> str:
    head = f"📄 {draft.title()}"
    if draft.number and draft.issue_date:
        day = draft.issue_date
        head += f", {day}" if day.startswith("tháng") else f", ngày {day}"
    lines = [head]
    if draft.subject:
        lines.append(f"V/v: {shorten(draft.subject, 200)}")
    if draft.issuer:
        lines.append(f"Cơ quan: {shorten(draft.issuer, 200)}")
    lines.extend(_field_lines(draft, today))
    lines.append("Nhiệm vụ:")
    for task in draft.tasks:
        lines.append(f"{task.item}. {shorten(task.text, preview)} — {_deadline(task, today)}")
    if any(task.proposed and not task.dropped for task in draft.tasks):
        lines.append("(?) hạn bot đề xuất theo quy tắc, cần anh/chị xác nhận hoặc sửa.")
    lines.append(_units_line(draft, unit_names))
    lines.append(
        "Anh/chị gõ: «2 15/12/2026» để đặt/sửa hạn mục 2; «bỏ 3» để bỏ mục 3; "
        "«đơn vị MÃ1 MÃ2» (hoặc «thêm MÃ», «bớt MÃ») để chọn đơn vị; "
        "«xác nhận» hoặc «hủy»."
    )
    return "\n".join(lines)


def _field_lines(draft: Draft, today: date) -> list[str]:
    """What was read from the prose, and how to fill each field the text did not give."""
    lines = []
    if draft.from_prose:
        names = ", ".join(FIELD_NAMES[f] for f in draft.from_prose)
        lines.append(f"Đọc từ lời văn (không có phần đầu chuẩn): {names} — anh/chị kiểm tra lại.")
    for field in draft.missing:
        example = _HOW_TO_FILL[field].format(today=today)
        lines.append(f"Không thấy {FIELD_NAMES[field]} — gõ «{example}» để bổ sung.")
    return lines


def _deadline(task: DraftTask, today: date) -> str:
    if task.dropped:
        return f"đã bỏ (gõ «giữ {task.item}» để lấy lại)"
    if task.deadline is None:
        return "chưa có hạn"
    text = f"hạn {task.deadline:%d/%m/%Y}"
    if task.proposed and not task.by_officer:
        described = rule_description(task.rule) if task.rule else None
        text += f" (?) — theo «{task.deadline_text}»" if task.deadline_text else " (?)"
        if described:
            text += f"; {described}"
    if task.deadline < today:
        text += " — ĐÃ QUA"
    return text


def _units_line(draft: Draft, unit_names: list[str]) -> str:
    if not unit_names:
        addressed = shorten("; ".join(draft.recipients), 300)
        why = f" (chưa khớp được «Kính gửi: {addressed}»)" if addressed else ""
        return f"Giao cho: chưa chọn đơn vị nào{why}."
    shown = ", ".join(unit_names[:_UNITS_SHOWN])
    more = len(unit_names) - _UNITS_SHOWN
    if more > 0:
        shown += f" và {more} đơn vị khác"
    source = " theo «Kính gửi»" if draft.from_addressees else ""
    return f"Giao cho {len(unit_names)} đơn vị{source}: {shown}."
