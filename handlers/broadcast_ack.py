"""A chair acknowledges a notice: the «✅ Đã nhận» button (`n:{broadcast_id}`), or, where
there are no buttons, the reply «đã nhận» (or «1») right after a notice, which
acknowledges the latest notice not acknowledged yet."""

from __future__ import annotations

import logging
import re

from handlers.context import Turn
from handlers.messages import Outgoing
from schedules.folding import fold
from schedules.numbers import parse_id
from storage import broadcasts
from storage.models import BroadcastDelivery

log = logging.getLogger(__name__)

ACK_WORDS = {
    "da nhan",
    "nhan",
    "1",
    "da nhan a",
    "em da nhan",
    "em da nhan a",
    "da nhan duoc",
    "da nhan thong bao",
    "ok da nhan",
}
NOT_YOURS = "Thông báo này không gửi cho anh/chị."
THANKS = "✅ Đã ghi nhận anh/chị đã nhận thông báo số {id}. Cảm ơn anh/chị!"
ALREADY = "Anh/chị đã xác nhận thông báo số {id} rồi."
NOT_WORD = re.compile(r"[^\w\s]")


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """The button under a notice; one pressed by anyone else (or forged) changes nothing."""
    broadcast_id = parse_id(rest)  # ASCII digits, an id a column holds: else not theirs
    if broadcast_id is None:
        return [Outgoing(NOT_YOURS)]
    delivery = broadcasts.delivery_of(
        turn.session, broadcast_id=broadcast_id, account_id=_account_id(turn)
    )
    if delivery is None or delivery.outcome != "sent":
        return [Outgoing(NOT_YOURS)]
    return _acknowledge(turn, delivery)


def on_text(turn: Turn, text: str) -> list[Outgoing] | None:
    """«đã nhận» or «1» right after a notice; None for any other line (the reply grammar
    reads it), and for these words when the last message was not a notice."""
    words = " ".join(NOT_WORD.sub(" ", fold(text)).split())
    if words not in ACK_WORDS:
        return None
    last = broadcasts.latest_message_notice(turn.session, account_id=_account_id(turn))
    if last is None:
        return None
    delivery = broadcasts.latest_unacknowledged(turn.session, account_id=_account_id(turn))
    if delivery is None:
        return [Outgoing(ALREADY.format(id=last))]
    return _acknowledge(turn, delivery)


def _acknowledge(turn: Turn, delivery: BroadcastDelivery) -> list[Outgoing]:
    if delivery.acknowledged_at is not None:
        return [Outgoing(ALREADY.format(id=delivery.broadcast_id))]
    broadcasts.acknowledge(turn.session, delivery=delivery, now=turn.now)
    log.info("broadcast %s acknowledged by account %s", delivery.broadcast_id, turn.account.id)
    return [Outgoing(THANKS.format(id=delivery.broadcast_id))]


def _account_id(turn: Turn) -> int:
    assert turn.account.id is not None
    return turn.account.id
