"""The weekly summary of a branch: its text, its chart and its workbook, from the branch's
figures (`schedules.branch_figures`), computed once and rendered three ways.

The text holds, per open directive and task, the units in each status (the five of the
officers' reports, plus «vướng mắc» with its reasons), the completion rate and its change
since a week before, the overdue units worst first (ten named, the rest counted), the
indicator's sum rolled up by level; then the units with no registered chair. The chart has
one bar per task (a branch one level deep) or per child unit, worst first (an officer above
several levels); the workbook one summary line per child unit (or per unit) and one sheet
per task with every unit.

Rendering the chart and the workbook imports matplotlib and openpyxl and takes seconds for
a big branch: call `render_weekly` in a process of its own, never on the bot's event loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schedules.branch_figures import (
    BranchFigures,
    ChildFigures,
    StatusCounts,
    TaskFigures,
    UnitLine,
)
from schedules.calendar import WorkingCalendar
from schedules.folding import fold_key
from schedules.pass_down_figures import passed_down_lines
from schedules.status import STATUS_ORDER, Status
from schedules.summary import MARKS, MAX_UNREGISTERED, nothing_to_show
from schedules.summary_chart import ChartBar, SummaryChart, render_chart
from schedules.summary_workbook import (
    SummaryWorkbook,
    TaskSheet,
    TaskUnitLine,
    render_workbook,
)
from schedules.summary_workbook import UnitLine as SheetLine
from schedules.wording import days_left_phrase, format_date, format_number, shorten
from storage.outbox import FileKind, OutgoingFile

MAX_OVERDUE_NAMED = 10
MAX_REASONS = 5  # «vướng mắc» reasons per task, the commonest first
NAMES_PER_REASON = 3
MAX_CHILD_SUMS = 10  # child units named in an indicator's rolled-up line
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """What an officer receives: the text, then the chart (a photo), then the workbook."""

    text: str
    chart: OutgoingFile
    workbook: OutgoingFile


def iso_week(moment: datetime, zone: ZoneInfo) -> str:
    """`2026-W49`: the local ISO week of a moment, as outbox keys and file names take it."""
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def week_number(week: str) -> str:
    """`49` of `2026-W49`, as officers say it («tuần 49»)."""
    return str(int(week.rsplit("W", 1)[1]))


def weekly_due_at(
    moment: datetime, *, calendar: WorkingCalendar, weekday: int, at: time
) -> datetime:
    """When the summary of `moment`'s local week goes out, in UTC: `weekday` (0 Monday) at
    `at`, or, when that day is a holiday or a day off, the next working day at `at`."""
    local = moment.astimezone(calendar.tz).date()
    day = local - timedelta(days=local.weekday()) + timedelta(days=weekday)
    if not calendar.is_working_day(day):
        day = calendar.add_working_days(day, 1)
    return _at(day, at, calendar.tz)


def _at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def weekly_text(figures: BranchFigures, *, zone: ZoneInfo, week: str) -> str:
    """The summary's text: short lines, so that a long one splits between them."""
    if not figures.tasks:
        return nothing_to_show(figures)
    several_levels = figures.depth >= 2
    lines = [
        f"📊 Tổng hợp tuần {week_number(week)} — {figures.root.name}",
        f"Số liệu đến {figures.now.astimezone(zone):%d/%m/%Y %H:%M}: "
        f"{len(figures.tasks)} việc đang theo dõi, "
        f"{format_number(len(figures.units) - 1)} đơn vị trực thuộc",
    ]
    children = {child.unit.id: child for child in figures.children} if several_levels else {}
    for directive in figures.directives:
        lines.append("")  # a directive's tasks stay together, one blank line before them
        if directive.tasks[0].label != directive.label:  # not an officer's own task
            lines.append(f"📄 {directive.label} — {shorten(directive.subject, 90)}")
        for task in directive.tasks:
            lines += _task_block(task, figures, zone, children)
            lines += passed_down_lines(task, figures.passed_down.get(task.task_id, ()))
    if several_levels and figures.children:
        lines.append("")
        lines += _children_block(figures.children)
    if figures.unregistered:
        lines.append("")
        lines += _unregistered_block(figures)
    return "\n".join(lines)


