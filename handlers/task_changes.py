"""An officer changes a task: `/suaviec` (its text or deadline), `/giahan` (a later
deadline for some units), `/huyviec` (cancel), `/dongviec` (close). Each shows a preview
with «Xác nhận» / «Thôi» (numbered on Zalo); the change is kept as a draft until then and
carried out by `handlers.task_change_confirm`.

    /suaviec 12 Nộp báo cáo sơ kết 6 tháng        (new text)
    /suaviec 490/LĐLĐ mục 3 hạn 20/12 10:00        (new deadline for every unit)
    /giahan 12 27/12 CDCS-01 CDCS-02               (a later deadline for two units)
    /huyviec 12        /dongviec 12
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.task_change_texts import ECHO_LIMIT, deadline_problem, deadline_words
from handlers.task_reference import Named, find_task
from schedules.button_prefixes import ButtonPrefix
from schedules.deadline_input import TypedDeadline, looks_like_day, read_deadline
from schedules.folding import fold
from schedules.wording import shorten, task_label
from storage import task_changes, units
from storage.task_change_tables import ChangeKind, TaskState

log = logging.getLogger(__name__)

CHANGE_USAGE = (
    "Cách dùng: /suaviec SỐ_VIỆC Nội dung mới\n"
    "hoặc: /suaviec SỐ_VIỆC hạn dd/mm[/yyyy] [hh:mm]\n"
    "Ví dụ: /suaviec 12 hạn 20/12 10:00; /suaviec 490/LĐLĐ mục 3 Nộp báo cáo trước kỳ họp"
)
EXTEND_USAGE = (
    "Cách dùng: /giahan SỐ_VIỆC dd/mm[/yyyy] [hh:mm] [MÃ_ĐƠN_VỊ …]\n"
    "Ví dụ: /giahan 12 27/12 CDCS-01 CDCS-02 (không ghi mã: mọi đơn vị chưa xong)"
)
CANCEL_USAGE = "Cách dùng: /huyviec SỐ_VIỆC (ví dụ: /huyviec 12)"
CLOSE_USAGE = "Cách dùng: /dongviec SỐ_VIỆC (ví dụ: /dongviec 12)"
DEADLINE_WORDS = {"han", "han:"}
NAMED_UNITS = 5  # units named in a preview; the rest are counted
STATE_WORDS = {TaskState.CANCELLED: "đã bị hủy", TaskState.CLOSED: "đã kết thúc"}


def on_change(turn: Turn, argument: str) -> list[Outgoing]:
    """`/suaviec`: a new text, or (after «hạn») a new deadline for every unit."""
    named = _named(turn, argument, CHANGE_USAGE)
    if isinstance(named, list):
        return named
    words = named.rest.split()
    if not words:
        return [Outgoing(CHANGE_USAGE)]
    if fold(words[0]).lower() in DEADLINE_WORDS or looks_like_day(words[0]):
        words = words[1:] if fold(words[0]).lower() in DEADLINE_WORDS else words
        typed = _deadline(turn, words, CHANGE_USAGE)
        if isinstance(typed, list):
            return typed
        details = {"deadline": typed.at.isoformat()}
        return _preview(turn, named, ChangeKind.DEADLINE, details, None)
    text = named.rest
    if fold(text[:9]).lower().startswith("noi dung"):
        text = text[8:].lstrip(" :")
    if not text:
        return [Outgoing(CHANGE_USAGE)]
    if text == named.task.text:
        return [Outgoing("Nội dung mới giống nội dung cũ; không có gì thay đổi.")]
    return _preview(turn, named, ChangeKind.TEXT, {"text": text}, None)


def on_extend(turn: Turn, argument: str) -> list[Outgoing]:
    """`/giahan`: a later deadline for the units listed (or every unit not done)."""
    named = _named(turn, argument, EXTEND_USAGE)
    if isinstance(named, list):
        return named
    words = named.rest.split()
    typed = _deadline(turn, words, EXTEND_USAGE)
    if isinstance(typed, list):
        return typed
    deadline = typed.at
    codes = words[typed.words :]
    assert named.task.id is not None
    unit_ids: list[int] | None = None
    if codes:
        open_units = {
            a.unit_id for a in task_changes.open_assignments(turn.session, task_id=named.task.id)
        }
        unit_ids = []
        for code in codes:
            unit = units.get_unit_by_code(turn.session, code=code.strip().upper())
            if unit is None or unit.id not in open_units:
                return [
                    Outgoing(
                        f"Đơn vị «{code}» không có trong số các đơn vị chưa xong việc này.\n"
                        f"{EXTEND_USAGE}"
                    )
                ]
            unit_ids.append(unit.id)
    touched = task_changes.open_assignments(turn.session, task_id=named.task.id, unit_ids=unit_ids)
    if not touched:
        return [Outgoing("Mọi đơn vị đã báo xong việc này; không có gì để gia hạn.")]
    current = [a.deadline_at or named.task.deadline_at for a in touched]
    if any(at is not None and deadline <= at for at in current):
        return [Outgoing("Hạn gia hạn phải sau hạn hiện tại của các đơn vị đó.")]
    details = {"deadline": deadline.isoformat()}
    return _preview(turn, named, ChangeKind.EXTEND, details, unit_ids)


def on_cancel(turn: Turn, argument: str) -> list[Outgoing]:
    """`/huyviec`: the task is withdrawn everywhere."""
    named = _named(turn, argument, CANCEL_USAGE)
    return named if isinstance(named, list) else _preview(turn, named, ChangeKind.CANCEL, {}, None)


def on_close(turn: Turn, argument: str) -> list[Outgoing]:
    """`/dongviec`: the task ends; what was reported stays in the summaries."""
    named = _named(turn, argument, CLOSE_USAGE)
    return named if isinstance(named, list) else _preview(turn, named, ChangeKind.CLOSE, {}, None)


def _named(turn: Turn, argument: str, usage: str) -> Named | list[Outgoing]:
    if not argument.strip():
        return [Outgoing(usage)]
    named = find_task(turn, argument)
    if isinstance(named, str):
        return [Outgoing(f"{named}\n{usage}")]
    state = named.task.state
    if state != TaskState.OPEN:
        label = task_label(named.directive, named.task)
        return [
            Outgoing(f"{label} {STATE_WORDS[TaskState(state)]} từ trước; không có gì thay đổi.")
        ]
    return named


def _deadline(turn: Turn, words: list[str], usage: str) -> TypedDeadline | list[Outgoing]:
    """The typed deadline, or the answer refusing it."""
    typed = read_deadline(
        words, now=turn.now, zone=turn.zone, default_time=turn.services.deadline_time
    )
    if typed is None:
        return [Outgoing(f"Hạn chưa đúng dạng ngày/tháng[/năm] [giờ:phút].\n{usage}")]
    if (problem := deadline_problem(typed.at, now=turn.now, zone=turn.zone)) is not None:
        return [Outgoing(problem)]
    return typed


def _preview(
    turn: Turn,
    named: Named,
    kind: ChangeKind,
    details: dict[str, Any],
    unit_ids: list[int] | None,
) -> list[Outgoing]:
    """Keep the change as a draft and show what it will do, with the two buttons."""
    task = named.task
    assert task.id is not None and turn.person is not None and turn.person.id is not None
    if unit_ids is not None:
        details["unit_ids"] = unit_ids
    touched = task_changes.open_assignments(turn.session, task_id=task.id, unit_ids=unit_ids)
    change = task_changes.draft(
        turn.session,
        task_id=task.id,
        kind=kind,
        person_id=turn.person.id,
        details=details,
        now=turn.now,
    )
    label = task_label(named.directive, task)
    lines = [f"Xem trước — {label}", _what(turn, kind, details, task.text)]
    names = [
        u.name for u in units.units_by_ids(turn.session, unit_ids=[a.unit_id for a in touched])
    ]
    shown = ", ".join(sorted(names)[:NAMED_UNITS])
    more = f" và {len(names) - NAMED_UNITS} đơn vị khác" if len(names) > NAMED_UNITS else ""
    lines.append(
        f"Đơn vị chưa xong được báo: {len(names)}" + (f" ({shown}{more})." if names else ".")
    )
    if kind in (ChangeKind.CANCEL, ChangeKind.CLOSE):
        lines.append("Các lời nhắc đang chờ của việc này sẽ được rút lại.")
    else:
        lines.append("Các lời nhắc cũ sẽ được rút lại và lập lại theo việc đã sửa.")
    lines.append("Anh/chị xác nhận?")
    data = f"{ButtonPrefix.TASK_CHANGE}:{{}}:{change.id}"
    choices = ((Choice("✅ Xác nhận", data.format("ok")), Choice("✖️ Thôi", data.format("no"))),)
    log.info("task %s: change %s (%s) previewed", task.id, change.id, kind)
    return [Outgoing("\n".join(lines), choices=choices)]


def _what(turn: Turn, kind: ChangeKind, details: dict[str, Any], old_text: str) -> str:
    if kind == ChangeKind.TEXT:
        return (
            f"Nội dung cũ: {shorten(old_text, ECHO_LIMIT)}\n"
            f"Nội dung mới: {shorten(details['text'], ECHO_LIMIT)}"
        )
    if kind in (ChangeKind.DEADLINE, ChangeKind.EXTEND):
        at = datetime.fromisoformat(details["deadline"])
        words = deadline_words(at, turn.zone, turn.services.deadline_time)
        return f"Hạn mới: {words}" + (" (gia hạn)" if kind == ChangeKind.EXTEND else "")
    if kind == ChangeKind.CANCEL:
        return "Hủy việc: việc biến mất khỏi /viec, lời nhắc và bản tổng hợp."
    return "Kết thúc việc: thôi nhắc; bản tổng hợp giữ các báo cáo đã nhận."
