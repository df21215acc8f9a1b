"""What a summary shows of the tasks passed down: beside a unit's own report on its
assignment, how the units it passed the task to are doing (docs/passing-down.md).

A province's `/tonghop` and weekly summary list, under each task given to its districts, one
line per district that passed it down: «⬇️ LĐLĐ huyện A: 8/12 đơn vị trực thuộc xong —
báo cáo lên: Đã xong (Báo cáo lên: 8/12 CĐCS xong)». The district's own summary shows the
same line under its task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from schedules.wording import format_number, shorten
from storage.branch_facts import AssignmentRow
from storage.pass_down import ChildrenProgress, children_progress

if TYPE_CHECKING:  # branch_figures imports this module to compute its figures
    from schedules.branch_figures import TaskFigures

MAX_LINES = 20  # districts named per task; the rest counted


@dataclass(frozen=True, slots=True)
class PassedDown:
    """A unit's assignment of a task that it passed down, and its children's progress."""

    unit_id: int
    children: ChildrenProgress


def passed_down_by_task(
    session: Session, rows: Iterable[AssignmentRow]
) -> dict[int, tuple[PassedDown, ...]]:
    """Per task, the assignments among `rows` that were passed down, with their children."""
    rows = list(rows)
    progress = children_progress(session, task_ids={row.task_id for row in rows})
    found: dict[int, list[PassedDown]] = {}
    for row in rows:
        if (children := progress.get(row.id)) is not None:
            found.setdefault(row.task_id, []).append(PassedDown(row.unit_id, children))
    return {task_id: tuple(lines) for task_id, lines in found.items()}


def passed_down_lines(task: TaskFigures, passed: Sequence[PassedDown]) -> list[str]:
    """The lines under a task: per unit of it that passed it down, the children's progress
    beside the unit's own report (its status and latest note)."""
    lines_by_unit = {line.unit.id: line for line in task.units}
    lines = []
    for item in passed[:MAX_LINES]:
        own = lines_by_unit.get(item.unit_id)
        if own is None:
            continue
        children = item.children
        line = (
            f"   ⬇️ {own.unit.name}: {format_number(children.done)}/"
            f"{format_number(children.total)} đơn vị trực thuộc xong"
        )
        if own.last_reply_at is None:
            line += " — chưa báo cáo lên"
        else:
            line += f" — báo cáo lên: {own.status.label}"
            if own.note:
                line += f" ({shorten(own.note, 120)})"
        lines.append(line)
    if len(passed) > MAX_LINES:
        lines.append(f"   … và {len(passed) - MAX_LINES} đơn vị khác đã giao xuống")
    return lines
