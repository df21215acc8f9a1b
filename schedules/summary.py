"""The officer's summary of a branch: per task, which units are done and which are missing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from schedules.wording import PROGRESS_LABELS, format_date, shorten, task_label
from storage.directives import AssignmentView
from storage.models import Progress

MAX_NAMES = 30  # beyond this a list of units is cut, to stay within one chat message


def summary_text(views: Sequence[AssignmentView], *, now: datetime, zone: ZoneInfo) -> str:
    """A compact text: one block per task, done units first, then the missing ones."""
    if not views:
        return "Chưa có việc nào được giao trong phạm vi của anh/chị."
    lines = [f"📊 Tổng hợp đến {now.astimezone(zone):%d/%m/%Y %H:%M}"]
    for _, group in groupby(views, key=lambda view: view.task.id):
        rows = list(group)
        first = rows[0]
        done = [view for view in rows if view.assignment.progress == Progress.DONE]
        missing = [view for view in rows if view.assignment.progress != Progress.DONE]
        deadline = first.task.deadline_at
        due = f"hạn {format_date(deadline, zone)}" if deadline else "chưa có hạn"
        lines.append("")
        lines.append(f"▪️ {task_label(first.directive, first.task)} ({due})")
        lines.append(f"   {shorten(first.task.text, 100)}")
        lines.append(f"   Xong: {len(done)}/{len(rows)} đơn vị")
        if done:
            lines.append(f"   ✅ {_names(done, with_progress=False)}")
        if missing:
            lines.append(f"   ⏳ Chưa xong: {_names(missing, with_progress=True)}")
    return "\n".join(lines)


def _names(views: Sequence[AssignmentView], *, with_progress: bool) -> str:
    names = []
    for view in views[:MAX_NAMES]:
        name = view.unit.name
        if with_progress:
            label = PROGRESS_LABELS[Progress(view.assignment.progress)].lower()
            if view.assignment.percent is not None and view.assignment.progress != Progress.DONE:
                label += f" {view.assignment.percent}%"
            name += f" ({label})"
        names.append(name)
    more = len(views) - MAX_NAMES
    return "; ".join(names) + (f" … và {more} đơn vị khác" if more > 0 else "")
