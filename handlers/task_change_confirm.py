"""The officer's answer to a task change's preview (`handlers.task_changes`): «Xác nhận»
carries the change out, tells the chairs and officers of the units concerned once, and
re-plans their reminders; «Thôi» drops it. The button's data can be forged or stale: the
draft must be this officer's, still undecided, and the task still open."""

from __future__ import annotations

import logging
from datetime import datetime

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.task_change_texts import deadline_problem, deadline_words, notice_text
from handlers.texts import INVALID_BUTTON
from schedules.numbers import parse_id
from schedules.wording import task_label
from storage import directives, task_changes
from storage.models import Task
from storage.outbox import PlannedMessage, enqueue
from storage.task_change_tables import ChangeKind, TaskChange, TaskState

log = logging.getLogger(__name__)

DONE = {
    ChangeKind.TEXT: "Đã sửa nội dung",
    ChangeKind.DEADLINE: "Đã đổi hạn",
    ChangeKind.EXTEND: "Đã gia hạn",
    ChangeKind.CANCEL: "Đã hủy",
    ChangeKind.CLOSE: "Đã kết thúc",
}


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`tc:ok:{change_id}` or `tc:no:{change_id}`."""
    action, _, raw_id = rest.partition(":")
    change_id = parse_id(raw_id)
    change = (
        None if change_id is None else task_changes.get_change(turn.session, change_id=change_id)
    )
    if action not in ("ok", "no") or change is None or turn.person is None:
        return [Outgoing(INVALID_BUTTON)]
    if change.person_id != turn.person.id:
        return [Outgoing(INVALID_BUTTON)]
    if change.confirmed_at is not None or change.dropped_at is not None:
        return [Outgoing("Thay đổi này đã được xử lý trước đó; không có gì thay đổi thêm.")]
    task = turn.session.get(Task, change.task_id)
    assert task is not None
    directive = directives.get_directive(turn.session, directive_id=task.directive_id)
    assert directive is not None
    label = task_label(directive, task)
    if action == "no":
        task_changes.drop(turn.session, change=change, now=turn.now)
        return [Outgoing(f"Đã bỏ qua; {label} giữ nguyên.")]
    task_changes.lock_task(turn.session, task=task, change=change)
    if change.confirmed_at is not None or change.dropped_at is not None:
        return [Outgoing("Thay đổi này đã được xử lý trước đó; không có gì thay đổi thêm.")]
    if task.state != TaskState.OPEN:
        return [Outgoing(f"{label} đã bị hủy hoặc kết thúc từ trước; không có gì thay đổi.")]
    if "deadline" in change.details:
        at = datetime.fromisoformat(str(change.details["deadline"]))
        if (problem := deadline_problem(at, now=turn.now, zone=turn.zone)) is not None:
            return [Outgoing(problem)]
    return _carry_out(turn, change, task, label)


def _carry_out(turn: Turn, change: TaskChange, task: Task, label: str) -> list[Outgoing]:
    kind = ChangeKind(change.kind)
    touched = task_changes.apply(turn.session, change=change, task=task, now=turn.now)
    deadline = ""
    if "deadline" in change.details:
        at = datetime.fromisoformat(str(change.details["deadline"]))
        deadline = deadline_words(at, turn.zone, turn.services.deadline_time)
    text = notice_text(kind, label, text=task.text, deadline=deadline)
    unit_ids = sorted({a.unit_id for a in touched})
    accounts = task_changes.accounts_to_tell(
        turn.session, unit_ids=unit_ids, except_person_id=change.person_id
    )
    told = enqueue(
        turn.session,
        messages=[
            PlannedMessage(
                key=f"taskchange:{change.id}:{account_id}",
                account_id=account_id,
                kind="task_change",
                text=text,
                due_at=turn.now,
            )
            for account_id in accounts
        ],
        now=turn.now,
    )
    if told:
        turn.outbox_changed()
    if kind not in (ChangeKind.CANCEL, ChangeKind.CLOSE) and touched:
        turn.plan_reminders(assignment_ids=[a.id for a in touched if a.id is not None])
    log.info("task %s: change %s (%s) made, %s units, %s told", task.id, change.id, kind,
             len(unit_ids), told)  # fmt: skip
    return [Outgoing(f"{DONE[kind]} {label}. Đã báo {told} người của {len(unit_ids)} đơn vị.")]