def _task_block(
    task: TaskFigures, figures: BranchFigures, zone: ZoneInfo, children: dict[int, ChildFigures]
) -> list[str]:
    deadline = task.deadline_at
    due = (
        f"hạn {format_date(deadline, zone)} ({days_left_phrase(deadline, figures.now, zone)})"
        if deadline
        else "chưa có hạn"
    )
    counts = task.counts
    lines = [f"▪️ {task.label} — {due}", f"   {shorten(task.text, 100)}"]
    rate = (
        f"   Hoàn thành {format_number(counts.done)}/{format_number(counts.total)} đơn vị "
        f"({_percent(task.rate)}{_change(task)})"
    )
    lines.append(rate)
    lines.append(
        f"   Đã hoàn thành: đúng hạn {format_number(counts.done_on_time)} · "
        f"quá hạn {format_number(counts.done_late)}"
    )
    lines.append(
        f"   Chưa hoàn thành: đang thực hiện trong hạn {format_number(counts.in_progress)} · "
        f"quá hạn {format_number(counts.overdue)} · "
        f"chưa báo cáo {format_number(counts.no_report)} · "
        f"vướng mắc {format_number(counts.blocked)}"
    )
    lines += _blocked_lines(task.with_status(Status.BLOCKED))
    overdue = sorted(task.with_status(Status.OVERDUE), key=_overdue_order)
    if overdue:
        names = "; ".join(_overdue_name(line) for line in overdue[:MAX_OVERDUE_NAMED])
        more = len(overdue) - MAX_OVERDUE_NAMED
        tail = f" và {format_number(more)} đơn vị khác" if more > 0 else ""
        lines.append(f"   {MARKS[Status.OVERDUE]} Quá hạn: {names}{tail}")
    if task.indicator_name:
        lines += _indicator_lines(task, children)
    return lines


def _change(task: TaskFigures) -> str:
    change = task.rate_change
    if change is None:
        return ""
    if round(change) == 0:
        return "; như tuần trước"
    return f"; {'+' if change > 0 else '−'}{abs(change):.0f} điểm % so với tuần trước"


def _blocked_lines(blocked: Sequence[UnitLine]) -> list[str]:
    """«Vướng mắc» by reason, the commonest first: a province's hundred units short of funds
    are one line, not a hundred; each reason names its first units."""
    if not blocked:
        return []
    by_reason: dict[str, list[str]] = {}
    for line in blocked:
        reason = shorten(line.note or "", 80) or "chưa ghi lý do"
        by_reason.setdefault(fold_key(reason), [reason]).append(line.unit.name)
    groups = sorted(by_reason.values(), key=lambda group: -len(group))
    lines = []
    for reason, *names in groups[:MAX_REASONS]:
        shown = "; ".join(names[:NAMES_PER_REASON])
        more = len(names) - NAMES_PER_REASON
        tail = f" và {format_number(more)} đơn vị khác" if more > 0 else ""
        lines.append(f"   ⚠️ Vướng mắc «{reason}»: {shown}{tail}")
    if len(groups) > MAX_REASONS:
        rest = sum(len(group) - 1 for group in groups[MAX_REASONS:])
        lines.append(f"   ⚠️ … và {format_number(rest)} đơn vị vướng mắc vì lý do khác")
    return lines


def _overdue_order(line: UnitLine) -> tuple[int, datetime, str]:
    """Worst first: the least progress, then the longest silent (never replied first)."""
    silent = line.last_reply_at or datetime.min.replace(tzinfo=UTC)
    return (line.percent or 0, silent, line.unit.code)


def _overdue_name(line: UnitLine) -> str:
    return f"{line.unit.name} ({line.percent}%)" if line.percent else line.unit.name


def _indicator_lines(task: TaskFigures, children: dict[int, ChildFigures]) -> list[str]:
    """The indicator's sum, and for a branch of several levels its sum per child unit."""
    unit = f" {task.indicator_unit}" if task.indicator_unit else ""
    lines = [
        f"   📈 {task.indicator_name}: {format_number(task.indicator_sum)}{unit} "
        f"({format_number(task.indicator_reported)}/{format_number(task.counts.total)} "
        "đơn vị đã báo số)"
    ]
    sums = [
        (child.unit.name, child.indicator_sums[task.task_id])
        for child in children.values()
        if task.task_id in child.indicator_sums
    ]
    if sums:
        sums.sort(key=lambda pair: -pair[1])
        shown = " · ".join(
            f"{name}: {format_number(value)}" for name, value in sums[:MAX_CHILD_SUMS]
        )
        more = len(sums) - MAX_CHILD_SUMS
        tail = f" … và {more} đơn vị khác" if more > 0 else ""
        lines.append(f"      Theo đơn vị: {shown}{tail}")
    return lines


def _children_block(children: Sequence[ChildFigures]) -> list[str]:
    lines = ["Theo đơn vị trực thuộc (thấp nhất trước):"]
    for child in children:
        counts = child.counts
        text = (
            f"{_percent(child.rate)} xong ({format_number(counts.done)}/"
            f"{format_number(counts.total)})"
            if counts.total
            else "chưa có việc"
        )
        if counts.overdue:
            text += f" · quá hạn {format_number(counts.overdue)}"
        if counts.blocked:
            text += f" · vướng mắc {format_number(counts.blocked)}"
        if child.unregistered:
            text += f" · {format_number(child.unregistered)} chưa đăng ký"
        lines.append(f"• {child.unit.name} ({child.unit.code}): {text}")
    lines.append(f"Xem chi tiết: /tonghop MÃ (ví dụ /tonghop {children[0].unit.code})")
    return lines


