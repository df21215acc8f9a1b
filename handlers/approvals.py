"""Pending registrations: a person the roster does not know asks to chair a unit, and the
officers of that unit's branch (or the administrators) approve or reject it with a button.

Button data is `r:{a|r}:{request_id}`. Data can be forged and presses can come late, so the
server checks that the presser's scope covers the unit and that the request is still pending.
"""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.states import State
from handlers.texts import NOT_ALLOWED, WELCOME_UNREGISTERED
from schedules.button_prefixes import ButtonPrefix
from schedules.numbers import parse_id
from schedules.phones import display_phone
from storage import accounts, people, registration, units
from storage.conversations import clear_state, set_state
from storage.models import (
    ConversationState,
    RegistrationRequest,
    RequestState,
    Role,
)
from storage.outbox import PlannedMessage, enqueue

log = logging.getLogger(__name__)

APPROVE, REJECT = "a", "r"

WILL_TELL = "Bot sẽ báo ngay khi có kết quả."
WAITING = f"Yêu cầu đăng ký của anh/chị đang chờ cán bộ công đoàn duyệt. {WILL_TELL}"
STALE = "Yêu cầu này đã được xử lý hoặc không còn hiệu lực."
OUT_OF_SCOPE = "Yêu cầu này không thuộc phạm vi anh/chị phụ trách."


def decision_choices(request_id: int, *, can_approve: bool) -> list[list[dict[str, str]]]:
    data = f"{ButtonPrefix.REGISTRATION_DECISION}:{{}}:{request_id}"
    row = [{"label": "❌ Từ chối", "data": data.format(REJECT)}]
    if can_approve:
        row.insert(0, {"label": "✅ Duyệt", "data": data.format(APPROVE)})
    return [row]


def submit(turn: Turn, request: RegistrationRequest) -> Outgoing:
    """Send the request to those who may decide it and tell the person to wait."""
    assert request.id is not None and turn.account.id is not None
    deciders = registration.deciders_for(turn.session, unit_id=request.unit_id)
    if not deciders:
        registration.cancel_request(request)
        clear_state(turn.session, account_id=turn.account.id)
        log.warning("registration request %s has no one to decide it", request.id)
        return Outgoing(
            "Hiện chưa có cán bộ công đoàn nào dùng bot để duyệt yêu cầu của anh/chị. "
            "Anh/chị liên hệ trực tiếp cán bộ công đoàn để được bổ sung vào danh sách nhé."
        )
    unit = units.get_unit(turn.session, unit_id=request.unit_id) if request.unit_id else None
    lines = [
        "📝 Yêu cầu đăng ký mới với bot:",
        f"• Họ tên: {request.full_name}",
        f"• Điện thoại: {display_phone(request.phone)}",
    ]
    if unit is not None:
        lines.append(f"• Xin làm chủ tịch: {unit.name} (mã {unit.code})")
        lines.append("Anh/chị duyệt hay từ chối?")
    else:
        lines.append(f"• Đơn vị tự khai: «{request.unit_text}» (không có trong danh sách)")
        lines.append(
            "Chưa rõ đơn vị nên không duyệt được trong bot: nếu đúng là chủ tịch một đơn vị, "
            "anh/chị bổ sung vào danh sách (roster) rồi nhờ họ chia sẻ số điện thoại lại."
        )
    messages = [
        PlannedMessage(
            key=f"regreq:{request.id}:ask:{account.id}",
            account_id=account.id,
            kind="approval",
            text="\n".join(lines),
            due_at=turn.now,
            choices=decision_choices(request.id, can_approve=unit is not None),
        )
        for account in deciders
        if account.id is not None
    ]
    enqueue(turn.session, messages=messages, now=turn.now)
    turn.outbox_changed()
    registration.mark_pending(request)
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=State.REGISTRATION_PENDING,
        data={"request": request.id},
        now=turn.now,
    )
    log.info("registration request %s sent to %s accounts", request.id, len(messages))
    where = f" về đơn vị {unit.name}" if unit is not None else ""
    return Outgoing(f"Đã gửi yêu cầu đăng ký{where} tới cán bộ công đoàn. {WILL_TELL}")


