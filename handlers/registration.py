"""Registration: binding a chat account to a person of the roster, by invite code or by the
phone number shared with the platform's contact button."""

from __future__ import annotations

import logging
import re
import unicodedata

from handlers import approvals
from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.registration_alerts import note_failure
from handlers.states import State
from handlers.texts import SHARE_PHONE_BUTTON, WELCOME_UNREGISTERED
from handlers.vietnamese_text import fold_plain
from schedules.phones import normalize_phone
from storage import accounts, invites, people, registration, units
from storage.accounts import accounts_of_person
from storage.conversations import clear_state, set_state
from storage.models import ConversationState, Person, Role
from storage.registration_tables import RequestState

log = logging.getLogger(__name__)

MAX_LISTED = 5
# `MA ABC123`, `mã: ABC123`, `Ma moi ABC123`: the word for code, then one token.
CODE_LINE = re.compile(r"^\s*(?:ma|mã)(?:\s+(?:moi|mời))?\s*[:=]?\s+([A-Za-z0-9]{4,32})\s*$", re.I)
# A code alone: as `storage.invites` makes them (10 of its letters and digits), any case.
BARE_CODE = re.compile(rf"^\s*[{invites.ALPHABET}]{{{invites.CODE_LENGTH}}}\s*$", re.I)

