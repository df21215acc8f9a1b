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
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, suppress
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakValueDictionary

from aiolimiter import AsyncLimiter

from bot.inbound_spool import InboundSpool
from bot.shared_pace import SharedPace
from bot.zalo import (
    ZaloApiError,
    ZaloBot,
    ZaloClient,
    ZaloError,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloSent,
    ZaloUnauthorized,
    ZaloUpdate,
    to_incoming,
)
from bot.zalo_files import FilePublisher, PublishedOnce, Step, failed_steps, file_steps
from handlers.messages import Channel, Incoming
from handlers.numbered_choices import Listed, flatten_stored, numbered_text, remember
from handlers.router import Handled
from handlers.texts import for_channel
from schedules.clock import Clock, SystemClock
from schedules.dispatcher import Rejected, RetryLater, SendOutcome, Sent, Unreachable
from schedules.message_parts import size
from storage.engine import Database
from storage.outbox import ClaimedMessage

log = logging.getLogger(__name__)

# A turn: the message (and when it reached the bot, for one replayed from the spool).
RunTurn = Callable[
    [Incoming, Callable[[Handled], Awaitable[None]], datetime | None], Awaitable[Handled]
]
# getUpdates holds the request this long when nothing waits (Zalo answers 408 after it).
POLL_SECONDS = 30
# After a failed poll (network down, Zalo's 5xx), wait before the next one, doubling up to
# a minute: quick after a blip, quiet during an outage.
POLL_RETRY_FIRST = 1.0
POLL_RETRY_MAX = 60.0
# Zalo documents no code for "blocked" or "never wrote"; the sandbox follows Telegram's
# 403 and 400 (docs/sandbox.md). Either way the person cannot be written to.
UNREACHABLE_CODES = frozenset({403, 400})
# After the first call of a row went out (its text), a 429 on the next (its photo) is waited
# out in place this many times, rather than retrying the row and sending the text again.
LATER_STEP_RETRIES = 3
# The pace of sending: aiolimiter's `AsyncLimiter` in one process, or the database's shared
# slots (`bot.shared_pace.SharedPace`) when several processes send for one bot.
Pace = AbstractAsyncContextManager[Any]


async def send_step(client: ZaloClient, chat_id: str, step: Step) -> ZaloSent:
    """One call to Zalo: a text, or a photo by its address with the text as caption."""
    if step.photo_url is not None:
        return await client.send_photo(chat_id, step.photo_url, caption=step.text)
    return await client.send_message(chat_id, step.text or "")


