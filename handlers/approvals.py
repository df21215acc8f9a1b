"""Pending registrations: a person the roster does not know asks to chair a unit, and the
officers of that unit's branch (or the administrators) approve or reject it with a button.

Button data is `r:{a|r|k|n}:{request_id}`. Data can be forged and presses can come late, so the
server checks that the presser's scope covers the unit and that the request is still pending.
Approving a unit whose roster names another chair (who never registered) asks which one is
right: `r:k:{id}` keeps the roster's chair, `r:n:{id}` puts the newcomer in their place.
Every decision is told to the other officers the request went to, with who made it.
"""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.scope import may_act_on
from handlers.states import State
from handlers.texts import NOT_ALLOWED, WELCOME_UNREGISTERED
from schedules.button_prefixes import ButtonPrefix
from schedules.numbers import parse_id
from schedules.phones import display_phone
from schedules.wording import format_moment, shorten
from storage import accounts, people, registration, units
from storage.conversations import clear_state, set_state
from storage.models import ConversationState, Person, Role
from storage.outbox import PlannedMessage, enqueue
from storage.registration_tables import RegistrationRequest, RequestState

log = logging.getLogger(__name__)

APPROVE, REJECT, KEEP, NEW = "a", "r", "k", "n"
LABEL_NAME = 40  # a name in a button's label

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
    """`r:a:ID` approves (or asks which chair is right), `r:r:ID` rejects, `r:k:ID` keeps the
    roster's chair, `r:n:ID` approves in their place; anything forged, stale or out of scope
    changes nothing."""
    action, _, raw_id = rest.partition(":")
    standing = turn.standing
    if standing is None or not standing.is_officer:
        log.info("decision press refused for account %s: not an officer", turn.account.id)
        return [Outgoing(NOT_ALLOWED)]
    request_id = parse_id(raw_id)
    if action not in (APPROVE, REJECT, KEEP, NEW) or request_id is None:
        return [Outgoing(STALE)]
    request = registration.get_request(turn.session, request_id=request_id)
    if request is None:
        return [Outgoing(STALE)]
    in_scope = standing.is_admin or (
        request.unit_id is not None and may_act_on(turn, unit_id=request.unit_id)
    )
    if not in_scope:
        log.info("decision on request %s refused for account %s", request.id, turn.account.id)
        return [Outgoing(OUT_OF_SCOPE)]
    if request.state != RequestState.PENDING:
        return [Outgoing(_already_decided(turn, request))]
    if action == REJECT:
        return [_reject(turn, request)]
    unit = units.get_unit(turn.session, unit_id=request.unit_id) if request.unit_id else None
    if unit is None or unit.id is None:
        return [
            Outgoing(
                "Yêu cầu chưa rõ đơn vị nên không duyệt được. Anh/chị bổ sung người này vào "
                "danh sách (roster), hoặc bấm «❌ Từ chối»."
            )
        ]
    if unit.archived_at is not None or registration.bound_chair_ids(turn.session, unit_id=unit.id):
        return [_taken(turn, request, unit.name)]
    rivals = registration.unbound_chairs(turn.session, unit_id=unit.id)
    if action == KEEP:
        return [_keep(turn, request, unit.name, rivals)]
    if action == APPROVE and rivals:
        return [_conflict(request, unit.name, rivals)]
    return [_approve(turn, request, unit.id, replaced=rivals)]


def _conflict(request: RegistrationRequest, unit_name: str, rivals: list[Person]) -> Outgoing:
    """The roster already names a chair for the unit: the officer says who is right."""
    assert request.id is not None
    named = ", ".join(_with_phone(person) for person in rivals)
    data = f"{ButtonPrefix.REGISTRATION_DECISION}:{{}}:{request.id}"
    rival = shorten(rivals[0].full_name, LABEL_NAME)
    newcomer = shorten(request.full_name, LABEL_NAME)
    return Outgoing(
        f"⚠️ Danh sách đang ghi chủ tịch {unit_name} là {named}, chưa đăng ký với bot.\n"
        f"Người xin đăng ký: {request.full_name} ({display_phone(request.phone)}).\n"
        "Ai đúng là chủ tịch hiện nay?",
        choices=(
            (Choice(f"Giữ {rival}", data.format(KEEP)),),
            (Choice(f"{newcomer} là chủ tịch mới", data.format(NEW)),),
        ),
    )


def _with_phone(person: Person) -> str:
    return (
        f"{person.full_name} ({display_phone(person.phone)})" if person.phone else person.full_name
    )


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
    _tell_others(turn, request, "từ chối")
    log.info("registration request %s rejected by person %s", request.id, _decider_id(turn))
    return Outgoing(f"Đã từ chối yêu cầu đăng ký của {request.full_name}.")


