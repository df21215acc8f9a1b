"""`/thongbao` after the sending: the officer's recent notices with their counts, who has
not acknowledged one, and stopping one that is still sending (`handlers.broadcast` routes
the buttons here)."""

from __future__ import annotations

import logging

from handlers import broadcast_audience as audience
from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from schedules.broadcast_report import settle, snippet
from schedules.button_prefixes import ButtonPrefix
from schedules.wording import format_moment
from storage import broadcasts
from storage.models import Broadcast, BroadcastState

log = logging.getLogger(__name__)

RECENT = 5
USAGE = "Gửi thông báo: /thongbao Nội dung thông báo"
GONE = "Không tìm thấy thông báo này."


def on_sent_button(turn: Turn, found: Broadcast, action: str) -> list[Outgoing]:
    """Who has not acknowledged a notice, or stop one still sending."""
    assert found.id is not None
    if found.state == BroadcastState.DRAFT:
        return [Outgoing(GONE)]
    if action == "who":
        waiting = broadcasts.not_acknowledged(turn.session, broadcast_id=found.id)
        if not waiting:
            return [Outgoing(f"Mọi người đã nhận thông báo số {found.id} đều đã xác nhận.")]
        lines = [f"Chưa xác nhận thông báo số {found.id} ({len(waiting)}):"]
        lines += [
            f"• {name} ({code})" + (f" — {chair}" if chair else "")
            for code, name, chair in waiting[: audience.MAX_NAMED]
        ]
        if len(waiting) > audience.MAX_NAMED:
            lines.append(f"… và {len(waiting) - audience.MAX_NAMED} đơn vị khác.")
        return [Outgoing("\n".join(lines))]
    locked = broadcasts.lock(turn.session, broadcast_id=found.id)
    if locked is None or locked.state == BroadcastState.CANCELLED:
        return [Outgoing(f"Thông báo số {found.id} đã dừng rồi.")]
    if locked.state == BroadcastState.DONE:
        return [Outgoing(f"Thông báo số {found.id} đã gửi xong, không còn gì để dừng.")]
    stopped = broadcasts.cancel(turn.session, broadcast=locked, now=turn.now)
    settle(turn.session, broadcast_ids=[found.id], now=turn.now)
    turn.outbox_changed()
    log.info("broadcast %s cancelled: %s notices not sent", found.id, stopped)
    return [
        Outgoing(
            f"Đã dừng thông báo số {found.id}: {stopped} tin chưa gửi sẽ không gửi nữa. "
            "Bot gửi anh/chị báo cáo kết quả."
        )
    ]


def recent_notices(turn: Turn) -> Outgoing:
    """The officer's latest notices with their counts, and buttons to look closer."""
    assert turn.person is not None and turn.person.id is not None
    latest = broadcasts.recent(turn.session, person_id=turn.person.id, limit=RECENT)
    new = (Choice("✍️ Soạn thông báo mới", f"{ButtonPrefix.BROADCAST}:new"),)
    if not latest:
        return Outgoing(f"Anh/chị chưa gửi thông báo nào.\n{USAGE}", choices=(new,))
    tallies = broadcasts.tally(turn.session, broadcast_ids=[b.id for b in latest if b.id])
    lines = ["Các thông báo gần đây:"]
    rows: list[tuple[Choice, ...]] = []
    for item in latest:
        assert item.id is not None
        counts = tallies[item.id]
        when = format_moment(item.sent_at or item.created_at, turn.zone)
        state = {
            BroadcastState.SENDING: "đang gửi",
            BroadcastState.CANCELLED: "đã dừng",
        }.get(BroadcastState(item.state), "đã gửi xong")
        lines.append(
            f"• Số {item.id} ({when}, {state}) «{snippet(item.text)}»: "
            f"đã gửi {counts.sent}/{counts.recipients}, đã xác nhận {counts.acknowledged}"
            f"/{counts.sent}"
        )
        row = [Choice(f"Ai chưa xác nhận số {item.id}", _data("who", item.id))]
        if item.state == BroadcastState.SENDING:
            row.append(Choice(f"⏹ Dừng số {item.id}", _data("stop", item.id)))
        rows.append(tuple(row))
    lines.append(USAGE)
    return Outgoing("\n".join(lines), choices=(*rows, new))


def _data(action: str, key: int | None) -> str:
    return f"{ButtonPrefix.BROADCAST}:{action}:{key}"
