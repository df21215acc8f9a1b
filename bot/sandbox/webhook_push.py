"""Webhook delivery: while a webhook is set, the sandbox POSTs each injected update to the
bot, as both platforms do in production.

Telegram: the update as JSON, the secret in `X-Telegram-Bot-Api-Secret-Token`, up to
`CONNECTIONS` requests at once (setWebhook's max_connections defaults to 40) but one at a
time per chat, so a person's messages arrive in order. Zalo: the update wrapped in
`{ok, result}` or bare (`ZaloSandbox.webhook_wrapped`), the secret in
`X-Bot-Api-Secret-Token`. An update is retried until the bot answers 200 (both platforms
retry a failed delivery), with a back-off; `attempts` and `failures` count them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import aiohttp

from bot.sandbox.state import SandboxState
from bot.sandbox.telegram_objects import JSONDict

log = logging.getLogger(__name__)

CONNECTIONS = 40
FIRST_RETRY_SECONDS = 0.05
LAST_RETRY_SECONDS = 2.0
REQUEST_SECONDS = 30.0
TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_HEADER = "X-Bot-Api-Secret-Token"


@dataclass
class PushStats:
    """What the pusher did, for tests and benchmarks."""

    delivered: int = 0
    attempts: int = 0
    failures: int = 0  # attempts the bot did not answer 200 (or did not answer)
    statuses: list[int] = field(default_factory=list)  # of the failures, in order


@dataclass
class _Dialect:
    """One platform's side of the pusher."""

    name: str
    target: Callable[[], tuple[str, str]]  # (url, secret); "" url: no webhook set
    take: Callable[[Callable[[JSONDict], bool]], JSONDict | None]
    body: Callable[[JSONDict], JSONDict]
    header: str
    chat_of: Callable[[JSONDict], str]


class WebhookPusher:
    """Runs beside the sandbox server: `start` and `stop` with it."""

    def __init__(self, state: SandboxState, stopping: Callable[[], bool]) -> None:
        self._state = state
        self._stopping = stopping
        self._busy: set[tuple[str, str]] = set()  # (dialect, chat) with a delivery in flight
        self._tasks: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None
        self.stats = PushStats()
        zalo = state.zalo
        self._dialects = (
            _Dialect(
                "telegram",
                lambda: (state.webhook_url, state.webhook_secret),
                state.take_update,
                lambda update: update,
                TELEGRAM_HEADER,
                _telegram_chat,
            ),
            _Dialect(
                "zalo",
                lambda: (zalo.webhook.url, zalo.webhook.secret_token),
                zalo.take_update,
                lambda update: {"ok": True, "result": update} if zalo.webhook_wrapped else update,
                ZALO_HEADER,
                lambda update: str(update.get("message", {}).get("chat", {}).get("id", "")),
            ),
        )

    @property
    def in_flight(self) -> int:
        """Updates taken and not yet accepted by the bot."""
        return len(self._busy)

    async def start(self) -> None:
        timeout = aiohttp.ClientTimeout(total=REQUEST_SECONDS)
        self._session = aiohttp.ClientSession(
            timeout=timeout, connector=aiohttp.TCPConnector(limit=CONNECTIONS * 2)
        )
        self._tasks = [asyncio.get_running_loop().create_task(self._feed())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _next(self) -> tuple[_Dialect, JSONDict, tuple[str, str]] | None:
        """The next update to deliver, marked busy; None when there is none to take now."""
        for dialect in self._dialects:
            url, _ = dialect.target()
            if not url:
                continue
            update = dialect.take(partial(self._is_busy, dialect))
            if update is not None:
                key = (dialect.name, dialect.chat_of(update))
                self._busy.add(key)
                return dialect, update, key
        return None

    def _is_busy(self, dialect: _Dialect, update: JSONDict) -> bool:
        return (dialect.name, dialect.chat_of(update)) in self._busy

    async def _feed(self) -> None:
        """Take updates as they come and deliver each in a task of its own, at most
        CONNECTIONS at once. One waiter on the sandbox's changes, not one per connection:
        every sent message wakes the waiters, and forty of them cost the sandbox's CPU."""
        slots = asyncio.Semaphore(CONNECTIONS)
        deliveries: set[asyncio.Task[None]] = set()
        try:
            while not self._stopping():
                await slots.acquire()
                got: list[tuple[_Dialect, JSONDict, tuple[str, str]]] = []

                def ready(got: list[tuple[_Dialect, JSONDict, tuple[str, str]]] = got) -> bool:
                    # Takes inside the check: a wake-up that finds only busy chats waits.
                    if not got and (taken := self._next()) is not None:
                        got.append(taken)
                    return bool(got) or self._stopping()

                await self._state.wait(ready, 3600.0)  # woken by every change
                if not got:
                    slots.release()
                    continue
                task = asyncio.get_running_loop().create_task(self._deliver_one(*got[0], slots))
                deliveries.add(task)
                task.add_done_callback(deliveries.discard)
        finally:
            for task in deliveries:
                task.cancel()
            await asyncio.gather(*deliveries, return_exceptions=True)

    async def _deliver_one(
        self,
        dialect: _Dialect,
        update: JSONDict,
        key: tuple[str, str],
        slots: asyncio.Semaphore,
    ) -> None:
        try:
            await self._deliver(dialect, update)
        finally:
            self._busy.discard(key)
            slots.release()
            self._state.wake_waiters()  # the chat is free: its next update may go

    async def _deliver(self, dialect: _Dialect, update: JSONDict) -> None:
        """POST until the bot answers 200, the webhook is removed, or the sandbox stops."""
        assert self._session is not None
        wait = FIRST_RETRY_SECONDS
        while not self._stopping():
            url, secret = dialect.target()
            if not url:
                return  # deleteWebhook while retrying: dropped, as the platform would
            self.stats.attempts += 1
            status = await self._post(url, secret, dialect, update)
            if status == 200:
                self.stats.delivered += 1
                return
            self.stats.failures += 1
            self.stats.statuses.append(status)
            await asyncio.sleep(wait)
            wait = min(wait * 2, LAST_RETRY_SECONDS)

    async def _post(self, url: str, secret: str, dialect: _Dialect, update: JSONDict) -> int:
        """The bot's HTTP status; 0 when it did not answer."""
        assert self._session is not None
        body = json.dumps(dialect.body(update), ensure_ascii=False).encode()
        headers: dict[str, Any] = {"Content-Type": "application/json"}
        if secret:
            headers[dialect.header] = secret
        try:
            async with self._session.post(url, data=body, headers=headers) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            log.info("%s webhook %s: %s", dialect.name, url, type(error).__name__)
            return 0


def _telegram_chat(update: JSONDict) -> str:
    """The chat an update belongs to (private chats: the user), for in-order delivery."""
    for key in ("message", "edited_message", "callback_query", "my_chat_member"):
        part = update.get(key)
        if isinstance(part, dict):
            chat = part.get("chat") or part.get("from") or {}
            return str(chat.get("id", ""))
    return ""
