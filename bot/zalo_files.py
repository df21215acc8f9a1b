"""Sending a file on Zalo, which has no upload: a photo goes by address, a document as a link.

Zalo's `sendPhoto` takes an image URL that Zalo's servers fetch, and Zalo has no document
method (DESIGN.md §6). So the file is published first (`bot.public_files`: stored in the
database under a 256-bit random token, served by the web server at `/files/{token}` until it
expires, by whichever process the request reaches), then:

- a photo (the weekly chart, a notice's picture) goes by `sendPhoto` with its address, the
  text as its caption (Zalo's 2,000 characters; longer, the text goes first);
- a document (the weekly workbook) goes as the text with one more line: its name, its link
  and how long the link lives.

Where the bot has no public address (polling without `NHACVIEC_PUBLIC_URL`), nothing can
fetch a file from it: the text goes with a line that says so and where to get the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.public_files import MAX_FILE_BYTES
from handlers.messages import Channel
from schedules.clock import Clock
from schedules.message_parts import size
from storage.outbox import FileKind, OutgoingFile

# Zalo may fetch a picture again when the person scrolls back to it days later: a week.
PHOTO_TTL = timedelta(days=7)
# A workbook holds names and phone numbers: its link lives one day, and says so.
LINK_TTL = timedelta(hours=24)
# Zalo publishes no size limit for sendPhoto; a picture over this goes as a link instead.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def link_line(file: OutgoingFile, url: str) -> str:
    hours = int(LINK_TTL.total_seconds() // 3600)
    return f"Tải tệp «{file.name}» (hết hạn sau {hours} giờ): {url}"


def unavailable_line(file: OutgoingFile) -> str:
    if file.reuse_key is not None:  # a notice's file: its sender is the one to ask
        return (
            f"⚠️ Tệp «{file.name}» không gửi được qua Zalo từ máy chủ này. Anh/chị xem trên "
            "Telegram hoặc nhờ cán bộ gửi thông báo gửi lại."
        )
    return (
        f"⚠️ Tệp «{file.name}» không gửi được qua Zalo từ máy chủ này. Anh/chị xem trên "
        "Telegram (bản tin tuần: /tuantong) hoặc nhờ quản trị viên gửi lại (nhacviec summary)."
    )


def too_large_line(file: OutgoingFile) -> str:
    return (
        f"⚠️ Tệp «{file.name}» quá lớn để gửi qua Zalo. Anh/chị xem trên Telegram hoặc nhờ "
        "quản trị viên gửi lại."
    )


def not_now_line(file: OutgoingFile) -> str:
    return f"⚠️ Tệp «{file.name}» chưa gửi được lúc này; anh/chị thử lại sau ít phút."


class FilePublisher(Protocol):
    """What sending a file needs of `bot.public_files.PublicFiles`."""

    async def publish(self, content: bytes, mime_type: str, ttl: timedelta = ...) -> str: ...


@dataclass
class PublishedOnce:
    """Publishes a file that carries a reuse key (a notice's picture, the same bytes for every
    chair of a branch) once per process, and hands out the same address while it has at
    least half its life left: 300 recipients make one stored copy, not 300."""

    files: FilePublisher
    clock: Clock
    _addresses: dict[tuple[str, timedelta], tuple[str, datetime]] = field(default_factory=dict)

    async def publish(self, file: OutgoingFile, ttl: timedelta) -> str:
        if file.reuse_key is None:
            return await self.files.publish(file.content, file.mime, ttl)
        key = (file.reuse_key, ttl)
        now = self.clock.now()
        known = self._addresses.get(key)
        if known is not None and known[1] - now > ttl / 2:
            return known[0]
        url = await self.files.publish(file.content, file.mime, ttl)
        self._addresses = {k: v for k, v in self._addresses.items() if v[1] > now}
        self._addresses[key] = (url, now + ttl)
        return url


@dataclass(frozen=True, slots=True)
class Step:
    """One call to Zalo: a text (sendMessage), or a photo by address with its caption."""

    text: str | None
    photo_url: str | None = None


async def file_steps(text: str, file: OutgoingFile, files: PublishedOnce | None) -> list[Step]:
    """The calls that deliver `text` with `file`. Publishing may fail (the database): the
    error is raised, and the caller retries the row or tells the person."""
    if files is None:
        return _with_line(text, unavailable_line(file))
    if len(file.content) > MAX_FILE_BYTES:
        return _with_line(text, too_large_line(file))
    if _is_photo(file):
        url = await files.publish(file, PHOTO_TTL)
        if size(text) <= Channel.ZALO.text_limit:
            return [Step(text if text.strip() else None, url)]
        return [Step(text), Step(None, url)]
    url = await files.publish(file, LINK_TTL)
    return _with_line(text, link_line(file, url))


def failed_steps(text: str, file: OutgoingFile) -> list[Step]:
    """The text and a line that the file could not be had now (an answer's file whose
    publishing failed: the person is told, not left waiting)."""
    return _with_line(text, not_now_line(file))


def _is_photo(file: OutgoingFile) -> bool:
    return (
        file.kind is FileKind.PHOTO
        and file.mime in PHOTO_MIMES
        and len(file.content) <= MAX_PHOTO_BYTES
    )


def _with_line(text: str, line: str) -> list[Step]:
    """The text with one more line under it; two messages when together they are too long."""
    if not text.strip():
        return [Step(line)]
    joined = f"{text}\n{line}"
    if size(joined) <= Channel.ZALO.text_limit:
        return [Step(joined)]
    return [Step(text), Step(line)]
