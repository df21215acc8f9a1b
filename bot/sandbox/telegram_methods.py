"""The Telegram Bot API methods our bot uses, as plain async functions over SandboxState.

Each takes a `Call` and returns the `result` of the answer, or raises ApiError.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.params import Params, Upload
from bot.sandbox.records import SentMessage, StoredFile
from bot.sandbox.state import SandboxState
from bot.sandbox.telegram_markup import Markup, parse_markup
from bot.sandbox.telegram_objects import (
    JSONDict,
    document_dict,
    message_dict,
    photo_sizes,
    private_chat_dict,
    visible_text,
)

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_LONG_POLL_SECONDS = 50.0
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# What Telegram can turn into a photo: PNG, JPEG, GIF, WebP (RIFF); anything else is refused.
_IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")


@dataclass
class Call:
    """One request: the state, its parameters, and whether the server is shutting down."""

    state: SandboxState
    params: Params
    stopping: Callable[[], bool]


Method = Callable[[Call], Awaitable[Any]]


# ----- the bot and its updates -----------------------------------------------------------


async def get_me(call: Call) -> Any:
    """getMe."""
    return call.state.bot_user()


async def get_updates(call: Call) -> Any:
    """getUpdates: confirm by offset, then long-poll up to `timeout` for something to answer."""
    state, params = call.state, call.params
    if state.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    limit = params.get_int("limit") or 100
    updates = state.get_updates(params.get_int("offset"), limit)
    timeout = min(float(params.get_int("timeout") or 0), MAX_LONG_POLL_SECONDS)
    if updates or timeout <= 0:
        return updates
    await state.long_poll(call.stopping, timeout)
    return state.get_updates(None, limit)


async def delete_webhook(call: Call) -> Any:
    """deleteWebhook, optionally dropping the pending updates."""
    call.state.webhook_url = ""
    if call.params.get_bool("drop_pending_updates"):
        call.state.drop_pending_updates()
    return True


async def set_webhook(call: Call) -> Any:
    """setWebhook: from now on the sandbox POSTs updates there (bot/sandbox/webhook_push.py)
    with `secret_token` in X-Telegram-Bot-Api-Secret-Token; getUpdates answers 409."""
    call.state.webhook_url = call.params.get_str("url") or ""
    call.state.webhook_secret = call.params.get_str("secret_token") or ""
    call.state.wake_waiters()  # the pusher starts on the updates already queued
    if call.params.get_bool("drop_pending_updates"):
        call.state.drop_pending_updates()
    return True


async def get_webhook_info(call: Call) -> Any:
    """getWebhookInfo."""
    return {
        "url": call.state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": call.state.unconfirmed_updates(),
    }


def _commands_key(params: Params) -> str:
    scope = params.get_json("scope") or {"type": "default"}
    return f"{scope.get('type', 'default')}|{params.get_str('language_code') or ''}"


async def set_my_commands(call: Call) -> Any:
    """setMyCommands, checked as Telegram checks them."""
    commands = call.params.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    call.state.commands[_commands_key(call.params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


async def get_my_commands(call: Call) -> Any:
    """getMyCommands."""
    return call.state.commands.get(_commands_key(call.params), [])


async def delete_my_commands(call: Call) -> Any:
    """deleteMyCommands."""
    call.state.commands.pop(_commands_key(call.params), None)
    return True


async def accept(call: Call) -> Any:
    """Settings the sandbox takes and forgets (descriptions, menu button)."""
    return True


# ----- sending ---------------------------------------------------------------------------


def _markup(call: Call, *, inline_only: bool = False) -> Markup:
    return parse_markup(
        call.params.get_json("reply_markup"),
        max_callback_data_bytes=call.state.limits.max_callback_data_bytes,
        inline_only=inline_only,
    )


def _checked_text(call: Call) -> tuple[str, str, str | None]:
    """(raw text, visible text, parse_mode), or the 400 for an empty or too long text."""
    raw = call.params.get_str("text") or ""
    parse_mode = call.params.get_str("parse_mode") or None
    shown = visible_text(raw, parse_mode)
    if not shown.strip():
        raise bad_request("message text is empty")
    if len(shown) > call.state.limits.max_text_length:
        raise bad_request("message is too long")
    return raw, shown, parse_mode


def _checked_caption(call: Call) -> tuple[str | None, str | None, str | None]:
    raw = call.params.get_str("caption") or None
    parse_mode = call.params.get_str("parse_mode") or None
    if raw is None:
        return None, None, parse_mode
    shown = visible_text(raw, parse_mode)
    if len(shown) > call.state.limits.max_caption_length:
        raise bad_request("message caption is too long")
    return raw, shown, parse_mode


def _deliver(call: Call, sent: SentMessage, content: JSONDict) -> JSONDict:
    """Record a message that passed every check and build the Message answered."""
    state = call.state
    user = state.users[sent.chat_id]
    message = message_dict(
        sent.message_id,
        int(sent.sent_at),
        private_chat_dict(user),
        state.bot_user(),
        **content,
    )
    state.record_sent(sent, message)
    return message


def _open_send(call: Call) -> tuple[int, int, int, float]:
    """Check the chat and the rate limits, then number the message: (chat, id, seq, time)."""
    state = call.state
    chat_id = call.params.required_int("chat_id")
    state.require_chat(chat_id)
    state.acquire_send_slot(chat_id)
    return chat_id, state.next_message_id(chat_id), state.next_seq(), time.time()


async def send_message(call: Call) -> Any:
    """sendMessage."""
    raw, shown, parse_mode = _checked_text(call)
    markup = _markup(call)
    chat_id, message_id, seq, now = _open_send(call)
    sent = SentMessage(
        seq=seq,
        message_id=message_id,
        chat_id=chat_id,
        text=shown,
        buttons=markup.buttons,
        request_contact=markup.request_contact,
        method="sendMessage",
        sent_at=now,
        edits=[],
        parse_mode=parse_mode,
        raw_text=raw,
        reply_markup=markup.raw,
    )
    return _deliver(call, sent, {"text": shown, "reply_markup": markup.inline})


def _upload(call: Call, name: str, folder: str) -> StoredFile:
    """The file sent as `name`: fresh bytes, or an earlier file_id sent again."""
    value = call.params.get_file(name)
    if value is None:
        raise bad_request(f"there is no {name} in the request")
    if isinstance(value, Upload):
        if not value.content:
            raise bad_request("file must be non-empty")
        limits = call.state.limits
        limit = (
            limits.max_photo_upload_bytes if name == "photo" else limits.max_document_upload_bytes
        )
        if len(value.content) > limit:
            raise ApiError(413, "Request Entity Too Large")
        if name == "photo":
            _check_photo(value.content)
        return call.state.files.store(
            value.content, folder, file_name=value.filename, mime_type=value.content_type
        )
    known = call.state.files.by_id(value)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return known


def _check_photo(content: bytes) -> None:
    """Telegram makes a photo only of an image whose width and height add up to at most
    10,000 pixels, neither more than 20 times the other."""
    if not content.startswith(_IMAGE_SIGNATURES):
        raise bad_request("IMAGE_PROCESS_FAILED")
    from PIL import Image, UnidentifiedImageError

    try:
        width, height = Image.open(io.BytesIO(content)).size
    except (UnidentifiedImageError, OSError) as error:
        raise bad_request("IMAGE_PROCESS_FAILED") from error
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")


def _send_file(call: Call, method: str, field_name: str, folder: str) -> JSONDict:
    raw_caption, caption, parse_mode = _checked_caption(call)
    markup = _markup(call)
    stored = _upload(call, field_name, folder)
    chat_id, message_id, seq, now = _open_send(call)
    sent = SentMessage(
        seq=seq,
        message_id=message_id,
        chat_id=chat_id,
        text=None,
        buttons=markup.buttons,
        request_contact=markup.request_contact,
        method=method,
        sent_at=now,
        edits=[],
        document=stored.content,
        file_name=stored.file_name,
        caption=caption,
        parse_mode=parse_mode,
        raw_text=raw_caption,
        reply_markup=markup.raw,
        mime_type=stored.mime_type,
    )
    media: JSONDict = (
        {"photo": photo_sizes(stored)}
        if field_name == "photo"
        else {field_name: document_dict(stored)}
    )
    return _deliver(call, sent, {**media, "caption": caption, "reply_markup": markup.inline})


async def send_document(call: Call) -> Any:
    """sendDocument (multipart upload, or a file_id sent before)."""
    return _send_file(call, "sendDocument", "document", "documents")


async def send_photo(call: Call) -> Any:
    """sendPhoto."""
    return _send_file(call, "sendPhoto", "photo", "photos")


async def send_chat_action(call: Call) -> Any:
    """sendChatAction: "typing..." is shown, nothing recorded; blocked chats still refuse."""
    call.state.require_chat(call.params.required_int("chat_id"))
    return True


# ----- editing and buttons ---------------------------------------------------------------


def _target(call: Call) -> SentMessage:
    if call.params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat_id = call.params.required_int("chat_id")
    call.state.require_chat(chat_id)
    sent = call.state.find_sent(chat_id, call.params.required_int("message_id"))
    if sent is None:
        raise bad_request("message to edit not found")
    return sent


def _edited(call: Call, sent: SentMessage, changes: JSONDict, markup: Markup) -> JSONDict:
    message = call.state.message_of(sent)
    message.update(changes)
    message.pop("reply_markup", None)
    if markup.inline is not None:
        message["reply_markup"] = markup.inline
    message["edit_date"] = int(time.time())
    call.state.set_message_json(sent, message)
    call.state.changed()
    return message


async def edit_message_text(call: Call) -> Any:
    """editMessageText; leaving out reply_markup removes the inline keyboard, as on Telegram."""
    sent = _target(call)
    if sent.method != "sendMessage":
        raise bad_request("there is no text in the message to edit")
    raw, shown, parse_mode = _checked_text(call)
    markup = _markup(call, inline_only=True)
    if shown == sent.text and markup.buttons == sent.buttons:
        raise bad_request(NOT_MODIFIED)
    if shown != sent.text and sent.text is not None:
        sent.edits.append(sent.text)
    sent.text, sent.raw_text, sent.parse_mode = shown, raw, parse_mode
    sent.buttons, sent.reply_markup = markup.buttons, markup.raw
    return _edited(call, sent, {"text": shown}, markup)


async def edit_message_reply_markup(call: Call) -> Any:
    """editMessageReplyMarkup; no reply_markup removes the inline keyboard."""
    sent = _target(call)
    markup = _markup(call, inline_only=True)
    if markup.buttons == sent.buttons:
        raise bad_request(NOT_MODIFIED)
    sent.buttons, sent.reply_markup = markup.buttons, markup.raw
    return _edited(call, sent, {}, markup)


async def answer_callback_query(call: Call) -> Any:
    """answerCallbackQuery: once per injected button press."""
    query_id = call.params.get_str("callback_query_id")
    if not query_id:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    call.state.answer_callback(
        query_id, call.params.get_str("text"), call.params.get_bool("show_alert")
    )
    return True


# ----- files -----------------------------------------------------------------------------


async def get_file(call: Call) -> Any:
    """getFile: the file_path to download from /file/bot<token>/<file_path>."""
    file_id = call.params.get_str("file_id") or ""
    stored = call.state.files.by_id(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "deleteWebhook": delete_webhook,
    "setWebhook": set_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": accept,
    "setMyShortDescription": accept,
    "setChatMenuButton": accept,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "getFile": get_file,
}
# Telegram matches method names without regard to case.
CANONICAL: dict[str, str] = {name.lower(): name for name in METHODS}