def on_pending(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """Anything typed while officers have not decided yet."""
    request = registration.get_request(turn.session, request_id=int(state.data["request"]))
    if request is None or request.state != RequestState.PENDING:
        assert turn.account.id is not None
        clear_state(turn.session, account_id=turn.account.id)
        return [Outgoing(WELCOME_UNREGISTERED, ask_contact=True)]
    return [Outgoing(WAITING)]


def on_decision(turn: Turn, rest: str) -> list[Outgoing]:
    """`r:a:ID` approves, `r:r:ID` rejects; anything forged, stale or out of scope changes
    nothing."""
    action, _, raw_id = rest.partition(":")
    standing = turn.standing
    if standing is None or not standing.is_officer:
        log.info("decision press refused for account %s: not an officer", turn.account.id)
        return [Outgoing(NOT_ALLOWED)]
    request_id = parse_id(raw_id)
    if action not in (APPROVE, REJECT) or request_id is None:
        return [Outgoing(STALE)]
    request = registration.get_request(turn.session, request_id=request_id)
    if request is None or request.state != RequestState.PENDING:
        return [Outgoing(STALE)]
    in_scope = standing.is_admin or (
        request.unit_id is not None
        and units.is_within(
            turn.session, unit_id=request.unit_id, root_ids=standing.officer_unit_ids
        )
    )
    if not in_scope:
        log.info("decision on request %s refused for account %s", request.id, turn.account.id)
        return [Outgoing(OUT_OF_SCOPE)]
    if action == REJECT:
        return [_reject(turn, request)]
    return [_approve(turn, request)]


def _reject(turn: Turn, request: RegistrationRequest) -> Outgoing:
    _decide(turn, request, RequestState.REJECTED)
    unit = units.get_unit(turn.session, unit_id=request.unit_id) if request.unit_id else None
    about = f" làm chủ tịch {unit.name}" if unit is not None else ""
    _tell(
        turn,
        request,
        "rejected",
        f"Yêu cầu đăng ký{about} của anh/chị chưa được cán bộ công đoàn chấp thuận. "
        "Nếu có nhầm lẫn, anh/chị liên hệ trực tiếp cán bộ công đoàn nhé.",
    )
    log.info("registration request %s rejected by person %s", request.id, _decider_id(turn))
    return Outgoing(f"Đã từ chối yêu cầu đăng ký của {request.full_name}.")


def _approve(turn: Turn, request: RegistrationRequest) -> Outgoing:
    unit = units.get_unit(turn.session, unit_id=request.unit_id) if request.unit_id else None
    if unit is None or unit.id is None:
        return Outgoing(
            "Yêu cầu chưa rõ đơn vị nên không duyệt được. Anh/chị bổ sung người này vào danh "
            "sách (roster), hoặc bấm «❌ Từ chối»."
        )
    if unit.archived_at is not None or registration.bound_chair_ids(turn.session, unit_id=unit.id):
        _decide(turn, request, RequestState.CANCELLED)
        _tell(
            turn,
            request,
            "taken",
            f"Đơn vị {unit.name} đã có chủ tịch đăng ký với bot nên yêu cầu của anh/chị không "
            "được duyệt. Nếu có thay đổi nhân sự, anh/chị báo cán bộ công đoàn nhé.",
        )
        return Outgoing(f"{unit.name} đã có chủ tịch đăng ký; yêu cầu của {request.full_name} "
                        "được đóng lại.")  # fmt: skip
    person = people.get_or_create(
        turn.session, phone=request.phone, full_name=request.full_name, now=turn.now
    )
    assert person.id is not None
    registration.end_unbound_chairs(turn.session, unit_id=unit.id, now=turn.now)
    people.appoint(
        turn.session, person_id=person.id, unit_id=unit.id, role=Role.CHAIR, now=turn.now
    )
    accounts.bind(turn.session, account_id=request.account_id, person_id=person.id)
    _decide(turn, request, RequestState.APPROVED)
    _tell(
        turn,
        request,
        "approved",
        f"✅ Cán bộ công đoàn đã duyệt: anh/chị {person.full_name} là Chủ tịch {unit.name} "
        f"(mã {unit.code}).\nBot sẽ nhắc anh/chị các việc cấp trên giao, trước và khi đến hạn. "
        "Anh/chị chỉ cần trả lời ngắn: «xong», «đang làm 60%» hoặc «vướng: lý do». "
        "Gõ /toi để xem thông tin của mình.",
    )
    turn.plan_reminders(unit_ids=[unit.id])
    log.info(
        "registration request %s approved by person %s: person %s chairs unit %s",
        request.id,
        _decider_id(turn),
        person.id,
        unit.id,
    )
    return Outgoing(f"Đã duyệt: {person.full_name} là chủ tịch {unit.name}.")


def _decide(turn: Turn, request: RegistrationRequest, state: RequestState) -> None:
    registration.decide_request(request, state=state, by_person_id=_decider_id(turn), now=turn.now)
    clear_state(turn.session, account_id=request.account_id)


def _tell(turn: Turn, request: RegistrationRequest, outcome: str, text: str) -> None:
    enqueue(
        turn.session,
        messages=[
            PlannedMessage(
                key=f"regreq:{request.id}:{outcome}",
                account_id=request.account_id,
                kind="notice",
                text=text,
                due_at=turn.now,
            )
        ],
        now=turn.now,
    )
    turn.outbox_changed()


def _decider_id(turn: Turn) -> int | None:
    return turn.person.id if turn.person is not None else None