class ZaloChannel:
    """One Zalo bot: polls getUpdates (development, the demo) and answers, one chat's
    messages in the order they came, different chats concurrently.

    `receive` takes an update in: written to the inbound spool (fsync'd) before it returns,
    then handled in the background; the poll loop and the webhook server both call it, the
    webhook answering Zalo only once it returned. `turn` is the handling of one message
    (`run` is `bot.turns.Turns.run`, which never raises), also for messages replayed from
    the spool.
    """

    def __init__(
        self,
        client: ZaloClient,
        run: RunTurn,
        on_outbox_changed: Callable[[], None],
        *,
        limiter: Pace,
        bot_id: str = "",
        spool: InboundSpool | None = None,
        clock: Clock | None = None,
        poll_seconds: int = POLL_SECONDS,
        files: FilePublisher | None = None,
    ) -> None:
        self._client = client
        self.download = client.download  # a person's image, by its address (the intake)
        self._run = run
        self._on_outbox_changed = on_outbox_changed
        self._limiter = limiter
        self._bot_id = bot_id
        self._spool = spool
        self._clock = clock or SystemClock()
        # An answer's file has no reuse key: each is published as it comes.
        self._files = None if files is None else PublishedOnce(files, self._clock)
        self._poll_seconds = poll_seconds
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None

    @property
    def bot_id(self) -> str:
        """The Zalo bot's own id (getMe), part of every message's key."""
        return self._bot_id

    async def handle_update(self, update: ZaloUpdate) -> None:
        """Handle one update now and answer in its chat."""
        await self.turn(to_incoming(update, bot_id=self._bot_id))

    async def receive(self, update: ZaloUpdate) -> None:
        """Keep the update in the spool, then hand it on without waiting for its answer;
        the per-chat lock, taken in arrival order, keeps the order. An OSError means the
        spool could not be written: the caller must not acknowledge the update."""
        incoming = to_incoming(update, bot_id=self._bot_id)
        arrived = self._clock.now()
        if self._spool is not None:
            await self._spool.record(incoming, arrived)
        self.accept(incoming, arrived)

    def accept(self, incoming: Incoming, arrived: datetime | None = None) -> None:
        """Handle a message in the background (one received, or replayed from the spool)."""
        task = asyncio.get_running_loop().create_task(self.turn(incoming, arrived))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def turn(self, incoming: Incoming, arrived: datetime | None = None) -> None:
        """Handle one message and send its answers, under its chat's lock."""
        chat_id = incoming.chat_id
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        async with lock:
            handled = await self._run(incoming, self._send_answers(chat_id), arrived)
        if handled.outbox_changed:
            self._on_outbox_changed()

    def _send_answers(self, chat_id: str) -> Callable[[Handled], Awaitable[None]]:
        async def send(handled: Handled) -> None:
            for answer in handled.answers:
                for part in answer.parts(Channel.ZALO):
                    # Choices were numbered by the router; a stray one is numbered here.
                    stray = [Listed(c.label, c.data) for row in part.choices for c in row]
                    text = numbered_text(part.text, stray)
                    steps = [Step(text)]
                    if part.file is not None:
                        steps = await self._file_steps(text, part)
                    for step in steps:
                        await self._answer(part.chat_id or chat_id, step)

        return send

    async def register_webhook(self, url: str, secret_token: str) -> None:
        """Have Zalo deliver to our webhook server (webhook mode) instead of being polled."""
        await self._client.set_webhook(url, secret_token)

    async def _file_steps(self, text: str, part: Any) -> list[Step]:
        """An answer's file, published for Zalo to fetch; when publishing fails the person
        gets the text and a line saying so."""
        try:
            return await file_steps(text, part.file, self._files)
        except Exception as error:
            log.warning("file of a Zalo answer not published: %s", type(error).__name__)
            return failed_steps(text, part.file)

    async def _answer(self, chat_id: str, step: Step) -> None:
        """Send one answer; a 429 waits out the advice once (the person is waiting)."""
        for attempt in (1, 2):
            try:
                async with self._limiter:
                    await send_step(self._client, chat_id, step)
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
                try:
                    await self.receive(update)
                except OSError as error:  # Zalo has no offset: the update is already gone
                    log.error("Zalo update not kept in the spool (%s); handled anyway", error)
                    self.accept(to_incoming(update, bot_id=self._bot_id))


