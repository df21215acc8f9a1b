"""The officer's answer to `/giaoviec`'s preview (`handlers.officer.on_give_task`): «Giao
việc» assigns the draft task to the units the rule reaches, plans its reminders and says
so; «Thôi» discards the draft. The data can be forged or stale: the draft must be this
officer's /giaoviec draft, still a draft, and its deadline still ahead."""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.officer import ECHO_LIMIT, GIVEN_KIND, units_reached
from handlers.task_change_texts import deadline_problem, deadline_words
from handlers.texts import INVALID_BUTTON
from schedules.numbers import parse_id
from schedules.wording import shorten
from storage import directives, task_changes, units

log = logging.getLogger(__name__)


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`gv:ok:{directive_id}` or `gv:no:{directive_id}`."""
    action, _, raw_id = rest.partition(":")
    directive_id = parse_id(raw_id)
    directive = (
        None
        if directive_id is None
        else directives.get_directive(turn.session, directive_id=directive_id)
    )
    if (
        action not in ("ok", "no")
        or directive is None
        or directive.id is None
        or directive.kind != GIVEN_KIND
        or turn.person is None
        or directive.created_by_person_id != turn.person.id
    ):
        return [Outgoing(INVALID_BUTTON)]
    task_changes.lock_given_draft(turn.session, directive=directive)
    if not directive.is_draft:
        return [Outgoing(f"Việc số {directive.id} đã được giao trước đó; không giao lại.")]
    task = task_changes.draft_task(turn.session, directive_id=directive.id)
    target = units.get_unit(turn.session, unit_id=directive.owner_unit_id)
    if action == "no" or task is None or task.id is None or target is None:
        task_changes.discard_given_draft(turn.session, directive_id=directive.id)
        return [Outgoing("Đã bỏ qua; chưa giao việc nào.")]
    assert task.deadline_at is not None
    if (problem := deadline_problem(task.deadline_at, now=turn.now, zone=turn.zone)) is not None:
        return [Outgoing(problem)]
    reached = units_reached(turn, target)
    directives.confirm_draft(turn.session, directive=directive, now=turn.now)
    created = directives.assign(
        turn.session, task_id=task.id, unit_ids=reached.unit_ids, now=turn.now
    )
    planned = turn.plan_reminders(assignment_ids=[a.id for a in created if a.id is not None])
    log.info(
        "task %s given to %s units (%s reminders planned)", task.id, len(created), planned.rows
    )
    unreachable = len(created) - planned.reachable
    whom = target.name if reached.single else f"{len(created)} đơn vị thuộc {target.name}"
    lines = [
        f"Đã giao Việc số {directive.id} cho {whom}, "
        f"hạn {deadline_words(task.deadline_at, turn.zone, turn.services.deadline_time)}.",
        *([] if reached.single else [f"Giao cho: {reached.words}."]),
        f"Nội dung: {shorten(task.text, ECHO_LIMIT)}",
    ]
    if unreachable:
        lines.append(
            f"{unreachable} đơn vị chưa có chủ tịch đăng ký với bot nên chưa nhắc được; "
            "anh/chị gửi họ mã mời bằng /moi MÃ_ĐƠN_VỊ."
        )
    return [Outgoing("\n".join(lines))]
