"""The words of tasks that change: a deadline as people read it, why a typed deadline is
refused, and the one short message the chairs and officers concerned receive."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from handlers.texts import deadline_too_far
from schedules.horizon import beyond_horizon
from schedules.wording import format_date, shorten
from storage.task_change_tables import ChangeKind

# The preview and the notice name the task; a long text is shortened.
ECHO_LIMIT = 300


def deadline_words(at: datetime, zone: ZoneInfo, default_time: time) -> str:
    """`20/12/2026`, or `20/12/2026 lúc 10:00` when the hour is not the usual one."""
    local = at.astimezone(zone)
    day = format_date(local, zone)
    if local.time().replace(second=0, microsecond=0) == default_time:
        return day
    return f"{day} lúc {local:%H:%M}"


def deadline_problem(at: datetime, *, now: datetime, zone: ZoneInfo) -> str | None:
    """Why a typed deadline cannot be taken (too far ahead, already past); None if it can."""
    today = now.astimezone(zone).date()
    day = at.astimezone(zone).date()
    if beyond_horizon(day, today):
        return deadline_too_far(day, today)
    if at <= now:
        return f"Hạn {format_date(day, zone)} đã qua. Anh/chị chọn hạn khác."
    return None


def notice_text(kind: ChangeKind, label: str, *, text: str = "", deadline: str = "") -> str:
    """The one message the chairs and officers of the units concerned receive."""
    if kind == ChangeKind.TEXT:
        return f"✏️ Nội dung việc đã thay đổi — {label}\nNội dung mới: {shorten(text, ECHO_LIMIT)}"
    if kind == ChangeKind.DEADLINE:
        return f"📅 Hạn việc đã thay đổi — {label}\nHạn mới: {deadline}."
    if kind == ChangeKind.EXTEND:
        return f"📅 Gia hạn — {label}\nHạn mới của đơn vị anh/chị: {deadline}."
    if kind == ChangeKind.CANCEL:
        return f"❌ Đã hủy việc — {label}\nAnh/chị không cần thực hiện và báo cáo việc này nữa."
    return f"🔒 Đã kết thúc việc — {label}\nViệc không nhận thêm báo cáo; bot thôi nhắc việc này."
