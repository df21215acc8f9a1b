"""How long a notice may be.

A long notice is not refused: the outbox cuts it into numbered parts on delivery
(`schedules.message_parts`, buttons on the last part), 4,096 characters a part on
Telegram and 2,000 on Zalo. Two bounds remain:
- a hard one, `MAX_NOTICE` (16,000 characters: four Telegram messages, eight or nine on
  Zalo); past it a notice is better sent as a document;
- Zalo alone: when every reachable recipient is on Zalo, a notice whose message passes
  Zalo's 2,000 characters is refused with its length, rather than reach every chair in
  pieces.

A text pasted into Telegram beyond its 4,096 characters arrives as several messages, one
right after the other: after a message that fills most of one (`FULL_PIECE`), the next text
that does not read as an audience is the notice's continuation rather than a wrong
audience — when it came within seconds (`RIGHT_AFTER`), or is itself prose (several lines,
or `PROSE` characters); a mistyped unit code typed later is still answered as one.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Turn
from handlers.messages import Channel
from handlers.states import State
from schedules.message_parts import TEXT_LIMITS, size, text_limit
from storage.models import ConversationState

MAX_NOTICE = 16_000
FULL_PIECE = 0.85  # of the channel's limit: a message this long was probably cut by the app
RIGHT_AFTER = timedelta(seconds=10)
PROSE = 100
ZALO = Channel.ZALO.value


def number(value: int) -> str:
    """`16.000`: thousands with a dot, as Vietnamese write them."""
    return f"{value:,}".replace(",", ".")


def too_long(text: str) -> str | None:
    """The refusal of a notice past the hard bound, with its length; None when it fits."""
    length = size(text)
    if length <= MAX_NOTICE:
        return None
    return (
        f"Thông báo dài {number(length)} ký tự, quá giới hạn {number(MAX_NOTICE)} ký tự. "
        "Anh/chị rút gọn, chia thành nhiều thông báo, hoặc gửi nội dung thành tệp "
        "(Word, PDF) kèm một dòng tóm tắt."
    )


def zalo_refusal(text: str, message: str, channels: set[str]) -> str | None:
    """When every recipient is on Zalo and the notice's message (`message`: the text with
    its heading and acknowledgement line) passes Zalo's limit: the refusal, with the
    lengths; None otherwise."""
    limit = text_limit(ZALO)
    if channels != {ZALO} or size(message) <= limit:
        return None
    room = limit - (size(message) - size(text))
    return (
        f"Thông báo dài {number(size(text))} ký tự; Zalo chỉ nhận tối đa {number(limit)} ký tự "
        f"một tin (phần nội dung tối đa {number(room)} ký tự), mà mọi người nhận đã chọn "
        "đều dùng Zalo. Anh/chị rút gọn thông báo rồi gửi lại bằng /thongbao, hoặc chọn "
        "người nhận khác."
    )


def fills_a_message(piece: str, channel: str) -> bool:
    """The person's message was about as long as the app lets one be: the text it belongs
    to may go on in the next message."""
    return size(piece) >= FULL_PIECE * text_limit(channel)


def goes_on(turn: Turn, state: ConversationState) -> bool:
    """Whether this text (which reads as no audience) continues the notice just written."""
    if state.name != State.BROADCAST_AUDIENCE or not state.data.get("full"):
        return False
    piece = (turn.incoming.text or "").strip()
    quick = turn.now - state.updated_at <= RIGHT_AFTER
    return bool(piece) and (quick or "\n" in piece or size(piece) >= PROSE)


def may_split(message: str) -> bool:
    """Longer than the smallest channel's limit: the channels matter."""
    return size(message) > min(TEXT_LIMITS.values())


def parts_note(text: str, message: str, channels: set[str]) -> str | None:
    """The preview's line for a notice that some recipients get in parts; None otherwise."""
    split = {channel for channel in channels if size(message) > text_limit(channel)}
    if not split:
        return None
    who = "người nhận" if split == channels else "người nhận trên Zalo"
    return (
        f"Thông báo dài {number(size(text))} ký tự: {who} sẽ nhận thành nhiều tin nối tiếp "
        "(1/2, 2/2…)."
    )
