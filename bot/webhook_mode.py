"""Webhook mode: one web server takes both platforms' updates, and the files Zalo fetches
by address are served beside them (`bot.webhook_server`, `bot.public_files`).

PTB's updater does not poll here: the server puts Telegram updates into the application's
queue, where `UpdateRouter` takes them as if polled; Zalo updates go to the Zalo channel.
On stop the webhooks stay registered: other processes behind the same address go on
receiving, and while none runs the platforms keep the updates and retry (Telegram for a
day), so a restart or an upgrade loses nothing. `deleteWebhook` is for going back to
polling, by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AsyncExitStack
from typing import Any, Protocol

from telegram import Bot, Update
from telegram.ext import BaseRateLimiter

from bot.inbound_spool import InboundSpool
from bot.public_files import PublicFiles
from bot.settings import Settings
from bot.shared_pace import SharedPace, SharedRateLimiter
from bot.telegram_adapter import TelegramApplication, to_incoming
from bot.webhook_server import (
    TELEGRAM_PATH,
    BadBody,
    TelegramSink,
    WebhookServer,
    ZaloSink,
)
from bot.zalo import ZaloUpdate
from handlers.messages import Incoming
from schedules.clock import Clock
from storage.engine import Database

log = logging.getLogger(__name__)

FORGET_FILES_SECONDS = 3600.0  # how often expired published files are removed
ZALO_PATH = "/zalo"


class ZaloWebhookPeer(Protocol):
    """What webhook mode needs of the Zalo channel: where an update goes (`receive` returns
    once it is kept), and how Zalo is told the address (`bot.zalo_channel.ZaloChannel`, or
    a test's stand-in)."""

    async def receive(self, update: ZaloUpdate) -> None: ...

    async def register_webhook(self, url: str, secret_token: str) -> None: ...


def shared_limiter(settings: Settings, db: Database) -> BaseRateLimiter[int] | None:
    """On PostgreSQL, where several processes may send for one bot, Telegram's rate is
    shared through the database; SQLite is one process, whose own limiter keeps the rate."""
    if db.engine.dialect.name != "postgresql":
        return None
    pace = SharedPace(db, channel="telegram", per_second=settings.send_rate_per_second)
    return SharedRateLimiter(pace)


class WebhookMode:
    """The web server of one bot process, the files it publishes, and the registrations."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        application: TelegramApplication | None,
        zalo: ZaloWebhookPeer | None,
        files: PublicFiles | None = None,
        spool: InboundSpool | None = None,
    ) -> None:
        self._settings = settings
        self._spool = spool
        self._application = application
        self._zalo = zalo
        self.files = files or PublicFiles(db, base_url=settings.files_url, clock=clock)
        self.server: WebhookServer | None = None
        self._cleaner: asyncio.Task[None] | None = None

    async def start(self, stack: AsyncExitStack) -> None:
        """Serve, then register the webhooks; what started is stopped when `stack` unwinds."""
        secret = self._settings.require_webhook_secret()
        base = self._settings.webhook_url
        telegram = self._put_telegram_update if self._application is not None else None
        zalo = self._zalo.receive if self._zalo is not None else None
        await self._serve(stack, secret=secret, telegram=telegram, zalo=zalo)
        if self._application is not None:
            await self._application.bot.set_webhook(
                url=base + TELEGRAM_PATH, secret_token=secret, allowed_updates=Update.ALL_TYPES
            )
        if self._zalo is not None:
            await self._zalo.register_webhook(base + ZALO_PATH, secret)

    async def serve_files(self, stack: AsyncExitStack) -> None:
        """Polling with a public address (`NHACVIEC_PUBLIC_URL`): serve only the published
        files, so that Zalo can fetch them; no webhook is registered."""
        await self._serve(stack, secret="", telegram=None, zalo=None)

    async def _serve(
        self,
        stack: AsyncExitStack,
        *,
        secret: str,
        telegram: TelegramSink | None,
        zalo: ZaloSink | None,
    ) -> None:
        host, port = self._settings.listen_address
        self.server = WebhookServer(
            secret=secret, host=host, port=port, telegram=telegram, zalo=zalo, files=self.files
        )
        await self.server.start()
        stack.push_async_callback(self._stop)
        self._cleaner = asyncio.get_running_loop().create_task(self._forget_files())

    async def _stop(self) -> None:
        if self._cleaner is not None:
            self._cleaner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._cleaner
        assert self.server is not None
        await self.server.stop()
        self.server = None

    async def _forget_files(self) -> None:
        """Remove expired published files now and then (their addresses already answer 404)."""
        while True:
            await asyncio.sleep(FORGET_FILES_SECONDS)
            try:
                await self.files.forget_expired()
            except Exception:
                log.exception("removing expired files failed")

    async def _put_telegram_update(self, data: dict[str, Any]) -> None:
        """A webhook update into PTB's queue, where `UpdateRouter` takes it as if polled; the
        queue writes it into the spool (`bot.telegram_spool`), synced before the 200."""
        assert self._application is not None
        await self._application.update_queue.put(read_telegram_update(data, self._application.bot))
        if self._spool is not None:
            await self._spool.sync()


def read_telegram_update(data: dict[str, Any], bot: Bot) -> Update:
    """The update PTB makes of a webhook body, refused (BadBody: the server answers 400)
    when PTB or the adapter cannot read it, or when a field is not of the type Telegram
    sends: PTB does not check types, and a number where a name belongs would only fail the
    turn later (the fuzzing in tests/bot/test_webhook_fuzz.py found it)."""
    try:
        update = Update.de_json(data, bot)
        incoming = to_incoming(update)
    except Exception as error:  # PTB reads a malformed update with assorted errors
        raise BadBody(f"not a readable Telegram update ({type(error).__name__})") from error
    if incoming is not None and not _well_typed(incoming):
        raise BadBody("not a readable Telegram update (a field of the wrong type)")
    return update


def _well_typed(incoming: Incoming) -> bool:
    """Every field of what the handlers will see has the type `Incoming` declares."""
    texts: list[object] = [incoming.user_id, incoming.chat_id, incoming.update_id]
    texts.append(incoming.display_name)
    optional: list[object] = [incoming.text, incoming.button_data, incoming.message_id]
    if (contact := incoming.contact) is not None:
        texts += [contact.phone, contact.full_name]
        optional.append(contact.user_id)
    if (attachment := incoming.attachment) is not None:
        texts.append(attachment.file_id)
        optional += [attachment.file_name, attachment.mime_type]
        if attachment.size is not None and not isinstance(attachment.size, int):
            return False
    return all(isinstance(value, str) for value in texts) and all(
        value is None or isinstance(value, str) for value in optional
    )
