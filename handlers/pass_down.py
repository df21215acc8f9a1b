"""Passing a task down (`/giaoxuong`, or «⬇️ Giao xuống» under an officer's task notice): an
officer whose unit was given a task gives it on to units of their own branch in one step —
all direct children, one level (`cấp CĐCS`) or listed codes —, with a deadline proposed
before the unit's own, previewed and confirmed (docs/passing-down.md). An administrator, or
a branch's officer for a unit without an officer of its own, does the same for a unit named
first (`/giaoxuong LDLD-TU 1 …`, `handlers.reports_list.task_list`).

The plan waits in the conversation state (`State.GIVE_DOWN`) until «Xác nhận»; a deadline
later than the unit's own is warned about and needs a second confirmation. Reporting up
is `handlers.report_up`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.reports_list import TaskList, pick, task_list
from handlers.scope import may_steer
from handlers.states import State
from handlers.texts import INVALID_BUTTON, deadline_too_far
from schedules.deadline_input import read_deadline
from schedules.folding import fold
from schedules.horizon import beyond_horizon
from schedules.pass_down_rule import (
    PassDownAction,
    pass_down_data,
    propose_deadline,
    read_pass_down_data,
)
from schedules.reminders import default_calendar
from schedules.wording import format_date, shorten, task_label
from storage import pass_down, task_reach, units
from storage.conversations import clear_state, get_state, set_state
from storage.directives import AssignmentView
from storage.models import ConversationState, Progress, Unit
from storage.replies import assignment_view

log = logging.getLogger(__name__)

USAGE = (
    "Cách dùng: /giaoxuong [ĐƠN_VỊ] SỐ [tất cả | cấp CẤP | MÃ1 MÃ2 …] [dd/mm/yyyy]\n"
    "SỐ là số thứ tự của việc trong danh sách /giaoxuong (việc của đơn vị anh/chị), hoặc "
    "/giaoxuong ĐƠN_VỊ (mã hoặc tên: việc của đơn vị đó, khi anh/chị được giao xuống thay). "
    "Không ghi đơn vị nhận: giao cho mọi đơn vị trực thuộc trực tiếp; không ghi hạn: bot "
    "đề xuất hạn.\n"
    "Ví dụ: /giaoxuong 1; /giaoxuong 1 cấp CĐCS 12/12/2026; /giaoxuong 2 CDCS-01 CDCS-02; "
    "/giaoxuong LDLD-TU 1"
)
NOTHING = (
    "Đơn vị anh/chị phụ trách hiện không có việc nào được giao để giao xuống. Việc của một "
    "đơn vị khác: /giaoxuong MÃ_ĐƠN_VỊ."
)
NOTHING_AT = "{unit} hiện không có việc nào được giao để giao xuống."
NO_UNITS = "{unit} không có đơn vị trực thuộc nào để giao xuống."
NOT_YOURS = (
    "Việc này không phải việc được giao cho đơn vị anh/chị làm cán bộ, nên không giao "
    "xuống được. Gõ /giaoxuong để xem các việc của đơn vị mình."
)
EXPIRED = (
    "Bản xem trước này không còn (đã giao, đã hủy hoặc đã quá lâu). Gõ /giaoxuong để bắt đầu lại."
)
CANCELLED = "Đã hủy, chưa giao xuống đơn vị nào."
WAITING = (
    "Bot đang chờ anh/chị xác nhận việc giao xuống ở trên: bấm «Xác nhận» hoặc «Hủy» "
    "(hoặc gõ lại /giaoxuong với lựa chọn khác)."
)
LEVEL = re.compile(r"^(?:cap|level)\s+(.+)$")
EVERYONE = frozenset({"tat ca", "tatca", "all", "tat ca don vi"})
MAX_NAMES = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """A pass-down waiting for its confirmation."""

    assignment_id: int
    unit_ids: tuple[int, ...]
    deadline: date
    rule: str  # how the deadline was chosen, in words
    later_confirmed: bool = False  # the first of two confirmations of a later deadline

    def to_data(self) -> dict[str, Any]:
        return {
            "assignment_id": self.assignment_id,
            "unit_ids": list(self.unit_ids),
            "deadline": self.deadline.isoformat(),
            "rule": self.rule,
            "later_confirmed": self.later_confirmed,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Plan | None:
        try:
            return cls(
                int(data["assignment_id"]),
                tuple(int(unit_id) for unit_id in data["unit_ids"]),
                date.fromisoformat(str(data["deadline"])),
                str(data.get("rule", "")),
                bool(data.get("later_confirmed")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def on_command(turn: Turn, argument: str) -> list[Outgoing]:
    """`/giaoxuong [ĐƠN_VỊ] [SỐ [đơn vị] [hạn]]`: without a number, the tasks to pass down
    (of the officer's own units, or of the unit named first)."""
    listed, problem = task_list(turn, argument, "giaoxuong")
    if listed is None:
        return [Outgoing(problem)]
    words = listed.words
    if not words:
        return [_listing(turn, listed)]
    view = pick(listed.views, words[0])
    if view is None:
        return [
            Outgoing(
                f"Không có việc số «{words[0][:20]}» trong danh sách /giaoxuong"
                f"{listed.unit_ref}.\n{USAGE}"
            )
        ]
    return _preview_for(turn, view, words[1:])


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`pd:s:{assignment}` under a task notice, `pd:ok|no:{assignment}` under a preview."""
    press = read_pass_down_data(rest)
    if press is None or turn.person is None or turn.standing is None:
        log.info("malformed pass-down button from account %s", turn.account.id)
        return [Outgoing(INVALID_BUTTON)]
    action, assignment_id = press
    if action == PassDownAction.START:
        view = assignment_view(turn.session, assignment_id=assignment_id)
        if view is None or not _may_pass_down(turn, view):
            log.info(
                "pass-down of assignment %s refused for account %s", assignment_id, turn.account.id
            )
            return [Outgoing(NOT_YOURS if view is not None else INVALID_BUTTON)]
        return _preview_for(turn, view, [])
    state = _state(turn)
    plan = Plan.from_data(state.data) if state is not None else None
    if plan is None or plan.assignment_id != assignment_id:
        return [Outgoing(EXPIRED)]
    if action == PassDownAction.CANCEL:
        clear_state(turn.session, account_id=_account_id(turn))
        return [Outgoing(CANCELLED)]
    return _confirm(turn, plan)


def on_state(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """A line typed while a preview waits: the preview is still there to confirm."""
    plan = Plan.from_data(state.data)
    if plan is None:
        clear_state(turn.session, account_id=_account_id(turn))
        return [Outgoing(EXPIRED)]
    return [Outgoing(WAITING, choices=_confirm_choices(plan.assignment_id))]


# ----- the preview -----------------------------------------------------------------------


def _preview_for(turn: Turn, view: AssignmentView, words: list[str]) -> list[Outgoing]:
    assert view.unit.id is not None and view.assignment.id is not None
    today = turn.now.astimezone(turn.zone).date()
    day: date | None = None
    if words and "/" in words[-1]:
        typed = read_deadline(
            words[-1:], now=turn.now, zone=turn.zone, default_time=turn.services.deadline_time
        )
        day = typed.at.date() if typed else None
        if day is None:
            return [Outgoing(f"Hạn «{words[-1][:20]}» chưa đúng dạng ngày/tháng/năm.\n{USAGE}")]
        words = words[:-1]
    chosen, problem = _choose_units(turn, view.unit, " ".join(words))
    if problem:
        return [Outgoing(problem)]
    if day is None:
        if view.task.deadline_at is None:
            return [
                Outgoing(
                    f"{task_label(view.directive, view.task)} chưa có hạn nên bot chưa đề xuất "
                    "được hạn cho đơn vị trực thuộc. Anh/chị ghi hạn vào cuối lệnh, ví dụ: "
                    f"/giaoxuong … 15/12/{today.year}"
                )
            ]
        calendar = turn.services.calendar or default_calendar(turn.zone)
        proposed = propose_deadline(view.task.deadline_at, calendar, today=today)
        day, rule = proposed.day, f"đề xuất: {proposed.rule}"
    else:
        rule = "anh/chị chọn"
    if (
        day < today
        or datetime.combine(day, turn.services.deadline_time, tzinfo=turn.zone) <= turn.now
    ):
        return [Outgoing(f"Hạn {day:%d/%m/%Y} đã qua. Anh/chị chọn hạn khác.")]
    if beyond_horizon(day, today):
        return [Outgoing(deadline_too_far(day, today))]
    plan = Plan(view.assignment.id, tuple(u.id for u in chosen if u.id is not None), day, rule)
    set_state(
        turn.session,
        account_id=_account_id(turn),
        name=State.GIVE_DOWN,
        data=plan.to_data(),
        now=turn.now,
    )
    return [_preview(turn, view, chosen, plan)]


def _preview(turn: Turn, view: AssignmentView, chosen: list[Unit], plan: Plan) -> Outgoing:
    names = "; ".join(unit.name for unit in chosen[:MAX_NAMES])
    more = f" … và {len(chosen) - MAX_NAMES} đơn vị khác" if len(chosen) > MAX_NAMES else ""
    lines = [
        f"⬇️ Giao xuống: {task_label(view.directive, view.task)}",
        f"Nội dung: {shorten(view.task.text, 200)}",
        f"Cho {len(chosen)} đơn vị: {names}{more}",
        f"Hạn của các đơn vị: {plan.deadline:%d/%m/%Y} ({plan.rule}).",
    ]
    own = view.task.deadline_at
    if own is not None:
        lines.append(f"Hạn của {view.unit.name}: {format_date(own, turn.zone)}.")
    if _later_than_own(turn, view, plan.deadline):
        lines.append(
            "⚠️ Hạn của các đơn vị SAU hạn của đơn vị anh/chị: sẽ không kịp tổng hợp báo cáo "
            "lên. Nếu vẫn giao, anh/chị xác nhận hai lần."
        )
    lines.append(f"Đổi hạn: gõ lại lệnh kèm ngày, ví dụ /giaoxuong{_ref(turn, view)} … 10/12/2026.")
    return Outgoing("\n".join(lines), choices=_confirm_choices(plan.assignment_id))


def _confirm_choices(assignment_id: int) -> tuple[tuple[Choice, ...], ...]:
    return (
        (
            Choice("✅ Xác nhận giao", pass_down_data(PassDownAction.CONFIRM, assignment_id)),
            Choice("❌ Hủy", pass_down_data(PassDownAction.CANCEL, assignment_id)),
        ),
    )


def _choose_units(turn: Turn, root: Unit, chosen: str) -> tuple[list[Unit], str]:
    """The units named after the number: all direct children (nothing, «tất cả»), a level
    («cấp CĐCS»), or codes; a code outside the unit's branch is answered as unknown."""
    assert root.id is not None
    folded = " ".join(fold(chosen).split())
    if not folded or folded in EVERYONE:
        ids = task_reach.reached_unit_ids(turn.session, root_id=root.id)
        found = units.units_by_ids(turn.session, unit_ids=ids)
        return (found, "") if found else ([], NO_UNITS.format(unit=root.name))
    below = task_reach.units_below(turn.session, root_id=root.id)
    if (level := LEVEL.match(folded)) is not None:
        wanted = level.group(1).strip()
        found = [unit for unit in below if " ".join(fold(unit.level).split()) == wanted]
        if not found:
            levels = sorted({unit.level for unit in below if unit.level})
            known = f" Các cấp có trong nhánh: {', '.join(levels)}." if levels else ""
            return [], f"Không có đơn vị cấp «{level.group(1)[:40]}» thuộc {root.name}.{known}"
        return found, ""
    by_code = {unit.code.casefold(): unit for unit in below}
    found, unknown = [], []
    for code in chosen.replace(",", " ").split():
        unit = by_code.get(code.casefold())
        if unit is None:
            unknown.append(code[:30])
        elif unit not in found:
            found.append(unit)
    if unknown:
        listed = ", ".join(f"«{code}»" for code in unknown[:5])
        return [], (
            f"Không tìm thấy đơn vị mã {listed} trong phạm vi anh/chị phụ trách. "
            "Không có gì được giao."
        )
    return found, ""


# ----- the confirmation --------------------------------------------------------------------


def _confirm(turn: Turn, plan: Plan) -> list[Outgoing]:
    view = assignment_view(turn.session, assignment_id=plan.assignment_id)
    if view is None or not _may_pass_down(turn, view):
        clear_state(turn.session, account_id=_account_id(turn))
        return [Outgoing(NOT_YOURS)]
    if _later_than_own(turn, view, plan.deadline) and not plan.later_confirmed:
        again = Plan(plan.assignment_id, plan.unit_ids, plan.deadline, plan.rule, True)
        set_state(
            turn.session,
            account_id=_account_id(turn),
            name=State.GIVE_DOWN,
            data=again.to_data(),
            now=turn.now,
        )
        own = view.task.deadline_at
        assert own is not None
        return [
            Outgoing(
                f"⚠️ Anh/chị xác nhận lần nữa: hạn của các đơn vị ({plan.deadline:%d/%m/%Y}) "
                f"sau hạn của {view.unit.name} ({format_date(own, turn.zone)}).",
                choices=_confirm_choices(plan.assignment_id),
            )
        ]
    clear_state(turn.session, account_id=_account_id(turn))
    assert turn.person is not None and turn.person.id is not None
    deadline = datetime.combine(plan.deadline, turn.services.deadline_time, tzinfo=turn.zone)
    created = pass_down.pass_down(
        turn.session,
        parent=view,
        unit_ids=plan.unit_ids,
        deadline_at=deadline,
        person_id=turn.person.id,
        now=turn.now,
    )
    if not created:
        return [Outgoing("Các đơn vị này đã được giao việc này rồi, không giao lại.")]
    planned = turn.plan_reminders(assignment_ids=[a.id for a in created if a.id is not None])
    log.info(
        "assignment %s passed down to %s units (%s reminders planned)",
        plan.assignment_id,
        len(created),
        planned.rows,
    )
    ref = _ref(turn, view)
    lines = [
        f"✅ Đã giao xuống {task_label(view.directive, view.task)} cho {len(created)} đơn vị, "
        f"hạn {plan.deadline:%d/%m/%Y}.",
        f"Xem tiến độ: /giaoxuong{ref}. Khi các đơn vị báo cáo, anh/chị báo cáo lên bằng "
        f"/baocaolen{ref} SỐ (số trong danh sách /giaoxuong{ref}).",
    ]
    unreachable = len(created) - planned.reachable
    if unreachable > 0:
        lines.append(
            f"{unreachable} đơn vị chưa có ai đăng ký với bot nên chưa nhắc được; "
            "anh/chị gửi họ mã mời bằng /moi MÃ_ĐƠN_VỊ."
        )
    return [Outgoing("\n".join(lines))]


# ----- helpers -----------------------------------------------------------------------------


def _listing(turn: Turn, listed: TaskList) -> Outgoing:
    views, unit, ref = listed.views, listed.unit, listed.unit_ref
    if not views:
        return Outgoing(NOTHING if unit is None else NOTHING_AT.format(unit=unit.name))
    progress = pass_down.children_progress(
        turn.session, parent_ids=[v.assignment.id for v in views if v.assignment.id is not None]
    )
    whose = "đơn vị anh/chị" if unit is None else unit.name
    lines = [f"⬇️ Việc của {whose} có thể giao xuống:"]
    for number, view in enumerate(views, start=1):
        deadline = view.task.deadline_at
        due = f"hạn {format_date(deadline, turn.zone)}" if deadline else "chưa có hạn"
        line = f"{number}. {task_label(view.directive, view.task)} — {due}"
        if (children := progress.get(view.assignment.id or 0)) is not None:
            line += f" — đã giao xuống: {children.done}/{children.total} xong"
        lines += [line, f"   {shorten(view.task.text, 80)}"]
    if unit is None:
        lines.append(USAGE)
    else:
        lines.append(
            f"Giao xuống: /giaoxuong{ref} SỐ [tất cả | cấp CẤP | MÃ …] [dd/mm/yyyy], "
            f"ví dụ /giaoxuong{ref} 1"
        )
    lines.append(f"Báo cáo lên khi các đơn vị xong: /baocaolen{ref} SỐ")
    return Outgoing("\n".join(lines))


def _may_pass_down(turn: Turn, view: AssignmentView) -> bool:
    """The presser may steer the assignment's unit (its officer, an administrator, or the
    branch's officer for a unit with none: `may_steer`), and the task is still open."""
    return may_steer(turn, unit_id=view.assignment.unit_id) and (
        view.assignment.progress != Progress.DONE
    )


def _ref(turn: Turn, view: AssignmentView) -> str:
    """« LDLD-TU» when the unit is not one of the person's own, so the commands a message
    suggests number the same list; nothing for their own units."""
    standing = turn.standing
    if standing is not None and view.assignment.unit_id in standing.officer_unit_ids:
        return ""
    return f" {view.unit.code}"


def _later_than_own(turn: Turn, view: AssignmentView, day: date) -> bool:
    own = view.task.deadline_at
    return own is not None and day > own.astimezone(turn.zone).date()


def _state(turn: Turn) -> ConversationState | None:
    state = get_state(turn.session, account_id=_account_id(turn))
    return state if state is not None and state.name == State.GIVE_DOWN else None


def _account_id(turn: Turn) -> int:
    assert turn.account.id is not None
    return turn.account.id
