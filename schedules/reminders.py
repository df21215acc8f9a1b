"""Planning reminders: from open assignments to outbox rows.

The walking skeleton plans one reminder per assignment, on the working morning before the
deadline day; the reminder ladder replaces `reminder_moment` with a whole ladder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.answer_buttons import answer_choices
from schedules.wording import (
    days_left_phrase,
    format_date,
    indicator_line,
    shorten,
    task_label,
)
from storage.outbox import PlannedMessage, enqueue
from storage.reminders import ReminderTarget, reminder_targets

MORNING = time(7, 30)

HOW_TO_ANSWER = (
    "Anh/chị trả lời ngắn: «xong», «đang làm 60%» hoặc «vướng: lý do» "
    "(hoặc gõ số: 1 = xong, 2 60 = đang làm 60%, 3 lý do = vướng mắc)."
)


def reminder_moment(deadline: datetime, *, now: datetime, zone: ZoneInfo) -> datetime:
    """07:30 local on the day before the deadline's day; right away if that is already past."""
    day_before = deadline.astimezone(zone).date() - timedelta(days=1)
    moment = datetime.combine(day_before, MORNING, tzinfo=zone)
    return max(moment, now)


def reminder_text(target: ReminderTarget, *, now: datetime, zone: ZoneInfo) -> str:
    view = target.view
    deadline = view.task.deadline_at
    assert deadline is not None
    return (
        f"🔔 Nhắc việc — {task_label(view.directive, view.task)}\n"
        f"Đơn vị: {view.unit.name}\n"
        f"Nội dung: {shorten(view.task.text)}\n"
        f"Hạn: {format_date(deadline, zone)} ({days_left_phrase(deadline, now, zone)})\n"
        f"{indicator_line(view.task)}{HOW_TO_ANSWER}"
    )


def plan_reminders(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
) -> int:
    """Put the due reminders of open assignments in the outbox; returns how many were new.

    Idempotent: the key `reminder:{assignment}:due` is planned once whatever runs it again.
    """
    messages = []
    for target in reminder_targets(session, assignment_ids=assignment_ids, unit_ids=unit_ids):
        deadline = target.view.task.deadline_at
        assert deadline is not None and target.view.assignment.id is not None
        due_at = reminder_moment(deadline, now=now, zone=zone)
        messages.append(
            PlannedMessage(
                key=f"reminder:{target.view.assignment.id}:due",
                account_id=target.account_id,
                kind="reminder",
                text=reminder_text(target, now=due_at, zone=zone),
                due_at=due_at,
                choices=answer_choices(target.view.assignment.id),
                assignment_id=target.view.assignment.id,
            )
        )
    return enqueue(session, messages=messages, now=now)
