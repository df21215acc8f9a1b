"""The officer's summary as text, from a branch's figures (`schedules.branch_figures`): short
enough to read on a phone.

Per task: the units done out of all (with the rate and last week's), the statuses of those
not done, the reasons of the blocked ones, and, for a branch one level deep, the units not
done by name (worst first). A branch of several levels gets one line per child unit
instead, worst first, with the hint to drill down (`/tonghop MÃ`). Then the units with no
registered chair, named, with the `/moi MÃ` hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from schedules.branch_figures import BranchFigures, ChildFigures, TaskFigures, UnitLine
from schedules.status import Status, assignment_status
from schedules.wording import days_left_phrase, format_date, format_number, shorten
from storage.directives import AssignmentView

# Units named per status in the branch's summary; a narrowed one (one task, one directive)
# names up to `MAX_NAMES_DETAIL`; the rest are counted.
MAX_NAMES = 10
MAX_NAMES_DETAIL = 200
MAX_BLOCKED_MULTI = 5  # reasons shown per task when the branch has several levels
MAX_UNREGISTERED = 30

# The statuses of the units not done, worst first, as they are listed by name.
NOT_DONE = (Status.BLOCKED, Status.OVERDUE, Status.NO_REPORT, Status.IN_PROGRESS)
MARKS = {
    Status.BLOCKED: "⚠️",
    Status.OVERDUE: "🔴",
    Status.NO_REPORT: "⚪",
    Status.IN_PROGRESS: "🔵",
    Status.DONE_LATE: "🟠",
    Status.DONE_ON_TIME: "🟢",
}


def view_status(view: AssignmentView, now: datetime) -> Status:
    """The status of the assignment behind a view."""
    return assignment_status(
        progress=view.assignment.progress,
        done_at=view.assignment.done_at,
        deadline=view.task.deadline_at,
        now=now,
    )


def nothing_to_show(figures: BranchFigures) -> str:
    return (
        f"Chưa có việc nào đang theo dõi trong {figures.root.name}. "
        "Anh/chị giao việc bằng /giaoviec hoặc gửi văn bản cho bot."
    )


def summary_text(figures: BranchFigures, *, zone: ZoneInfo, detail: bool = False) -> str:
    """The summary of a branch; `detail` (one task or directive asked for) names every unit,
    done ones included."""
    if not figures.tasks:
        return nothing_to_show(figures)
    several_levels = figures.depth >= 2
    tasks = figures.tasks
    lines = [
        f"📊 Tổng hợp {figures.root.name} — {figures.now.astimezone(zone):%d/%m/%Y %H:%M}",
        f"{len(tasks)} việc đang theo dõi, {len(figures.units) - 1} đơn vị trực thuộc",
    ]
    for task in tasks:
        lines.append("")
        lines += _task_block(task, figures.now, zone, several_levels=several_levels, detail=detail)
    if several_levels and figures.children:
        lines.append("")
        lines += _children_block(figures.children)
    if figures.unregistered:
        lines.append("")
        lines += _unregistered_block(figures, several_levels=several_levels)
    return "\n".join(lines)


def _task_block(
    task: TaskFigures, now: datetime, zone: ZoneInfo, *, several_levels: bool, detail: bool
) -> list[str]:
    deadline = task.deadline_at
    due = (
        f"hạn {format_date(deadline, zone)} ({days_left_phrase(deadline, now, zone)})"
        if deadline
        else "chưa có hạn"
    )
    counts = task.counts
    lines = [f"▪️ {task.label} — {due}", f"   {shorten(task.text, 100)}"]
    done = f"   Hoàn thành {counts.done}/{counts.total} đơn vị ({_percent(task.rate)}"
    if task.rate_week_ago is not None:
        done += f"; tuần trước {_percent(task.rate_week_ago)}"
    done += ")"
    parts = [
        f"{label} {counts[status]}"
        for status, label in ((Status.DONE_ON_TIME, "đúng hạn"), (Status.DONE_LATE, "quá hạn"))
        if counts[status]
    ]
    lines.append(done + (": " + ", ".join(parts) if parts else ""))
    missing = counts.total - counts.done
    kinds = [status for status in NOT_DONE if counts[status]]
    if kinds:  # the total only when it is not the one count that follows
        total = f" {missing}" if len(kinds) > 1 else ""
        lines.append(f"   Chưa xong{total}: " + " · ".join(f"{s.label} {counts[s]}" for s in kinds))
    if task.indicator_name:
        unit = f" {task.indicator_unit}" if task.indicator_unit else ""
        lines.append(
            f"   📈 {task.indicator_name}: {format_number(task.indicator_sum)}{unit} "
            f"({task.indicator_reported}/{counts.total} đơn vị đã báo số)"
        )
    if several_levels and not detail:
        blocked = task.with_status(Status.BLOCKED)
        lines += [f"   ⚠️ {_blocked(line)}" for line in blocked[:MAX_BLOCKED_MULTI]]
        if len(blocked) > MAX_BLOCKED_MULTI:
            lines.append(f"   … và {len(blocked) - MAX_BLOCKED_MULTI} đơn vị vướng mắc khác")
        return lines
    limit = MAX_NAMES_DETAIL if detail else MAX_NAMES
    shown = NOT_DONE + ((Status.DONE_LATE, Status.DONE_ON_TIME) if detail else ())
    for status in shown:
        found = task.with_status(status)
        if not found:
            continue
        if status == Status.BLOCKED:
            lines += [f"   ⚠️ {_blocked(line)}" for line in found[:limit]]
            if len(found) > limit:
                lines.append(f"   … và {len(found) - limit} đơn vị vướng mắc khác")
            continue
        names = "; ".join(_name(line) for line in found[:limit])
        more = f" … và {len(found) - limit} đơn vị khác" if len(found) > limit else ""
        lines.append(f"   {MARKS[status]} {status.label}: {names}{more}")
    return lines


def _blocked(line: UnitLine) -> str:
    reason = shorten(line.note or "", 80)
    return f"Vướng mắc — {line.unit.name}: {reason}" if reason else f"Vướng mắc — {line.unit.name}"


def _name(line: UnitLine) -> str:
    if line.percent is not None and line.status in (Status.IN_PROGRESS, Status.OVERDUE):
        return f"{line.unit.name} ({line.percent}%)"
    return line.unit.name


def _children_block(children: Sequence[ChildFigures]) -> list[str]:
    lines = ["Theo đơn vị trực thuộc (thấp nhất trước):"]
    for child in children:
        counts = child.counts
        if counts.total:
            text = f"{_percent(child.rate)} xong ({counts.done}/{counts.total})"
        else:
            text = "chưa có việc"
        if counts.overdue:
            text += f" · quá hạn {counts.overdue}"
        if counts.blocked:
            text += f" · vướng mắc {counts.blocked}"
        if child.unregistered:
            text += f" · {child.unregistered} chưa đăng ký"
        lines.append(f"• {child.unit.name} ({child.unit.code}): {text}")
    lines.append(f"Xem chi tiết: /tonghop MÃ (ví dụ /tonghop {children[0].unit.code})")
    return lines


def _unregistered_block(figures: BranchFigures, *, several_levels: bool) -> list[str]:
    units = figures.unregistered
    names = "; ".join(f"{unit.name} ({unit.code})" for unit in units[:MAX_UNREGISTERED])
    lines = [f"👤 Chưa có chủ tịch đăng ký với bot ({len(units)}): {names}"]
    if len(units) > MAX_UNREGISTERED:
        more = f"… và {len(units) - MAX_UNREGISTERED} đơn vị khác"
        lines.append(more + (" (xem từng nhánh: /tonghop MÃ)." if several_levels else "."))
    lines.append(f"Gửi mã mời: /moi MÃ (ví dụ /moi {units[0].code})")
    return lines


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0f}%"
