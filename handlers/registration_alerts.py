"""Refused registration attempts, counted per unit: after a few in a day the officers of the
unit's branch hear of it once, since someone may be trying codes or numbers that are not theirs."""

from __future__ import annotations

import logging

from handlers.context import Turn
from storage import registration, units
from storage.outbox import PlannedMessage, enqueue

log = logging.getLogger(__name__)

ALERT_AFTER = 3  # refused attempts on one unit within 24 hours

ALERT_TEXT = (
    "⚠️ Đơn vị {name} (mã {code}) có {count} lần đăng ký với bot không thành công trong 24 giờ "
    "qua (mã mời sai, hết hạn hoặc đã dùng; danh thiếp của người khác; đơn vị đã có chủ tịch "
    "đăng ký). Nếu không phải chủ tịch của đơn vị đang thử, anh/chị kiểm tra lại; cần mã mới "
    "thì gõ /moi {code}."
)


def note_failure(turn: Turn, *, unit_id: int | None, reason: str) -> None:
    """Record the refused attempt; the third one on a unit within 24 hours alerts its
    officers (or the administrators), once per unit and local day."""
    assert turn.account.id is not None
    count = registration.record_failure(
        turn.session, unit_id=unit_id, account_id=turn.account.id, reason=reason, now=turn.now
    )
    log.info("registration refused for account %s on unit %s: %s", turn.account.id, unit_id, reason)
    if unit_id is None or count < ALERT_AFTER:
        return
    unit = units.get_unit(turn.session, unit_id=unit_id)
    if unit is None:
        return
    day = turn.now.astimezone(turn.zone).strftime("%Y%m%d")
    text = ALERT_TEXT.format(name=unit.name, code=unit.code, count=count)
    messages = [
        PlannedMessage(
            key=f"regfail:{unit_id}:{day}:{account.id}",
            account_id=account.id,
            kind="alert",
            text=text,
            due_at=turn.now,
        )
        for account in registration.deciders_for(turn.session, unit_id=unit_id)
        if account.id is not None
    ]
    if enqueue(turn.session, messages=messages, now=turn.now):
        log.info("failed-registration alert for unit %s to %s accounts", unit_id, len(messages))
        turn.outbox_changed()