class ZaloSender:
    """Sends outbox rows to Zalo accounts at the configured rate and classifies failures.

    A row with buttons (a reminder, an approval, a notice to acknowledge) goes out with them
    as a numbered list, and the list is remembered for the account, so the number typed back
    is read as the button (handlers.numbered_choices). A row with a file goes out as
    `bot.zalo_files` says: a photo by its published address, a document as a link."""

    def __init__(
        self,
        client: ZaloClient,
        limiter: Pace,
        db: Database,
        clock: Clock,
        *,
        files: FilePublisher | None = None,
    ) -> None:
        self._client = client
        self._limiter = limiter
        self._db = db
        self._clock = clock
        self._files = None if files is None else PublishedOnce(files, clock)

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        choices = flatten_stored(message.choices)
        worded = for_channel(message.text, Channel.ZALO)  # a sentence naming a button
        body = worded if size(worded) <= Channel.ZALO.text_limit else message.text
        text = numbered_text(body, choices)
        if size(text) > Channel.ZALO.text_limit:  # the row's last part was already full
            texts = [body, numbered_text("", choices).strip()]
        else:
            texts = [text]
        steps = [Step(part) for part in texts]
        if message.file is not None:
            try:
                steps[-1:] = await file_steps(texts[-1], message.file, self._files)
            except Exception as error:  # the database: the row is tried again later
                return RetryLater(f"file not published ({type(error).__name__})")
        outcome = await self._send_steps(message.chat_id, steps)
        if isinstance(outcome, Sent) and choices:
            try:
                await asyncio.to_thread(self._remember, message.account_id, choices)
            except Exception as error:  # sent is sent: a typed number then reads as text
                log.warning("numbered choices of row %s not kept: %s", message.id, error)
        return outcome

    async def _send_steps(self, chat_id: str, steps: Sequence[Step]) -> SendOutcome:
        """The row's calls in order. Once the first went out, a 429 is waited out in place
        (a few times) so that a retry of the row does not send the first call again."""
        sent_id = ""
        for index, step in enumerate(steps):
            for attempt in range(LATER_STEP_RETRIES + 1):
                try:
                    async with self._limiter:
                        sent = await send_step(self._client, chat_id, step)
                    break
                except ZaloQuotaExceeded as error:
                    if index == 0 or attempt == LATER_STEP_RETRIES:
                        after = timedelta(seconds=error.retry_after)
                        return RetryLater("429 quota exceeded", after=after)
                    await asyncio.sleep(min(error.retry_after, POLL_RETRY_MAX))
                except ZaloError as error:
                    return _outcome(error)
            sent_id = sent.message_id
        return Sent(sent_id)

    def _remember(self, account_id: int, choices: list[Listed]) -> None:
        with self._db.session() as session:
            remember(session, account_id=account_id, choices=choices, now=self._clock.now())


def _outcome(error: ZaloError) -> SendOutcome:
    """What the outbox does after Zalo refused a call (a 429 is handled before)."""
    if isinstance(error, ZaloApiError):
        if error.error_code in UNREACHABLE_CODES:
            return Unreachable(f"{error.error_code} {error.description}")
        if 400 <= error.error_code < 500:
            return Rejected(f"{error.error_code} {error.description}")
        return RetryLater(f"{error.error_code} {error.description}")
    return RetryLater(type(error).__name__)


async def open_zalo(
    *,
    token: str,
    api_url: str,
    rate_per_second: float,
    run: RunTurn,
    on_outbox_changed: Callable[[], None],
    db: Database,
    clock: Clock,
    stack: AsyncExitStack,
    files: FilePublisher | None = None,
    spool: InboundSpool | None = None,
) -> tuple[ZaloChannel, ZaloSender, ZaloBot]:
    """The Zalo channel and its outbox sender, sharing one client and one rate limit; the
    token is checked with getMe first (a bad one fails the start). `files` publishes the
    files Zalo fetches by address (None: no public address). What opens here closes when
    `stack` unwinds."""
    client = ZaloClient(token, base_url=api_url)
    stack.push_async_callback(client.aclose)
    me = await client.get_me()
    pace = zalo_pace(db, rate_per_second)
    channel = ZaloChannel(
        client,
        run,
        on_outbox_changed,
        limiter=pace,
        bot_id=me.id,
        spool=spool,
        clock=clock,
        files=files,
    )
    return channel, ZaloSender(client, pace, db, clock, files=files), me


def zalo_pace(db: Database, rate_per_second: float) -> Pace:
    """One limit for answers and outbox rows, since Zalo's quota is per bot: on PostgreSQL,
    where several processes may send for the bot, slots shared through the database (as
    Telegram's); on SQLite (one process) an in-process limiter with a burst of one second."""
    if db.engine.dialect.name == "postgresql":
        return SharedPace(db, channel="zalo", per_second=rate_per_second)
    return AsyncLimiter(rate_per_second, 1.0)
