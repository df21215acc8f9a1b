"""Zalo Bot API objects as frozen dataclasses, read from the JSON Zalo sends.

Ids (users, chats, messages) are opaque strings on Zalo; times arrive in milliseconds since
the epoch and are kept as aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.zalo.errors import ZaloMalformedUpdate

MAX_TEXT_LENGTH = 2000  # sendMessage text and sendPhoto caption, in characters
# Zalo's ids are 20 hex digits; a longer one is refused rather than stored (the inbound
# messages' update_id and the accounts' ids are at most 64 characters).
MAX_ID_LENGTH = 64


class EventName(StrEnum):
    """The kinds of update Zalo sends; anything else is read as UNSUPPORTED."""

    TEXT = "message.text.received"
    IMAGE = "message.image.received"
    STICKER = "message.sticker.received"
    UNSUPPORTED = "message.unsupported.received"


@dataclass(frozen=True, slots=True)
class ZaloUser:
    """The sender of a message."""

    id: str
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ZaloChat:
    """The conversation; a bot's chats are private, and the chat id is the user's."""

    id: str
    chat_type: str = "PRIVATE"


@dataclass(frozen=True, slots=True)
class ZaloMessage:
    """One message a user sent: text, an image (by URL), a sticker, or something else."""

    message_id: str
    sender: ZaloUser  # `from` in the JSON
    chat: ZaloChat
    date: datetime
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None
    sticker: str | None = None


@dataclass(frozen=True, slots=True)
class ZaloUpdate:
    """What getUpdates answers (one at a time) and what a webhook call carries."""

    event_name: str  # as sent; `event` reads it
    message: ZaloMessage

    @property
    def event(self) -> EventName:
        """The kind of update; an event name this code does not know reads as UNSUPPORTED."""
        try:
            return EventName(self.event_name)
        except ValueError:
            return EventName.UNSUPPORTED


@dataclass(frozen=True, slots=True)
class ZaloBot:
    """getMe: the bot's own account."""

    id: str
    account_name: str
    account_type: str = ""
    can_join_groups: bool = False


@dataclass(frozen=True, slots=True)
class ZaloSent:
    """What sendMessage and sendPhoto answer: the new message's id and time."""

    message_id: str
    date: datetime


@dataclass(frozen=True, slots=True)
class WebhookInfo:
    """setWebhook, deleteWebhook and getWebhookInfo: the address in force ("" for none)."""

    url: str
    updated_at: datetime | None = None


def from_millis(value: object) -> datetime:
    """Zalo's millisecond timestamp as an aware UTC datetime."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ZaloMalformedUpdate(
            f"a time in milliseconds was expected, got {type(value).__name__}"
        )
    try:
        millis = float(value)
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise ZaloMalformedUpdate("a time in milliseconds was expected") from None


def _object(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ZaloMalformedUpdate(f"{what} must be a JSON object")
    return data


def _id(data: Mapping[str, Any], key: str, what: str) -> str:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ZaloMalformedUpdate(f"{what} needs a non-empty {key!r}")
    text = str(value)
    if len(text) > MAX_ID_LENGTH:
        raise ZaloMalformedUpdate(f"{what}'s {key!r} is longer than {MAX_ID_LENGTH} characters")
    return text


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ZaloMalformedUpdate(f"{key!r} must be a string")
    return value


def _infer_event(message: ZaloMessage) -> str:
    if message.photo_url:
        return EventName.IMAGE
    if message.sticker:
        return EventName.STICKER
    if message.text is not None:
        return EventName.TEXT
    return EventName.UNSUPPORTED


def parse_message(data: object) -> ZaloMessage:
    """A `message` object; raises ZaloMalformedUpdate when an id or the date is missing."""
    message = _object(data, "message")
    sender = _object(message.get("from"), "message.from")
    chat = _object(message.get("chat"), "message.chat")
    name = sender.get("display_name") or sender.get("first_name") or sender.get("name") or ""
    return ZaloMessage(
        message_id=_id(message, "message_id", "message"),
        sender=ZaloUser(_id(sender, "id", "message.from"), str(name)),
        chat=ZaloChat(_id(chat, "id", "message.chat"), str(chat.get("chat_type") or "PRIVATE")),
        date=from_millis(message.get("date")),
        text=_optional_text(message, "text"),
        photo_url=_optional_text(message, "photo_url") or _optional_text(message, "photo"),
        caption=_optional_text(message, "caption"),
        sticker=_optional_text(message, "sticker"),
    )


def parse_update(data: object) -> ZaloUpdate:
    """An update object (not the envelope). Without `event_name`, as in some of Zalo's own
    samples, the kind is read from the message's content."""
    update = _object(data, "update")
    message = parse_message(update.get("message"))
    event_name = update.get("event_name")
    if event_name is None:
        event_name = _infer_event(message)
    if not isinstance(event_name, str) or not event_name:
        raise ZaloMalformedUpdate("'event_name' must be a non-empty string")
    return ZaloUpdate(event_name=event_name, message=message)


def parse_bot(data: object) -> ZaloBot:
    """getMe's result."""
    bot = _object(data, "getMe result")
    return ZaloBot(
        id=_id(bot, "id", "getMe result"),
        account_name=str(bot.get("account_name") or ""),
        account_type=str(bot.get("account_type") or ""),
        can_join_groups=bool(bot.get("can_join_groups", False)),
    )


def parse_sent(data: object) -> ZaloSent:
    """sendMessage's and sendPhoto's result."""
    sent = _object(data, "send result")
    return ZaloSent(_id(sent, "message_id", "send result"), from_millis(sent.get("date")))


def parse_webhook_info(data: object) -> WebhookInfo:
    """The webhook methods' result; `updated_at` may be missing."""
    info = _object(data, "webhook result")
    url = info.get("url") or ""
    if not isinstance(url, str):
        raise ZaloMalformedUpdate("'url' must be a string")
    updated = info.get("updated_at")
    return WebhookInfo(url, None if updated is None else from_millis(updated))
