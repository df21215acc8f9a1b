"""A notice's file goes to Telegram once: the first recipient's send uploads the bytes, the
next ones send the file_id Telegram answered with; an id Telegram refuses is forgotten and
the bytes uploaded again. Files without a reuse key are uploaded every time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram import Chat, InputFile, Message, PhotoSize
from telegram.error import BadRequest

from bot.telegram_files import Uploads, send_with_file
from storage.outbox import FileKind, OutgoingFile

PHOTO = OutgoingFile(FileKind.PHOTO, "anh.jpg", "image/jpeg", b"\xff\xd8" + bytes(5000))


@dataclass
class FakeBot:
    """Telegram in memory: what each sendPhoto carried (bytes or an id); an id in `stale`
    is refused as Telegram refuses an id it no longer knows."""

    sent: list[str] = field(default_factory=list)  # "upload" or the file_id sent
    stale: set[str] = field(default_factory=set)
    uploads: int = 0

    async def send_photo(self, chat_id: int, photo: Any, **kwargs: Any) -> Message:
        if isinstance(photo, InputFile):
            self.uploads += 1
            self.sent.append("upload")
            file_id = f"id-{self.uploads}"
        elif photo in self.stale:
            raise BadRequest("Wrong file identifier/http url specified")
        else:
            self.sent.append(photo)
            file_id = photo
        size = PhotoSize(file_id, f"u-{file_id}", 400, 300)
        chat = Chat(chat_id, Chat.PRIVATE)
        return Message(len(self.sent), datetime.now(UTC), chat, photo=(size,))


def send_to(bot: FakeBot, chats: range, file: OutgoingFile, uploads: Uploads) -> None:
    async def all_of_them() -> None:
        for chat in chats:
            await send_with_file(bot, chat_id=chat, text="📢 Thông báo", file=file, uploads=uploads)

    asyncio.run(all_of_them())


def test_a_shared_file_is_uploaded_once_then_sent_by_its_id() -> None:
    bot, uploads = FakeBot(), Uploads()
    shared = OutgoingFile(PHOTO.kind, PHOTO.name, PHOTO.mime, PHOTO.content, "broadcast:7")
    send_to(bot, range(1, 301), shared, uploads)
    assert bot.uploads == 1
    assert bot.sent == ["upload"] + ["id-1"] * 299


def test_a_refused_id_is_uploaded_again_and_a_file_without_a_key_always_is() -> None:
    bot, uploads = FakeBot(), Uploads()
    shared = OutgoingFile(PHOTO.kind, PHOTO.name, PHOTO.mime, PHOTO.content, "broadcast:7")
    send_to(bot, range(1, 3), shared, uploads)
    bot.stale.add("id-1")
    send_to(bot, range(3, 5), shared, uploads)
    assert bot.sent == ["upload", "id-1", "upload", "id-2"]
    send_to(bot, range(5, 8), PHOTO, uploads)  # the weekly chart: each its own bytes
    assert bot.sent[-3:] == ["upload"] * 3
