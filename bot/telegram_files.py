"""Sending a file on Telegram: the chart as a photo, the workbook as a document.

The text goes as the file's caption when it fits Telegram's 1,024 characters, so the person
gets one message; a longer text goes first as a message of its own and the file follows,
carrying the buttons (they belong under the last part). When the text went out and the file
then meets a 429, the file waits out `retry_after` in place (the rate limiter retries it)
rather than failing the whole send, which would send the text again.

Files over Telegram's upload limits (photo 10 MB, document 50 MB) are refused here, before
anything is sent.
"""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Message

from storage.outbox import FileKind, OutgoingFile

CAPTION_LIMIT = 1024
MAX_UPLOAD_BYTES = {
    FileKind.PHOTO: 10 * 1024 * 1024,
    FileKind.DOCUMENT: 50 * 1024 * 1024,
}
SECOND_PART_RETRIES = 3


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
) -> Message:
    """Send `text` and `file` to a chat; returns the last message sent (the file's).

    `bot` is PTB's ExtBot (its rate limiter reads `rate_limit_args`)."""
    check_size(file)
    upload = InputFile(file.content, filename=file.name)
    upload.mimetype = file.mime
    method = bot.send_photo if file.kind is FileKind.PHOTO else bot.send_document
    caption: str | None = text if text.strip() else None
    if caption is not None and caption_length(caption) > CAPTION_LIMIT:
        await bot.send_message(chat_id=chat_id, text=text, rate_limit_args=rate_limit_args)
        caption = None
        rate_limit_args = max(rate_limit_args or 0, SECOND_PART_RETRIES)
    sent: Message = await method(
        chat_id,
        upload,
        caption=caption,
        reply_markup=reply_markup,
        rate_limit_args=rate_limit_args,
    )
    return sent