ASK_UNIT = (
    "Anh/chị là chủ tịch công đoàn cơ sở nào? Xin gõ mã đơn vị (ví dụ CDCS-01) hoặc tên đơn "
    "vị; cán bộ công đoàn sẽ xem và duyệt."
)
ASK_NAME = (
    "Số điện thoại của anh/chị chưa có trong danh sách của công đoàn. Xin anh/chị gõ họ và "
    "tên đầy đủ (ví dụ: Nguyễn Văn An) để cán bộ công đoàn biết ai đang đăng ký."
)
NAME_AGAIN = "Anh/chị gõ họ và tên đầy đủ, ít nhất hai chữ, chỉ gồm chữ cái (ví dụ: Nguyễn Văn An)."
# A full name as people write it: letters (any script's, diacritics included) in two words
# or more, with a hyphen or an apostrophe inside a word at most.
FULL_NAME = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*(?: [^\W\d_]+(?:['’-][^\W\d_]+)*)+$")
MAX_NAME = 80
ASK_CODE = "Anh/chị gõ mã đơn vị (ví dụ CDCS-01) hoặc tên đầy đủ hơn."
NOT_IN_ROSTER = (
    "Số điện thoại của anh/chị chưa có trong danh sách của công đoàn. Anh/chị liên hệ cán bộ "
    "công đoàn để được bổ sung, hoặc xin mã mời rồi gửi /start MÃ_MỜI."
)
UNIT_TAKEN = (
    "Đơn vị {unit} đã có chủ tịch đăng ký với bot. Nếu có thay đổi nhân sự, anh/chị báo cán "
    "bộ công đoàn cập nhật danh sách nhé."
)

INVITE_PROBLEMS = {
    invites.InviteProblem.UNKNOWN: "Mã mời «{code}» không đúng. Anh/chị kiểm tra lại mã, "
    "hoặc xin cán bộ công đoàn cấp mã mới.",
    invites.InviteProblem.USED: "Mã mời «{code}» đã được dùng. Mỗi mã chỉ dùng một lần; "
    "anh/chị xin cán bộ công đoàn cấp mã mới nhé.",
    invites.InviteProblem.EXPIRED: "Mã mời «{code}» đã hết hạn. Anh/chị xin cán bộ công đoàn "
    "cấp mã mới nhé.",
    invites.InviteProblem.REVOKED: "Mã mời «{code}» đã bị thu hồi. Anh/chị liên hệ cán bộ "
    "công đoàn để được cấp mã mới.",
}


def on_start(turn: Turn, argument: str) -> list[Outgoing]:
    """`/start` greets or asks to register; `/start CODE` redeems an invite."""
    if argument:
        return [redeem_invite(turn, argument)]
    if turn.person is not None:
        return [Outgoing(greeting(turn, turn.person))]
    return [Outgoing(WELCOME_UNREGISTERED, ask_contact=True)]


def invite_code_in(text: str, *, stranger: bool) -> str | None:
    """The invite code in a line sent without /start (how Zalo registers, where no link
    carries it): `MA ABCD234567` from anyone, the code alone from a person not registered
    yet (a registered chair's one-word reply is not taken for a code)."""
    if (match := CODE_LINE.match(text)) is not None:
        return match.group(1)
    if stranger and BARE_CODE.match(text):
        return text.strip()
    return None


def redeem_invite(turn: Turn, raw_code: str) -> Outgoing:
    """Bind the account to the invite's unit; a bad code changes nothing."""
    code = raw_code.strip().split()[0][:32]
    invite = invites.find_invite(turn.session, code=code)
    problem = invites.check_invite(invite, now=turn.now)
    if problem is not None or invite is None:
        problem = problem or invites.InviteProblem.UNKNOWN
        note_failure(turn, unit_id=invite.unit_id if invite else None, reason=f"invite_{problem}")
        return Outgoing(INVITE_PROBLEMS[problem].format(code=code))
    unit = units.get_unit(turn.session, unit_id=invite.unit_id)
    if unit is None or unit.archived_at is not None:
        return Outgoing(INVITE_PROBLEMS[invites.InviteProblem.REVOKED].format(code=code))
    assert unit.id is not None and turn.account.id is not None
    role = Role(invite.role)
    person = turn.person
    if role == Role.CHAIR:
        roster_chair = people.current_chair(turn.session, unit_id=unit.id)
        if roster_chair is not None and roster_chair.id != (person.id if person else None):
            if person is not None or _has_account_here(turn, roster_chair):
                note_failure(turn, unit_id=unit.id, reason="unit_taken")
                return Outgoing(UNIT_TAKEN.format(unit=unit.name))
            person = roster_chair
    if person is None:
        full_name = turn.incoming.display_name or "Chưa rõ tên"
        person = people.add_person(turn.session, full_name=full_name, now=turn.now)
    assert person.id is not None
    people.appoint(turn.session, person_id=person.id, unit_id=unit.id, role=role, now=turn.now)
    accounts.bind(turn.session, account_id=turn.account.id, person_id=person.id)
    invites.mark_used(invite, account_id=turn.account.id, now=turn.now)
    _registered(turn)
    log.info("account %s bound to unit %s as %s by invite", turn.account.id, unit.id, role)
    _plan_for(turn, person)
    return Outgoing(greeting(turn, person))


def on_contact(turn: Turn) -> list[Outgoing]:
    """Match a shared phone number to the roster; someone else's card is refused."""
    contact = turn.incoming.contact
    assert contact is not None
    if contact.user_id is None or contact.user_id != turn.incoming.user_id:
        _note_foreign_contact(turn, contact.phone)
        return [
            Outgoing(
                "Anh/chị vui lòng chia sẻ số điện thoại của chính mình bằng nút "
                f"«{SHARE_PHONE_BUTTON}», không gửi danh thiếp của người khác.",
                ask_contact=True,
            )
        ]
    phone = normalize_phone(contact.phone)
    person = people.get_person_by_phone(turn.session, phone=phone) if phone else None
    if person is None or person.id is None:
        log.info("contact of account %s matches no one in the roster", turn.account.id)
        if turn.person is not None:
            return [
                Outgoing(
                    "Số điện thoại này chưa có trong danh sách của công đoàn; tài khoản của "
                    "anh/chị vẫn giữ đăng ký hiện tại (gõ /toi để xem)."
                )
            ]
        if phone is None:
            return [Outgoing(NOT_IN_ROSTER)]
        return [_ask_name(turn, phone, contact.full_name)]
    if turn.person is not None and turn.person.id != person.id:
        return [
            Outgoing(
                "Tài khoản này đã đăng ký cho người khác. Anh/chị gõ /huy để hủy đăng ký cũ "
                "trước khi đăng ký lại."
            )
        ]
    assert turn.account.id is not None
    accounts.bind(turn.session, account_id=turn.account.id, person_id=person.id)
    _registered(turn)
    log.info("account %s bound to person %s by phone", turn.account.id, person.id)
    _plan_for(turn, person)
    return [Outgoing(greeting(turn, person))]


def on_who_am_i(turn: Turn, argument: str) -> list[Outgoing]:
    """`/toi`: who the bot takes this account for (the router lets only a registered person
    in)."""
    assert turn.person is not None
    return [Outgoing(greeting(turn, turn.person))]


def greeting(turn: Turn, person: Person) -> str:
    """Name, units and roles, and what the bot will do for them."""
    standing = people.standing_of(turn.session, person=person)
    lines = [f"Xin chào anh/chị {person.full_name}!"]
    for unit in units.units_by_ids(turn.session, unit_ids=standing.chaired_unit_ids):
        lines.append(f"• Chủ tịch {unit.name} (mã {unit.code})")
    for unit in units.units_by_ids(turn.session, unit_ids=standing.officer_unit_ids):
        lines.append(f"• Cán bộ {unit.name} (mã {unit.code})")
    if standing.is_admin:
        lines.append("• Quản trị hệ thống")
    if standing.chaired_unit_ids:
        lines.append(
            "Bot sẽ nhắc anh/chị các việc cấp trên giao, trước và khi đến hạn. "
            "Anh/chị chỉ cần trả lời ngắn: «xong», «đang làm 60%» hoặc «vướng: lý do»."
        )
    if standing.is_officer:
        lines.append("Gõ /trogiup để xem các lệnh giao việc, lấy mã mời và tổng hợp.")
    if len(lines) == 1:
        lines.append("Anh/chị hiện chưa giữ vai trò nào trong danh sách của công đoàn.")
    return "\n".join(lines)


def on_full_name(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The person not in the roster gives their full name (the platform's display name is
    often a nickname); then they are asked for their unit."""
    assert turn.account.id is not None
    request = registration.get_request(turn.session, request_id=int(state.data["request"]))
    if request is None or request.state != RequestState.ASKING:
        clear_state(turn.session, account_id=turn.account.id)
        return [Outgoing(WELCOME_UNREGISTERED, ask_contact=True)]
    if (code := invite_code_in(turn.incoming.text or "", stranger=True)) is not None:
        return [redeem_invite(turn, code)]  # an invite came meanwhile: it wins over the request
    # NFC: a phone's keyboard may send «ễ» as «e» and two combining marks.
    name = " ".join(unicodedata.normalize("NFC", turn.incoming.text or "").split())
    if len(name) > MAX_NAME or not FULL_NAME.match(name):
        return [Outgoing(NAME_AGAIN)]
    if name == name.lower() or name == name.upper():  # typed all in one case: «nguyen van an»
        name = " ".join(word.capitalize() for word in name.split())
    registration.give_name(request, full_name=name)
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=State.REGISTRATION_UNIT,
        data={"request": request.id},
        now=turn.now,
    )
    return [Outgoing(f"Cảm ơn anh/chị {name}. {ASK_UNIT}")]


def on_unit_named(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The person not in the roster names their unit (code or name, with or without
    diacritics); the request then goes to the officers who may approve it."""
    assert turn.account.id is not None
    request = registration.get_request(turn.session, request_id=int(state.data["request"]))
    if request is None or request.state != RequestState.ASKING:
        clear_state(turn.session, account_id=turn.account.id)
        return [Outgoing(WELCOME_UNREGISTERED, ask_contact=True)]
    text = " ".join((turn.incoming.text or "").split())[:300]
    if not text:
        return [Outgoing(ASK_UNIT)]
    found = match_units(turn, text)
    if len(found) > 1:
        listed = "\n".join(f"• {code} — {name}" for _, code, name in found[:MAX_LISTED])
        more = "" if len(found) <= MAX_LISTED else f"\n… và {len(found) - MAX_LISTED} đơn vị khác"
        return [Outgoing(f"Có {len(found)} đơn vị khớp «{text}»:\n{listed}{more}\n{ASK_CODE}")]
    tries = int(state.data.get("tries", 0)) + 1
    if not found and tries < 2:
        set_state(
            turn.session,
            account_id=turn.account.id,
            name=state.name,
            data={**state.data, "tries": tries},
            now=turn.now,
        )
        return [Outgoing(f"Không tìm thấy đơn vị «{text}». {ASK_CODE}")]
    unit_id = found[0][0] if found else None
    if unit_id is not None and registration.bound_chair_ids(turn.session, unit_id=unit_id):
        registration.name_unit(request, unit_text=text, unit_id=None)
        registration.cancel_request(request)
        clear_state(turn.session, account_id=turn.account.id)
        note_failure(turn, unit_id=unit_id, reason="unit_taken")
        return [Outgoing(UNIT_TAKEN.format(unit=found[0][2]))]
    registration.name_unit(request, unit_text=text, unit_id=unit_id)
    return [approvals.submit(turn, request)]


def match_units(turn: Turn, text: str) -> list[tuple[int, str, str]]:
    """Units whose code is the text (any case), or whose name is it or contains it, compared
    without diacritics: chairs often type `truong thcs binh lu`."""
    candidates = registration.active_units(turn.session)
    wanted = text.strip().casefold()
    by_code = [unit for unit in candidates if unit[1].casefold() == wanted]
    if by_code:
        return by_code
    folded = " ".join(fold_plain(text).split())
    if len(folded) < 3:
        return []
    names = [(unit, " ".join(fold_plain(unit[2]).split())) for unit in candidates]
    exact = [unit for unit, name in names if name == folded]
    return exact or sorted(
        (unit for unit, name in names if folded in name), key=lambda unit: unit[1]
    )


def _ask_name(turn: Turn, phone: str, contact_name: str) -> Outgoing:
    assert turn.account.id is not None
    request = registration.open_request(
        turn.session,
        account_id=turn.account.id,
        phone=phone,
        full_name=contact_name.strip() or turn.incoming.display_name,
        now=turn.now,
    )
    set_state(
        turn.session,
        account_id=turn.account.id,
        name=State.REGISTRATION_NAME,
        data={"request": request.id},
        now=turn.now,
    )
    log.info("registration request %s opened for account %s", request.id, turn.account.id)
    return Outgoing(ASK_NAME)


def _registered(turn: Turn) -> None:
    """The account is bound: nothing is pending for it any more."""
    assert turn.account.id is not None
    registration.cancel_open_requests(turn.session, account_id=turn.account.id)
    clear_state(turn.session, account_id=turn.account.id)


def _note_foreign_contact(turn: Turn, raw_phone: str) -> None:
    """Someone else's card: counted against the units its owner chairs, if the roster has them."""
    phone = normalize_phone(raw_phone)
    owner = people.get_person_by_phone(turn.session, phone=phone) if phone else None
    unit_ids = people.standing_of(turn.session, person=owner).chaired_unit_ids if owner else ()
    for unit_id in unit_ids or (None,):
        note_failure(turn, unit_id=unit_id, reason="foreign_contact")


def _has_account_here(turn: Turn, person: Person) -> bool:
    assert person.id is not None
    return any(
        account.channel == turn.account.channel
        for account in accounts_of_person(turn.session, person_id=person.id)
    )


def _plan_for(turn: Turn, person: Person) -> None:
    """A newly registered chair gets the reminders of tasks given before they registered."""
    standing = people.standing_of(turn.session, person=person)
    if standing.chaired_unit_ids:
        turn.plan_reminders(unit_ids=standing.chaired_unit_ids)
