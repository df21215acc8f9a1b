"""Sending a file on Telegram: the chart as a photo, the workbook as a document.

The text goes as the file's caption when it fits Telegram's 1,024 characters, so the person
gets one message; a longer text goes first as a message of its own and the file follows,
carrying the buttons (they belong under the last part). When the text went out and the file
then meets a 429, the file waits out `retry_after` in place (the rate limiter retries it)
rather than failing the whole send, which would send the text again.

Files over Telegram's upload limits (photo 10 MB, document 50 MB) are refused here, before
anything is sent.

A file with a `reuse_key` (a notice's photo, the same for its 300 recipients) is uploaded
once per process: Telegram answers with the file_id it keeps, and the next recipients get
the file by that id (`Uploads`), not another upload of the same bytes. An id Telegram no
longer takes is forgotten and the bytes uploaded again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from telegram import InputFile, Message
from telegram.error import BadRequest

from storage.outbox import FileKind, OutgoingFile

CAPTION_LIMIT = 1024
MAX_UPLOAD_BYTES = {
    FileKind.PHOTO: 10 * 1024 * 1024,
    FileKind.DOCUMENT: 50 * 1024 * 1024,
}
SECOND_PART_RETRIES = 3
KEPT_UPLOADS = 64  # reuse keys remembered per process (a few broadcasts' files)


class Uploads:
    """The file_ids Telegram gave the files uploaded so far, by reuse key (the latest few)."""

    def __init__(self, size: int = KEPT_UPLOADS) -> None:
        self._ids: OrderedDict[str, str] = OrderedDict()
        self._size = size

    def get(self, key: str | None) -> str | None:
        if key is None or key not in self._ids:
            return None
        self._ids.move_to_end(key)
        return self._ids[key]

    def keep(self, key: str | None, sent: Message, kind: FileKind) -> None:
        file_id = _file_id(sent, kind)
        if key is None or file_id is None:
            return
        self._ids[key] = file_id
        self._ids.move_to_end(key)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def forget(self, key: str | None) -> None:
        if key is not None:
            self._ids.pop(key, None)


def _file_id(sent: Message, kind: FileKind) -> str | None:
    if kind is FileKind.PHOTO:
        return sent.photo[-1].file_id if sent.photo else None
    return sent.document.file_id if sent.document is not None else None


class FileTooLarge(ValueError):
    """The file is over Telegram's upload limit for its kind: it can never be sent."""


def check_size(file: OutgoingFile) -> None:
    """Raise FileTooLarge when Telegram would refuse the upload."""
    limit = MAX_UPLOAD_BYTES[file.kind]
    if len(file.content) > limit:
        raise FileTooLarge(
            f"{file.kind.value} {file.name!r} is {len(file.content)} bytes; "
            f"Telegram takes at most {limit}"
        )


def caption_length(text: str) -> int:
    """Telegram counts a caption in UTF-16 code units: an emoji counts two."""
    return len(text.encode("utf-16-le")) // 2


async def send_with_file(
    bot: Any,
    *,
    chat_id: int,
    text: str,
    file: OutgoingFile,
    reply_markup: Any = None,
    rate_limit_args: int | None = None,
    uploads: Uploads | None = None,
) -> Message:
    """Send `text` and `file` to a chat; returns the last message sent (the file's).

    `bot` is PTB's ExtBot (its rate limiter reads `rate_limit_args`); `uploads`, when given,
    lets a file with a reuse key go by the file_id of its first upload."""
    check_size(file)
    method = bot.send_photo if file.kind is FileKind.PHOTO else bot.send_document
    caption: str | None = text if text.strip() else None
    if caption is not None and caption_length(caption) > CAPTION_LIMIT:
        await bot.send_message(chat_id=chat_id, text=text, rate_limit_args=rate_limit_args)
        caption = None
        rate_limit_args = max(rate_limit_args or 0, SECOND_PART_RETRIES)
    known = uploads.get(file.reuse_key) if uploads is not None else None
    if known is not None:
        try:
            sent: Message = await method(
                chat_id,
                known,
                caption=caption,
                reply_markup=reply_markup,
                rate_limit_args=rate_limit_args,
            )
            return sent
        except BadRequest:  # Telegram no longer takes the id: upload the bytes again
            assert uploads is not None
            uploads.forget(file.reuse_key)
    sent = await method(
        chat_id,
        _upload(file),
        caption=caption,
        reply_markup=reply_markup,
        rate_limit_args=rate_limit_args,
    )
    if uploads is not None:
        uploads.keep(file.reuse_key, sent, file.kind)
    return sent


def _upload(file: OutgoingFile) -> InputFile:
    upload = InputFile(file.content, filename=file.name)
    upload.mimetype = file.mime
    return upload
