"""The end of a broadcast: when its last outbox row reaches a final state, or it is
cancelled, the officer gets one delivery report.

Why here, in the dispatcher's record step (and in the cancel): that is the only moment a
row becomes final, so the check runs exactly when it can succeed and nowhere else (a
periodic pass would scan every broadcast to find the few that just ended). Exactly once:
the broadcast row is locked before the count (two workers finishing its last rows settle
it one after the other, the second seeing the first's rows), and the report's outbox key
`broadcast-report:{id}` is unique, so a repeat inserts nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from storage import broadcasts
from storage.models import Broadcast, BroadcastState

SNIPPET = 60
PREFIX = "broadcast:"  # the keys of the notices themselves (not of their reports)


def snippet(text: str) -> str:
    """The notice's first line, short: how the officer recognises it."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= SNIPPET else line[: SNIPPET - 1].rstrip() + "…"


def report_text(broadcast: Broadcast, tally: broadcasts.Tally) -> str:
    """The delivery report, number by number."""
    lines = [
        f"📊 Kết quả gửi thông báo số {broadcast.id} «{snippet(broadcast.text)}»:",
        f"• Đã gửi: {tally.sent}",
        f"• Gửi lỗi: {tally.failed}",
        f"• Đã chặn bot: {tally.blocked}",
        f"• Chưa có tài khoản: {broadcast.no_account} đơn vị",
    ]
    if broadcast.state == BroadcastState.CANCELLED:
        lines.append(f"• Đã dừng, không gửi: {tally.cancelled}")
    lines.append("Xem ai đã xác nhận: /thongbao")
    return "\n".join(lines)


def settle(session: Session, *, broadcast_ids: Iterable[int], now: datetime) -> int:
    """Report each broadcast among these that has nothing left to send; returns how many
    reports were planned."""
    planned = 0
    for broadcast_id in sorted(set(broadcast_ids)):
        broadcast = broadcasts.lock(session, broadcast_id=broadcast_id)
        if broadcast is None or broadcast.state not in (
            BroadcastState.SENDING,
            BroadcastState.CANCELLED,
        ):
            continue
        if broadcasts.unsettled(session, broadcast_id=broadcast_id):
            continue
        tally = broadcasts.tally(session, broadcast_ids=[broadcast_id])[broadcast_id]
        planned += broadcasts.finish(
            session, broadcast=broadcast, report_text=report_text(broadcast, tally), now=now
        )
    return planned


def record_final(
    session: Session,
    *,
    outcomes: Sequence[tuple[str, int, str]],
    now: datetime,
    settle_only: Collection[int] | None = None,
) -> int:
    """The dispatcher's hook: (outbox key, outbox id, outcome) of rows that reached a final
    state. Rows that are not notices cost nothing. `settle_only` names the broadcasts that
    may have ended (the dispatcher, writing outcomes as they come, knows when it still
    holds rows of one: counting its unsettled rows then would only find them)."""
    notices = [
        (row_id, outcome) for key, row_id, outcome in outcomes if key.startswith("broadcast:")
    ]
    if not notices:
        return 0
    touched = broadcasts.record_outcomes(session, outcomes=notices)
    if settle_only is not None:
        touched &= set(settle_only)
    return settle(session, broadcast_ids=touched, now=now)
