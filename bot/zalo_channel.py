"""Zalo in the running bot: updates in (polled here; a webhook feeds the same
`ZaloChannel.handle_update`), answers out, and the outbox `Sender` for Zalo accounts.

Zalo has no buttons: the router numbers an answer's choices itself (handlers.numbered_choices),
and `ZaloSender` numbers an outbox row's buttons the same way, remembering them for the
number the person types back. The order of the reminder buttons (done, working, blocked) is
the order of the reply grammar's codes (`1`, `2 60`, `3 lý do`), so a number typed after a
reminder means the same to both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack, suppress
from datetime import timedelta
from weakref import WeakValueDictionary

from aiolimiter import AsyncLimiter

from bot.zalo import (
    ZaloApiError,
    ZaloBot,
    ZaloClient,
    ZaloError,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
    ZaloUpdate,
    to_incoming,
)
from handlers.messages import Channel, Incoming
from handlers.numbered_choices import Listed, flatten_stored, numbered_text, remember
from handlers.router import Handled
from handlers.texts import INTERNAL_ERROR, for_channel
from schedules.clock import Clock
from schedules.dispatcher import Rejected, RetryLater, SendOutcome, Sent, Unreachable
from schedules.message_parts import size
from storage.engine import Database
from storage.outbox import ClaimedMessage

log = logging.getLogger(__name__)

HandleFunc = Callable[[Incoming], Awaitable[Handled]]
# getUpdates holds the request this long when nothing waits (Zalo answers 408 after it).
POLL_SECONDS = 30
# After a failed poll (network down, Zalo's 5xx), wait before the next one, doubling up to
# a minute: quick after a blip, quiet during an outage.
POLL_RETRY_FIRST = 1.0
POLL_RETRY_MAX = 60.0
# Zalo documents no code for "blocked" or "never wrote"; the sandbox follows Telegram's
# 403 and 400 (docs/sandbox.md). Either way the person cannot be written to.
UNREACHABLE_CODES = frozenset({403, 400})


class ZaloChannel:
    """One Zalo bot: polls getUpdates (development, the demo) and answers, one chat's
    messages in the order they came, different chats concurrently.

    `handle_update` is the whole path of one update and does not depend on polling: a
    webhook server calls it with the update it parsed (`bot.zalo.parse_webhook_body`).
    """

    def __init__(
        self,
        client: ZaloClient,
        handle: HandleFunc,
        on_outbox_changed: Callable[[], None],
        *,
        limiter: AsyncLimiter,
        poll_seconds: int = POLL_SECONDS,
    ) -> None:
        self._client = client
        self._handle = handle
        self._on_outbox_changed = on_outbox_changed
        self._limiter = limiter
        self._poll_seconds = poll_seconds
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None

    async def handle_update(self, update: ZaloUpdate) -> None:
        """Handle one update and answer in its chat; failures are logged and the person gets
        the apology, so a webhook or the poll loop never sees an exception."""
        incoming = to_incoming(update)
        chat_id = incoming.chat_id
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        async with lock:
            try:
                handled = await self._handle(incoming)
            except Exception as error:
                log.error(
                    "Zalo message %s failed: %s",
                    incoming.update_id,
                    type(error).__name__,
                    exc_info=error,
                )
                await self._answer(chat_id, INTERNAL_ERROR)
                return
            for answer in handled.answers:
                for part in answer.parts(Channel.ZALO):
                    # Choices were numbered by the router; a stray one is numbered here.
                    stray = [Listed(c.label, c.data) for row in part.choices for c in row]
                    text = numbered_text(part.text, stray)
                    await self._answer(part.chat_id or chat_id, text)
        if handled.outbox_changed:
            self._on_outbox_changed()

    async def register_webhook(self, url: str, secret_token: str) -> None:
        """Have Zalo deliver to our webhook server (webhook mode) instead of being polled."""
        await self._client.set_webhook(url, secret_token)

    def accept(self, update: ZaloUpdate) -> None:
        """Hand an update on without waiting for its answer (the poll loop, a webhook that
        answers Zalo at once); the per-chat lock, taken in arrival order, keeps the order."""
        task = asyncio.get_running_loop().create_task(self.handle_update(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, chat_id: str, text: str) -> None:
        """Send one answer; a 429 waits out the advice once (the person is waiting)."""
        for attempt in (1, 2):
            try:
                async with self._limiter:
                    await self._client.send_message(chat_id, text)
                return
            except ZaloQuotaExceeded as error:
                if attempt == 2:
                    log.warning("Zalo answer to a chat dropped: quota exceeded twice")
                    return
                await asyncio.sleep(min(error.retry_after, POLL_RETRY_MAX))
            except ZaloError as error:
                log.warning("Zalo answer not sent: %s", error)
                return

    def start_polling(self) -> None:
        """Poll getUpdates until `stop`."""
        if self._poller is None:
            self._poller = asyncio.get_running_loop().create_task(self._poll())

    async def stop(self) -> None:
        """Stop polling, then let the updates in hand finish."""
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            with suppress(asyncio.CancelledError):
                await poller
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _poll(self) -> None:
        wait = POLL_RETRY_FIRST
        while True:
            try:
                update = await self._client.get_updates(self._poll_seconds)
            except ZaloUnauthorized:
                log.error("Zalo refused the token (401): polling stopped")
                return
            except (ZaloNetworkError, ZaloApiError) as error:
                log.warning("Zalo getUpdates failed (%s); again in %.0f s", error, wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, POLL_RETRY_MAX)
                continue
            except ZaloError as error:
                log.warning("Zalo getUpdates answer unreadable: %s", error)
                await asyncio.sleep(wait)
                wait = min(wait * 2, POLL_RETRY_MAX)
                continue
            wait = POLL_RETRY_FIRST
            if update is not None:
                self.accept(update)


class ZaloSender:
    """Sends outbox rows to Zalo accounts at the configured rate and classifies failures.

    A row with buttons (a reminder, an approval, a notice to acknowledge) goes out with them
    as a numbered list, and the list is remembered for the account, so the number typed back
    is read as the button (handlers.numbered_choices)."""

    def __init__(
        self, client: ZaloClient, limiter: AsyncLimiter, db: Database, clock: Clock
    ) -> None:
        self._client = client
        self._limiter = limiter
        self._db = db
        self._clock = clock

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        choices = flatten_stored(message.choices)
        worded = for_channel(message.text, Channel.ZALO)  # a sentence naming a button
        body = worded if size(worded) <= Channel.ZALO.text_limit else message.text
        text = numbered_text(body, choices)
        if size(text) > Channel.ZALO.text_limit:  # the row's last part was already full
            texts = [body, numbered_text("", choices).strip()]
        else:
            texts = [text]
        sent_id = ""
        try:
            for part in texts:
                async with self._limiter:
                    sent = await self._client.send_message(message.chat_id, part)
                sent_id = sent.message_id
        except ZaloQuotaExceeded as error:
            return RetryLater("429 quota exceeded", after=timedelta(seconds=error.retry_after))
        except ZaloApiError as error:
            if error.error_code in UNREACHABLE_CODES:
                return Unreachable(f"{error.error_code} {error.description}")
            if 400 <= error.error_code < 500:
                return Rejected(f"{error.error_code} {error.description}")
            return RetryLater(f"{error.error_code} {error.description}")
        except ZaloError as error:
            return RetryLater(type(error).__name__)
        if choices:
            try:
                await asyncio.to_thread(self._remember, message.account_id, choices)
            except Exception as error:  # sent is sent: a typed number then reads as text
                log.warning("numbered choices of row %s not kept: %s", message.id, error)
        return Sent(sent_id)

    def _remember(self, account_id: int, choices: list[Listed]) -> None:
        with self._db.session() as session:
            remember(session, account_id=account_id, choices=choices, now=self._clock.now())


async def open_zalo(
    *,
    token: str,
    api_url: str,
    rate_per_second: float,
    handle: HandleFunc,
    on_outbox_changed: Callable[[], None],
    db: Database,
    clock: Clock,
    stack: AsyncExitStack,
) -> tuple[ZaloChannel, ZaloSender, ZaloBot]:
    """The Zalo channel and its outbox sender, sharing one client and one rate limit; the
    token is checked with getMe first (a bad one fails the start). What opens here closes
    when `stack` unwinds."""
    client = ZaloClient(token, base_url=api_url)
    stack.push_async_callback(client.aclose)
    me = await client.get_me()
    # One limit for answers and outbox rows: Zalo's quota is per bot. A burst of one second.
    limiter = AsyncLimiter(rate_per_second, 1.0)
    channel = ZaloChannel(client, handle, on_outbox_changed, limiter=limiter)
    return channel, ZaloSender(client, limiter, db, clock), me
