"""How the bot names things to people: directives, tasks, dates and progress, in Vietnamese."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from schedules.progress_labels import PROGRESS_LABELS as PROGRESS_LABELS  # re-exported
from storage.models import Directive, Task

KIND_ABBREVIATIONS = {
    "công văn": "CV",
    "chỉ thị": "CT",
    "kế hoạch": "KH",
    "thông báo": "TB",
    "hướng dẫn": "HD",
    "quyết định": "QĐ",
    "nghị quyết": "NQ",
}


def task_label(directive: Directive, task: Task) -> str:
    """`CV 490/LĐLĐ, mục 3` for a numbered directive, `Việc số 12` for an officer's own task."""
    if directive.number:
        kind = KIND_ABBREVIATIONS.get(directive.kind.lower(), directive.kind)
        return f"{kind} {directive.number}, mục {task.item}"
    return f"Việc số {directive.id}"


def format_date(moment: datetime | date, zone: ZoneInfo) -> str:
    day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
    return day.strftime("%d/%m/%Y")


def format_moment(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def days_left_phrase(deadline: datetime, now: datetime, zone: ZoneInfo) -> str:
    """`còn 3 ngày`, `hạn là hôm nay`, `đã quá hạn 2 ngày`, counted in local calendar days."""
    days = (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hạn là hôm nay"
    return f"đã quá hạn {-days} ngày"


def shorten(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def format_number(value: int) -> str:
    """`1.200.000`: thousands separated by dots, as Vietnamese documents write them."""
    return f"{value:,}".replace(",", ".")


INDICATOR_MARK = "📈"


def indicator_request(task: Task) -> str | None:
    """The reminder's line asking for the task's figure; None when the task has none."""
    if not task.indicator_name:
        return None
    unit = f" ({task.indicator_unit})" if task.indicator_unit else ""
    return (
        f"{INDICATOR_MARK} Chỉ tiêu: {task.indicator_name}{unit}. "
        "Anh/chị báo kèm con số, ví dụ «đang làm, đạt 12» hoặc «xong, đạt 12»."
    )


def indicator_line(task: Task) -> str:
    """`indicator_request` as a line to put in a message, or nothing."""
    request = indicator_request(task)
    return f"{request}\n" if request else ""
