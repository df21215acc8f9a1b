"""Files the bot publishes at unguessable, expiring addresses, served by the webhook server.

Zalo's sendPhoto takes an image URL, not an upload, and Zalo has no document method: a
chart or a workbook for a Zalo user is published here and its address is sent. The token
is 256 random bits (`secrets.token_urlsafe`), so an address cannot be guessed; the row
expires, after which the address answers 404. The bytes live in the database, so any
process behind the public address serves what any other published.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from schedules.clock import Clock
from storage.engine import Database
from storage.public_files import add_public_file, delete_expired_files, find_public_file

FILES_PATH = "/files"
DEFAULT_TTL = timedelta(days=7)  # a weekly summary's files live until the next one
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ServedFile:
    content: bytes
    mime_type: str


class PublicFiles:
    """`publish(bytes, mime, ttl) -> url` and the look-up the web server answers with."""

    def __init__(self, db: Database, *, base_url: str, clock: Clock) -> None:
        self._db = db
        self._base_url = base_url.rstrip("/")
        self._clock = clock

    async def publish(self, content: bytes, mime_type: str, ttl: timedelta = DEFAULT_TTL) -> str:
        """Store the file and return its public address, valid for `ttl`."""
        if len(content) > MAX_FILE_BYTES:
            raise ValueError(f"a published file is at most {MAX_FILE_BYTES} bytes")
        if ttl <= timedelta(0):
            raise ValueError("a published file needs a positive time to live")
        token = secrets.token_urlsafe(32)
        expires_at = self._clock.now() + ttl
        await asyncio.to_thread(self._add, token, content, mime_type, expires_at)
        return f"{self._base_url}{FILES_PATH}/{token}"

    def _add(self, token: str, content: bytes, mime_type: str, expires_at: datetime) -> None:
        with self._db.session() as session:
            add_public_file(
                session,
                token=token,
                content=content,
                mime_type=mime_type,
                expires_at=expires_at,
            )

    async def find(self, token: str) -> ServedFile | None:
        """The file behind a token, or None when it is unknown or expired."""
        if not token or len(token) > 64:
            return None
        return await asyncio.to_thread(self._find, token)

    def _find(self, token: str) -> ServedFile | None:
        with self._db.session() as session:
            row = find_public_file(session, token=token, now=self._clock.now())
            return None if row is None else ServedFile(row.content, row.mime_type)

    async def forget_expired(self) -> int:
        """Remove expired files (the runtime's timer calls this hourly in webhook mode)."""
        return await asyncio.to_thread(self._forget)

    def _forget(self) -> int:
        with self._db.session() as session:
            return delete_expired_files(session, now=self._clock.now())
