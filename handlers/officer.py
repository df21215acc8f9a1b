"""Officer commands: invite codes, giving a task to a branch (the summary: summary_command)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.scope import find_unit_in_scope, home_unit
from handlers.texts import deadline_too_far
from schedules.horizon import beyond_horizon
from schedules.wording import format_date, shorten
from storage import directives, invites, task_reach

log = logging.getLogger(__name__)

# A deadline given as a day is kept until the end of office hours that day.
DEADLINE_TIME = time(17, 0)
DATE = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")

# The confirmation names the task, it does not repeat it: a long text is shortened.
ECHO_LIMIT = 300

GIVE_TASK_USAGE = (
    "Cách dùng: /giaoviec [MÃ_ĐƠN_VỊ] dd/mm/yyyy Nội dung việc\n"
    "Ví dụ: /giaoviec 20/12/2026 Nộp báo cáo tổng kết năm 2026"
)


def on_invite(turn: Turn, argument: str) -> list[Outgoing]:
    """`/moi CODE`: a single-use invite for the chair of a unit of the officer's branch."""
    if not argument:
        return [Outgoing("Cách dùng: /moi MÃ_ĐƠN_VỊ (ví dụ: /moi CDCS001)")]
    unit, problem = find_unit_in_scope(turn, argument.split()[0])
    if unit is None or unit.id is None:
        return [Outgoing(problem or "")]
    assert turn.person is not None
    invite = invites.create_invite(
        turn.session, unit_id=unit.id, created_by_person_id=turn.person.id, now=turn.now
    )
    log.info("invite %s created for unit %s by person %s", invite.id, unit.id, turn.person.id)
    return [
        Outgoing(
            f"Mã mời cho chủ tịch {unit.name}: {invite.code}\n"
            f"Đường dẫn: {turn.services.invite_link(invite.code)}\n"
            f"Mã dùng một lần, hết hạn ngày {format_date(invite.expires_at, turn.zone)}."
        )
    ]


def on_give_task(turn: Turn, argument: str) -> list[Outgoing]:
    """`/giaoviec [CODE] dd/mm/yyyy text`: one task for the units the chosen one reaches
    (`storage.task_reach`: those directly below; they pass it on with /giaoxuong)."""
    words = argument.split()
    if not words:
        return [Outgoing(GIVE_TASK_USAGE)]
    target = home_unit(turn)
    if not DATE.match(words[0]):
        target, problem = find_unit_in_scope(turn, words[0])
        if target is None:
            return [Outgoing(f"{problem}\n{GIVE_TASK_USAGE}")]
        words = words[1:]
    if target is None or target.id is None:
        return [Outgoing("Anh/chị chưa được phân công phụ trách đơn vị nào.")]
    if not words or (deadline_day := _parse_day(words[0])) is None:
        return [Outgoing(f"Hạn chưa đúng dạng ngày/tháng/năm.\n{GIVE_TASK_USAGE}")]
    today = turn.now.astimezone(turn.zone).date()
    if beyond_horizon(deadline_day, today):
        return [Outgoing(deadline_too_far(deadline_day, today))]
    text = " ".join(words[1:]).strip()
    if not text:
        return [Outgoing(f"Anh/chị chưa ghi nội dung việc.\n{GIVE_TASK_USAGE}")]
    deadline = datetime.combine(deadline_day, DEADLINE_TIME, tzinfo=turn.zone)
    if deadline <= turn.now:
        return [
            Outgoing(f"Hạn {format_date(deadline_day, turn.zone)} đã qua. Anh/chị chọn hạn khác.")
        ]
    unit_ids = task_reach.reached_unit_ids(turn.session, root_id=target.id)
    if not unit_ids:
        return [Outgoing(f"{target.name} không có đơn vị trực thuộc để giao việc.")]
    assert turn.person is not None and turn.person.id is not None
    directive = directives.create_directive(
        turn.session,
        kind="giao việc",
        subject=text,
        owner_unit_id=target.id,
        created_by_person_id=turn.person.id,
        now=turn.now,
    )
    assert directive.id is not None
    task = directives.add_task(
        turn.session, directive_id=directive.id, item=1, text=text, deadline_at=deadline
    )
    assert task.id is not None
    created = directives.assign(turn.session, task_id=task.id, unit_ids=unit_ids, now=turn.now)
    planned = turn.plan_reminders(assignment_ids=[a.id for a in created if a.id is not None])
    log.info(
        "task %s given to %s units (%s reminders planned)", task.id, len(created), planned.rows
    )
    unreachable = len(created) - planned.reachable
    lines = [
        f"Đã giao Việc số {directive.id} cho {len(created)} đơn vị thuộc {target.name}, "
        f"hạn {format_date(deadline, turn.zone)}.",
        f"Nội dung: {shorten(text, ECHO_LIMIT)}",
    ]
    if unreachable:
        lines.append(
            f"{unreachable} đơn vị chưa có chủ tịch đăng ký với bot nên chưa nhắc được; "
            "anh/chị gửi họ mã mời bằng /moi MÃ_ĐƠN_VỊ."
        )
    return [Outgoing("\n".join(lines))]


def _parse_day(word: str) -> date | None:
    match = DATE.match(word)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
