"""Telegram Bot API objects as JSON dicts, shaped so python-telegram-bot de_json takes them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.sandbox.records import StoredFile

JSONDict = dict[str, Any]


@dataclass
class SandboxUser:
    """A person talking to the bot; in a private chat the chat id is the user id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str = "vi"


def user_dict(user: SandboxUser) -> JSONDict:
    """The `User` object of a human."""
    data: JSONDict = {
        "id": user.id,
        "is_bot": False,
        "first_name": user.first_name,
        "language_code": user.language_code,
    }
    if user.last_name is not None:
        data["last_name"] = user.last_name
    if user.username is not None:
        data["username"] = user.username
    return data


def bot_user_dict(bot_id: int, first_name: str, username: str) -> JSONDict:
    """The `User` object of the bot, as getMe answers it."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": first_name,
        "username": username,
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def private_chat_dict(user: SandboxUser) -> JSONDict:
    """The `Chat` of a private conversation with `user`."""
    data: JSONDict = {"id": user.id, "type": "private", "first_name": user.first_name}
    if user.last_name is not None:
        data["last_name"] = user.last_name
    if user.username is not None:
        data["username"] = user.username
    return data


def message_dict(
    message_id: int, date: int, chat: JSONDict, sender: JSONDict, **content: Any
) -> JSONDict:
    """A `Message`; `content` holds text, document, reply_markup ... (None values are left out)."""
    data: JSONDict = {"message_id": message_id, "date": date, "chat": chat, "from": sender}
    data.update({key: value for key, value in content.items() if value is not None})
    return data


def utf16_length(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[JSONDict] | None:
    """A `bot_command` entity for a leading /command, which PTB's CommandHandler requires."""
    if not text.startswith("/"):
        return None
    command = text.split(maxsplit=1)[0]
    if len(command) < 2:
        return None
    return [{"type": "bot_command", "offset": 0, "length": utf16_length(command)}]


_TAG = re.compile(r"<[^>]*>")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text the user sees: HTML tags removed and entities decoded for parse_mode HTML.

    Markdown modes are left as sent; their escapes are too loose to undo faithfully here.
    """
    if parse_mode is not None and parse_mode.upper() == "HTML":
        return html.unescape(_TAG.sub("", text))
    return text


def document_dict(stored: StoredFile) -> JSONDict:
    """The `Document` object of a stored file."""
    data: JSONDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.file_name is not None:
        data["file_name"] = stored.file_name
    if stored.mime_type is not None:
        data["mime_type"] = stored.mime_type
    return data


def sticker_dict(stored: StoredFile) -> JSONDict:
    """The `Sticker` object of a stored sticker: a regular 512×512 static one."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
        "file_size": len(stored.content),
    }


def photo_sizes(stored: StoredFile) -> list[JSONDict]:
    """The `PhotoSize` list of a stored photo (one size; the sandbox does not resize)."""
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 1280,
            "height": 960,
            "file_size": len(stored.content),
        }
    ]