def _keep(
    turn: Turn, request: RegistrationRequest, unit_name: str, rivals: list[Person]
) -> Outgoing:
    """The roster's chair is the right one: the request is turned down, the roster kept."""
    _decide(turn, request, RequestState.REJECTED)
    _tell(
        turn,
        request,
        "rejected",
        f"Cán bộ công đoàn xác nhận chủ tịch {unit_name} là người đã có trong danh sách, nên "
        "yêu cầu đăng ký của anh/chị không được duyệt. Nếu có nhầm lẫn, anh/chị liên hệ trực "
        "tiếp cán bộ công đoàn nhé.",
    )
    kept = ", ".join(person.full_name for person in rivals) or "chủ tịch trong danh sách"
    _tell_others(turn, request, f"giữ {kept} là chủ tịch {unit_name}, không duyệt")
    log.info("request %s: roster chair kept by person %s", request.id, _decider_id(turn))
    return Outgoing(
        f"Đã giữ {kept} là chủ tịch {unit_name}; yêu cầu của {request.full_name} không được duyệt."
    )


def _taken(turn: Turn, request: RegistrationRequest, unit_name: str) -> Outgoing:
    _decide(turn, request, RequestState.CANCELLED)
    _tell(
        turn,
        request,
        "taken",
        f"Đơn vị {unit_name} đã có chủ tịch đăng ký với bot nên yêu cầu của anh/chị không "
        "được duyệt. Nếu có thay đổi nhân sự, anh/chị báo cán bộ công đoàn nhé.",
    )
    _tell_others(turn, request, "đóng lại vì đơn vị đã có chủ tịch đăng ký")
    return Outgoing(f"{unit_name} đã có chủ tịch đăng ký; yêu cầu của {request.full_name} "
                    "được đóng lại.")  # fmt: skip


def _approve(
    turn: Turn, request: RegistrationRequest, unit_id: int, *, replaced: list[Person]
) -> Outgoing:
    unit = units.get_unit(turn.session, unit_id=unit_id)
    assert unit is not None
    person = people.get_or_create(
        turn.session, phone=request.phone, full_name=request.full_name, now=turn.now
    )
    assert person.id is not None
    registration.end_unbound_chairs(turn.session, unit_id=unit_id, now=turn.now)
    people.appoint(
        turn.session, person_id=person.id, unit_id=unit_id, role=Role.CHAIR, now=turn.now
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
    turn.plan_reminders(unit_ids=[unit_id])
    instead = ", ".join(rival.full_name for rival in replaced if rival.id != person.id)
    _tell_others(turn, request, "duyệt" + (f", thay {instead} trong danh sách" if instead else ""))
    log.info(
        "registration request %s approved by person %s: person %s chairs unit %s",
        request.id,
        _decider_id(turn),
        person.id,
        unit_id,
    )
    suffix = f" (thay {instead} trong danh sách)" if instead else ""
    return Outgoing(f"Đã duyệt: {person.full_name} là chủ tịch {unit.name}{suffix}.")


def _already_decided(turn: Turn, request: RegistrationRequest) -> str:
    """A late press: who decided and when, if someone did."""
    verdicts = {RequestState.APPROVED: "duyệt", RequestState.REJECTED: "từ chối"}
    decider_id = request.decided_by_person_id
    decider = people.get_person(turn.session, person_id=decider_id) if decider_id else None
    verdict = verdicts.get(RequestState(request.state))
    if decider is None or verdict is None or request.decided_at is None:
        return STALE
    by = "anh/chị" if decider.id == _decider_id(turn) else f"anh/chị {decider.full_name}"
    when = format_moment(request.decided_at, turn.zone)
    return f"Yêu cầu đăng ký của {request.full_name} đã được {by} {verdict} lúc {when}."


def _tell_others(turn: Turn, request: RegistrationRequest, outcome: str) -> None:
    """The other officers the request went to hear once who decided it and how, so no one
    presses a button that no longer counts or wonders whether it was seen to."""
    assert turn.person is not None
    unit = units.get_unit(turn.session, unit_id=request.unit_id) if request.unit_id else None
    about = unit.name if unit is not None else f"đơn vị tự khai «{request.unit_text}»"
    text = (
        f"ℹ️ Yêu cầu đăng ký của {request.full_name} ({about}) đã được anh/chị "
        f"{turn.person.full_name} xử lý lúc {format_moment(turn.now, turn.zone)}: {outcome}."
    )
    messages = [
        PlannedMessage(
            key=f"regreq:{request.id}:decided:{account.id}",
            account_id=account.id,
            kind="notice",
            text=text,
            due_at=turn.now,
        )
        for account in registration.deciders_for(turn.session, unit_id=request.unit_id)
        if account.id is not None and account.person_id != turn.person.id
    ]
    if enqueue(turn.session, messages=messages, now=turn.now):
        turn.outbox_changed()


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