def _unregistered_block(figures: BranchFigures) -> list[str]:
    units = figures.unregistered
    lines = [f"👤 Chưa có chủ tịch đăng ký với bot ({format_number(len(units))}):"]
    lines += [f"• {unit.name} ({unit.code})" for unit in units[:MAX_UNREGISTERED]]
    if len(units) > MAX_UNREGISTERED:
        lines.append(f"… và {format_number(len(units) - MAX_UNREGISTERED)} đơn vị khác")
    lines.append(f"Gửi mã mời: /moi MÃ (ví dụ /moi {units[0].code})")
    return lines


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0f}%"


def summary_chart(figures: BranchFigures, *, zone: ZoneInfo, week: str) -> SummaryChart:
    """One bar per task for a branch one level deep; one per child unit, worst first, for
    an officer above several levels."""
    if figures.depth >= 2 and figures.children:
        bars = [ChartBar(child.unit.name, _counts(child.counts)) for child in figures.children]
        title = f"Tổng hợp tuần {week_number(week)} theo đơn vị"
    else:
        bars = [ChartBar(task.label, _counts(task.counts)) for task in figures.tasks]
        title = f"Tổng hợp tuần {week_number(week)} theo việc"
    subtitle = f"{figures.root.name} — {format_date(figures.now, zone)}"
    return SummaryChart(title=title, subtitle=subtitle, bars=bars)


def _counts(counts: StatusCounts) -> dict[Status, int]:
    return {status: counts[status] for status in STATUS_ORDER}


def summary_workbook(figures: BranchFigures, *, zone: ZoneInfo, week: str) -> SummaryWorkbook:
    """The summary sheet has one line per child unit (several levels) or per unit given a
    task (one level); each task has a sheet with every unit's line."""
    if figures.depth >= 2 and figures.children:
        units = [
            SheetLine(child.unit.name, _counts(child.counts))
            for child in sorted(figures.children, key=lambda child: child.unit.code)
        ]
    else:
        per_unit: dict[int, Counter[Status]] = {}
        names: dict[int, str] = {}
        for task in figures.tasks:
            for line in task.units:
                per_unit.setdefault(line.unit.id, Counter())[line.status] += 1
                names[line.unit.id] = line.unit.name
        codes = {unit.id: unit.code for unit in figures.units}
        units = [
            SheetLine(names[unit_id], dict(per_unit[unit_id]))
            for unit_id in sorted(per_unit, key=lambda unit_id: codes.get(unit_id, ""))
        ]
    # A chair's number is formatted once, not once per task: fifty tasks over a thousand
    # units made this mapping cost more than writing the workbook.
    phones: dict[str, str] = {}
    sheets = [
        TaskSheet(
            label=task.label,
            directive=f"{directive.label} — {directive.subject}",
            task=task.text,
            deadline=task.deadline_at,
            indicator_name=task.indicator_name,
            lines=[_sheet_line(line, phones) for line in task.units],
        )
        for directive in figures.directives
        for task in directive.tasks
    ]
    return SummaryWorkbook(
        title=f"TỔNG HỢP TÌNH HÌNH THỰC HIỆN — TUẦN {week_number(week)}",
        branch=figures.root.name,
        as_of=figures.now,
        zone=zone,
        units=units,
        tasks=sheets,
    )


def _sheet_line(line: UnitLine, phones: dict[str, str]) -> TaskUnitLine:
    """The unit's line on a task's sheet; `phones`: the numbers formatted so far."""
    chair = line.chair
    phone = ""
    if chair is not None and chair.phone:
        phone = phones.get(chair.phone) or phones.setdefault(chair.phone, chair.phone_display)
    return TaskUnitLine(
        unit=line.unit.name,
        status=line.status,
        chair=chair.name if chair is not None and chair.registered else "",
        phone=phone,
        last_report_at=line.last_reply_at,
        percent=line.percent,
        indicator=line.number,
        note=line.note or "",
    )


def file_names(week: str) -> tuple[str, str]:
    """The chart's and the workbook's file names for a week (`2026-W49`)."""
    number = week_number(week)
    return f"tong-hop-tuan-{number}.png", f"Tổng hợp tuần {number}.xlsx"


def render_weekly(figures: BranchFigures, *, zone: ZoneInfo, week: str) -> WeeklySummary:
    """The text, the chart and the workbook (seconds for a big branch: not on an event loop)."""
    chart_name, book_name = file_names(week)
    return WeeklySummary(
        text=weekly_text(figures, zone=zone, week=week),
        chart=OutgoingFile(
            FileKind.PHOTO,
            chart_name,
            "image/png",
            render_chart(summary_chart(figures, zone=zone, week=week)),
        ),
        workbook=OutgoingFile(
            FileKind.DOCUMENT,
            book_name,
            XLSX_MIME,
            render_workbook(summary_workbook(figures, zone=zone, week=week)),
        ),
    )
