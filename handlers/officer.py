"""Officer commands: invite codes, giving a task to a branch (the summary: summary_command)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import takewhile

from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.scope import find_unit_in_scope, home_unit, no_home_unit
from handlers.task_change_texts import deadline_problem, deadline_words
from schedules.button_prefixes import ButtonPrefix
from schedules.deadline_input import looks_like_day, read_deadline
from schedules.wording import format_date, shorten
from storage import directives, invites, task_reach
from storage.models import Unit

log = logging.getLogger(__name__)

# The kind of a directive an officer wrote with /giaoviec (named «Việc số N» by its id).
GIVEN_KIND = "giao việc"
# The confirmation names the task, it does not repeat it: a long text is shortened.
ECHO_LIMIT = 300

GIVE_TASK_USAGE = (
    "Cách dùng: /giaoviec [MÃ hoặc tên đơn vị] dd/mm[/yyyy] [hh:mm] Nội dung việc\n"
    "Ví dụ: /giaoviec 20/12/2026 Nộp báo cáo tổng kết năm 2026; "
    "/giaoviec CDCS-01 20/12 10:00 Gửi danh sách đoàn viên"
)


def on_invite(turn: Turn, argument: str) -> list[Outgoing]:
    """`/moi CODE` (or the unit's name): a single-use invite for the chair of a unit of the
    officer's branch (of any unit, for an administrator)."""
    if not argument:
        return [Outgoing("Cách dùng: /moi MÃ_ĐƠN_VỊ (ví dụ: /moi CDCS001)")]
    unit, problem = find_unit_in_scope(turn, argument)  # a code, or a name of several words
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
    """`/giaoviec [CODE] dd/mm[/yyyy] [hh:mm] text`: one task for the units the chosen one
    reaches (`storage.task_reach`: those directly below, who pass it on with /giaoxuong), or
    for the chosen unit itself when it has none below (a single CĐCS)."""
    words = argument.split()
    if not words:
        return [Outgoing(GIVE_TASK_USAGE)]
    target = home_unit(turn)
    # The unit is named by its code or by its name (several words) before the deadline.
    unit_words = list(takewhile(lambda word: not looks_like_day(word), words))
    if len(unit_words) == len(words):  # no deadline to end the name: the first word is the unit
        unit_words = words[:1]
    if unit_words:
        target, problem = find_unit_in_scope(turn, " ".join(unit_words))
        if target is None:
            return [Outgoing(f"{problem}\n{GIVE_TASK_USAGE}")]
        words = words[len(unit_words) :]
    if target is None or target.id is None:
        return [Outgoing(no_home_unit(turn))]
    default_time = turn.services.deadline_time
    typed = read_deadline(words, now=turn.now, zone=turn.zone, default_time=default_time)
    if typed is None:
        return [Outgoing(f"Hạn chưa đúng dạng ngày/tháng[/năm] [giờ:phút].\n{GIVE_TASK_USAGE}")]
    if (problem := deadline_problem(typed.at, now=turn.now, zone=turn.zone)) is not None:
        return [Outgoing(problem)]
    text = " ".join(words[typed.words :]).strip()
    if not text:
        return [Outgoing(f"Anh/chị chưa ghi nội dung việc.\n{GIVE_TASK_USAGE}")]
    assert turn.person is not None and turn.person.id is not None
    reached = units_reached(turn, target)
    directive = directives.create_directive(
        turn.session,
        kind=GIVEN_KIND,
        subject=text,
        owner_unit_id=target.id,
        created_by_person_id=turn.person.id,
        now=turn.now,
        is_draft=True,  # until the officer confirms the preview (handlers.give_task_confirm)
    )
    assert directive.id is not None
    directives.add_task(
        turn.session, directive_id=directive.id, item=1, text=text, deadline_at=typed.at
    )
    lines = [
        "Xem trước — giao việc",
        f"Nội dung: {shorten(text, ECHO_LIMIT)}",
        f"Hạn: {deadline_words(typed.at, turn.zone, default_time)}",
        f"Giao cho: {reached.words} ({len(reached.unit_ids)} đơn vị).",
        "Anh/chị xác nhận?",
    ]
    data = f"{ButtonPrefix.GIVE_TASK}:{{}}:{directive.id}"
    choices = ((Choice("✅ Giao việc", data.format("ok")), Choice("✖️ Thôi", data.format("no"))),)
    return [Outgoing("\n".join(lines), choices=choices)]


@dataclass(frozen=True, slots=True)
class Reached:
    """The units a task given at a unit goes to, and how the preview says it."""

    unit_ids: list[int]
    words: str
    single: bool


def units_reached(turn: Turn, target: Unit) -> Reached:
    """The units a `/giaoviec` given at `target` reaches, by the one rule
    (`storage.task_reach`); a unit with none below (a single CĐCS) gets it itself."""
    assert target.id is not None
    below = task_reach.reached_unit_ids(turn.session, root_id=target.id)
    if not below:
        return Reached([target.id], target.name, single=True)
    words = task_reach.REACH_WORDS[task_reach.DEFAULT_REACH]
    return Reached(below, f"{words} của {target.name}", single=False)
