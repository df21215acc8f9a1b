"""The officer's summary as text, from a branch's figures (`schedules.branch_figures`): short
enough to read on a phone.

Per task: the units done out of all (with the rate and last week's), the statuses of those
not done, the reasons of the blocked ones, and, for a branch one level deep with a few
tasks (or one task asked for), the units not done by name, worst first; otherwise the hint
to ask for one task (`/tonghop SỐ_VIỆC`). A branch of several levels gets one line per child
unit, worst first, with the hint to drill down (`/tonghop MÃ`). Then the units with no
registered chair, named, with the `/moi MÃ` hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from schedules.branch_figures import BranchFigures, ChildFigures, TaskFigures, UnitLine
from schedules.pass_down_figures import passed_down_lines
from schedules.status import Status, assignment_status
from schedules.wording import days_left_phrase, format_date, format_number, shorten
from storage.directives import AssignmentView

# Units named per status in the branch's summary; a narrowed one (one task, one directive)
# names up to `MAX_NAMES_DETAIL`; the rest are counted.
MAX_NAMES = 10
MAX_NAMES_DETAIL = 200
MAX_BLOCKED_SHORT = 2  # reasons shown per task when units are not named
# Units are named per task only for a branch one level deep with at most this many tasks
# (or one task or directive asked for): fifty tasks × ten names is no phone's reading.
NAMED_TASKS = 3
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
        deadline=view.assignment.deadline_at or view.task.deadline_at,
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
    named = detail or (not several_levels and len(tasks) <= NAMED_TASKS)
    lines = [
        f"📊 Tổng hợp {figures.root.name} — {figures.now.astimezone(zone):%d/%m/%Y %H:%M}",
        f"{len(tasks)} việc đang theo dõi, "
        f"{format_number(len(figures.units) - 1)} đơn vị trực thuộc",
    ]
    for task in tasks:
        lines.append("")
        lines += _task_block(task, figures.now, zone, named=named, detail=detail)
        lines += passed_down_lines(task, figures.passed_down.get(task.task_id, ()))
    if not named and len(tasks) > 1:
        lines.append("")
        lines.append(f"Chi tiết từng việc: /tonghop SỐ_VIỆC (ví dụ /tonghop {tasks[0].reference})")
    if several_levels and figures.children:
        lines.append("")
        lines += _children_block(figures.children)
    if figures.unregistered:
        lines.append("")
        lines += _unregistered_block(figures, several_levels=several_levels)
    return "\n".join(lines)


def _task_block(
    task: TaskFigures, now: datetime, zone: ZoneInfo, *, named: bool, detail: bool
) -> list[str]:
    deadline = task.deadline_at
    due = (
        f"hạn {format_date(deadline, zone)} ({days_left_phrase(deadline, now, zone)})"
        if deadline
        else "chưa có hạn"
    )
    counts = task.counts
    lines = [f"▪️ {task.label} — {due}", f"   {shorten(task.text, 100)}"]
    done = (
        f"   Hoàn thành {format_number(counts.done)}/{format_number(counts.total)} đơn vị "
        f"({_percent(task.rate)}"
    )
    if task.rate_week_ago is not None:
        done += f"; tuần trước {_percent(task.rate_week_ago)}"
    done += ")"
    parts = [
        f"{label} {format_number(counts[status])}"
        for status, label in ((Status.DONE_ON_TIME, "đúng hạn"), (Status.DONE_LATE, "quá hạn"))
        if counts[status]
    ]
    lines.append(done + (": " + ", ".join(parts) if parts else ""))
    missing = counts.total - counts.done
    kinds = [status for status in NOT_DONE if counts[status]]
    if kinds:  # the total only when it is not the one count that follows
        total = f" {format_number(missing)}" if len(kinds) > 1 else ""
        lines.append(
            f"   Chưa xong{total}: "
            + " · ".join(f"{s.label} {format_number(counts[s])}" for s in kinds)
        )
    if task.indicator_name:
        unit = f" {task.indicator_unit}" if task.indicator_unit else ""
        lines.append(
            f"   📈 {task.indicator_name}: {format_number(task.indicator_sum)}{unit} "
            f"({format_number(task.indicator_reported)}/{format_number(counts.total)} "
            "đơn vị đã báo số)"
        )
    if not named:
        blocked = task.with_status(Status.BLOCKED)
        if blocked:  # one line: the first reasons, the rest counted
            reasons = "; ".join(
                f"{line.unit.name} ({shorten(line.note or '', 50) or 'chưa ghi lý do'})"
                for line in blocked[:MAX_BLOCKED_SHORT]
            )
            more = len(blocked) - MAX_BLOCKED_SHORT
            lines.append(
                f"   ⚠️ Vướng mắc: {reasons}" + (f" … và {more} đơn vị khác" if more > 0 else "")
            )
        return lines
    statuses = NOT_DONE + ((Status.DONE_LATE, Status.DONE_ON_TIME) if detail else ())
    for status in statuses:
        found = task.with_status(status)
        if found:
            lines += _named_units(status, found, detail=detail)
    return lines


def _named_units(status: Status, found: Sequence[UnitLine], *, detail: bool) -> list[str]:
    """The units of one status: on one line in a branch's summary (a few), one a line in a
    task's detail (every one, so that a long list splits between lines)."""
    limit = MAX_NAMES_DETAIL if detail else MAX_NAMES
    more = len(found) - limit
    if status == Status.BLOCKED:
        lines = [f"   ⚠️ {_blocked(line)}" for line in found[:limit]]
        return lines + ([f"   … và {more} đơn vị vướng mắc khác"] if more > 0 else [])
    if detail:
        lines = [f"   {MARKS[status]} {status.label} ({format_number(len(found))}):"]
        lines += [f"      • {_name(line)}" for line in found[:limit]]
        return lines + ([f"      … và {format_number(more)} đơn vị khác"] if more > 0 else [])
    names = "; ".join(_name(line) for line in found[:limit])
    tail = f" … và {format_number(more)} đơn vị khác" if more > 0 else ""
    return [f"   {MARKS[status]} {status.label}: {names}{tail}"]


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
            text = (
                f"{_percent(child.rate)} xong "
                f"({format_number(counts.done)}/{format_number(counts.total)})"
            )
        else:
            text = "chưa có việc"
        if counts.overdue:
            text += f" · quá hạn {format_number(counts.overdue)}"
        if counts.blocked:
            text += f" · vướng mắc {format_number(counts.blocked)}"
        if child.unregistered:
            text += f" · {child.unregistered} chưa đăng ký"
        lines.append(f"• {child.unit.name} ({child.unit.code}): {text}")
    lines.append(f"Xem chi tiết: /tonghop MÃ (ví dụ /tonghop {children[0].unit.code})")
    return lines


def _unregistered_block(figures: BranchFigures, *, several_levels: bool) -> list[str]:
    """The units with no registered chair, one a line (a long list splits between lines)."""
    units = figures.unregistered
    lines = [f"👤 Chưa có chủ tịch đăng ký với bot ({format_number(len(units))}):"]
    lines += [f"• {unit.name} ({unit.code})" for unit in units[:MAX_UNREGISTERED]]
    if len(units) > MAX_UNREGISTERED:
        more = f"… và {format_number(len(units) - MAX_UNREGISTERED)} đơn vị khác"
        lines.append(more + (" (xem từng nhánh: /tonghop MÃ)." if several_levels else "."))
    lines.append(f"Gửi mã mời: /moi MÃ (ví dụ /moi {units[0].code})")
    return lines


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0f}%"
