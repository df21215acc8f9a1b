"""Zalo updates into the channel-neutral `Incoming`, and webhook bodies into updates."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.zalo.errors import ZaloMalformedUpdate
from bot.zalo.types import EventName, ZaloUpdate, parse_update
from handlers.messages import Attachment, Channel, Incoming

MAX_WEBHOOK_BODY_BYTES = 64 * 1024  # one message of 2,000 characters is far below this


def to_incoming(update: ZaloUpdate, *, bot_id: str = "") -> Incoming:
    """What the router sees. Zalo has no buttons and no contact sharing, so an update is a
        text, an image (kept as a photo attachment whose id is its URL, the caption as text), a
        sticker (an attachment of kind "sticker", which the handlers pass over as Telegram's),
        or something the bot cannot read (no text, no attachment: answered like a voice note on
        Telegram). Zalo's message id is unique per message, so it is also the update id; `bot_id`
    (getMe's) scopes it to the bot."""
    message = update.message
    incoming = Incoming(
        channel=Channel.ZALO,
        user_id=message.sender.id,
        chat_id=message.chat.id,
        update_id=message.message_id,
        display_name=message.sender.display_name,
        message_id=message.message_id,
        bot_id=bot_id,
    )
    event = update.event
    if event is EventName.TEXT:
        return replace(incoming, text=message.text)
    if event is EventName.IMAGE and message.photo_url:
        photo = Attachment(message.photo_url, None, "image/jpeg", None, kind="photo")
        return replace(incoming, text=message.caption, attachment=photo)
    if event is EventName.STICKER:
        sticker = Attachment(message.sticker or message.message_id, kind="sticker")
        return replace(incoming, attachment=sticker)
    return incoming


def parse_webhook_body(body: bytes | str | Mapping[str, Any]) -> ZaloUpdate:
    """A webhook call's body, wrapped in `{ok, result}` or bare; anything else raises
    ZaloMalformedUpdate (the web server answers it 400)."""
    if isinstance(body, bytes | str):
        size = len(body.encode() if isinstance(body, str) else body)
        if size > MAX_WEBHOOK_BODY_BYTES:
            raise ZaloMalformedUpdate(f"webhook body of {size} bytes is too large")
        try:
            data: object = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ZaloMalformedUpdate("webhook body is not JSON") from None
    else:
        data = body
    if not isinstance(data, Mapping):
        raise ZaloMalformedUpdate("webhook body must be a JSON object")
    if "ok" in data or "result" in data:
        if data.get("ok") is not True:
            raise ZaloMalformedUpdate("webhook body is an envelope without ok: true")
        data = data.get("result")
    return parse_update(data)
