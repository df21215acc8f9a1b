"""`/huy`: an account stops speaking for its person, after a confirmation, and the officers
of the person's units hear of it (a chair who leaves the bot is no longer reminded, and
someone must know that before the next deadline).

Button data is `u:{y|n}:{person_id}`: the person the account spoke for when it was asked, so
a confirmation pressed after the account was bound to someone else changes nothing.
"""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from schedules.button_prefixes import ButtonPrefix
from schedules.numbers import parse_id
from storage import accounts, people, registration, units
from storage.outbox import PlannedMessage, enqueue

log = logging.getLogger(__name__)

YES, NO = "y", "n"
NOTHING_TO_UNDO = "Tài khoản này chưa đăng ký nên không có gì để hủy."
ASK = (
    "Anh/chị có chắc muốn hủy đăng ký bot trên tài khoản này? Sau khi hủy, bot không gửi "
    "nhắc việc tới đây nữa, và cán bộ công đoàn phụ trách sẽ được báo."
)
DONE = (
    "Đã hủy đăng ký. Bot sẽ không gửi nhắc việc tới tài khoản này nữa. "
    "Anh/chị có thể đăng ký lại bất cứ lúc nào bằng /start."
)
KEPT = "Đã giữ nguyên đăng ký của anh/chị. Bot vẫn nhắc việc như thường."
STALE = "Nút này không còn hiệu lực. Gõ /toi để xem đăng ký hiện tại của tài khoản này."
CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo"}


def on_unbind(turn: Turn, argument: str) -> list[Outgoing]:
    """`/huy`: ask before unbinding; nothing changes until the person confirms."""
    if turn.person is None or turn.person.id is None:
        return [Outgoing(NOTHING_TO_UNDO)]
    data = f"{ButtonPrefix.UNBIND}:{{}}:{turn.person.id}"
    choices = (
        (Choice("✅ Hủy đăng ký", data.format(YES)), Choice("↩️ Không hủy", data.format(NO))),
    )
    return [Outgoing(ASK, choices=choices)]


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`u:y:ID` unbinds the account, `u:n:ID` keeps it; a forged or late press changes nothing."""
    action, _, raw_id = rest.partition(":")
    person = turn.person
    if person is None or person.id is None:
        return [Outgoing(NOTHING_TO_UNDO)]
    if action not in (YES, NO) or parse_id(raw_id) != person.id:
        return [Outgoing(STALE)]
    if action == NO:
        return [Outgoing(KEPT)]
    assert turn.account.id is not None
    standing = people.standing_of(turn.session, person=person)
    accounts.unbind(turn.session, account_id=turn.account.id)
    told = _tell_officers(turn, chaired=standing.chaired_unit_ids, run=standing.officer_unit_ids)
    log.info("account %s unbound; %s officers told", turn.account.id, told)
    return [Outgoing(DONE)]


def _tell_officers(turn: Turn, *, chaired: tuple[int, ...], run: tuple[int, ...]) -> int:
    """One message to each officer of the units the person held (the person left out),
    naming those units."""
    assert turn.person is not None
    held: dict[int, list[str]] = {}  # account id -> the units it hears about
    for unit in units.units_by_ids(turn.session, unit_ids=dict.fromkeys([*chaired, *run])):
        assert unit.id is not None
        role = "chủ tịch" if unit.id in chaired else "cán bộ"
        for account in registration.deciders_for(turn.session, unit_id=unit.id):
            if account.id is not None and account.person_id != turn.person.id:
                held.setdefault(account.id, []).append(f"{role} {unit.name} (mã {unit.code})")
    channel = CHANNEL_NAMES.get(turn.account.channel, turn.account.channel)
    messages = [
        PlannedMessage(
            key=f"unbind:{turn.inbound_id}:{account_id}",
            account_id=account_id,
            kind="notice",
            text=(
                f"ℹ️ Anh/chị {turn.person.full_name} ({'; '.join(roles)}) đã hủy đăng ký bot "
                f"trên {channel}: bot không nhắc việc tới tài khoản đó nữa. Cần mời đăng ký "
                "lại thì gõ /moi MÃ_ĐƠN_VỊ."
            ),
            due_at=turn.now,
        )
        for account_id, roles in held.items()
    ]
    if enqueue(turn.session, messages=messages, now=turn.now):
        turn.outbox_changed()
    return len(messages)
