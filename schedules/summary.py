"""The officer's summary of a branch: per task, the units counted by status (in the words
officers report with), the indicator's total, who is done and who is missing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from schedules.status import STATUS_ORDER, Status, assignment_status
from schedules.wording import format_date, format_number, shorten, task_label
from storage.directives import AssignmentView
from storage.replies import ReplyFacts

MAX_NAMES = 30  # beyond this a list of units is cut, to stay within one chat message
NO_FACTS = ReplyFacts()


def view_status(view: AssignmentView, now: datetime) -> Status:
    """The status of the assignment behind a view."""
    return assignment_status(
        progress=view.assignment.progress,
        done_at=view.assignment.done_at,
        deadline=view.task.deadline_at,
        now=now,
    )


def summary_text(
    views: Sequence[AssignmentView],
    *,
    now: datetime,
    zone: ZoneInfo,
    facts: Mapping[int, ReplyFacts] | None = None,
) -> str:
    """A compact text: one block per task with its counts, then done and missing units.

    `facts` (from `storage.replies.reply_facts`) adds the blocked reasons and the sum of
    the latest figure each unit reported for the task's indicator.
    """
    if not views:
        return "Chưa có việc nào được giao trong phạm vi của anh/chị."
    facts = facts or {}
    lines = [f"📊 Tổng hợp đến {now.astimezone(zone):%d/%m/%Y %H:%M}"]
    for _, group in groupby(views, key=lambda view: view.task.id):
        rows = [(view, view_status(view, now)) for view in group]
        first = rows[0][0]
        counts = Counter(status for _, status in rows)
        done = [row for row in rows if row[1] in (Status.DONE_ON_TIME, Status.DONE_LATE)]
        missing = [row for row in rows if row not in done]
        deadline = first.task.deadline_at
        due = f"hạn {format_date(deadline, zone)}" if deadline else "chưa có hạn"
        lines.append("")
        lines.append(f"▪️ {task_label(first.directive, first.task)} ({due})")
        lines.append(f"   {shorten(first.task.text, 100)}")
        lines.append(f"   Xong: {len(done)}/{len(rows)} đơn vị")
        lines.append(
            "   "
            + " · ".join(
                f"{status.label}: {counts[status]}" for status in STATUS_ORDER if counts[status]
            )
        )
        if first.task.indicator_name:
            lines.append(f"   {_indicator_line(first, [view for view, _ in rows], facts)}")
        if done:
            lines.append(f"   ✅ {_names(done, facts)}")
        if missing:
            lines.append(f"   ⏳ Chưa xong: {_names(missing, facts)}")
    return "\n".join(lines)


def _indicator_line(
    first: AssignmentView, views: Sequence[AssignmentView], facts: Mapping[int, ReplyFacts]
) -> str:
    figures = [
        number
        for view in views
        if (number := facts.get(view.assignment.id or 0, NO_FACTS).number) is not None
    ]
    unit = f" {first.task.indicator_unit}" if first.task.indicator_unit else ""
    return (
        f"📈 {first.task.indicator_name}: {format_number(sum(figures))}{unit} "
        f"({len(figures)}/{len(views)} đơn vị đã báo số)"
    )


def _names(rows: Sequence[tuple[AssignmentView, Status]], facts: Mapping[int, ReplyFacts]) -> str:
    names = []
    for view, status in rows[:MAX_NAMES]:
        label = _short_label(view, status, facts.get(view.assignment.id or 0, NO_FACTS))
        names.append(f"{view.unit.name} ({label})" if label else view.unit.name)
    more = len(rows) - MAX_NAMES
    return "; ".join(names) + (f" … và {more} đơn vị khác" if more > 0 else "")


def _short_label(view: AssignmentView, status: Status, facts: ReplyFacts) -> str:
    if status == Status.DONE_ON_TIME:
        return ""
    if status == Status.DONE_LATE:
        return "quá hạn"
    if status == Status.BLOCKED:
        reason = shorten(facts.blocked_reason or "", 60)
        return f"vướng mắc: {reason}" if reason else "vướng mắc"
    label = {
        Status.IN_PROGRESS: "đang thực hiện",
        Status.OVERDUE: "quá hạn",
        Status.NO_REPORT: "chưa báo cáo",
    }[status]
    if view.assignment.percent is not None and status != Status.NO_REPORT:
        label += f" {view.assignment.percent}%"
    if status == Status.OVERDUE and view.assignment.last_reply_at is None:
        label += ", chưa báo cáo"
    return label
