"""The sending rate of one bot held across all its processes (issue 13, several machines).

PTB's `AIORateLimiter` counts per process: two processes sending at 25 a second each make
50 for Telegram, which counts per bot. On PostgreSQL each send therefore first reserves
its slot in the database (`storage.send_pace`), which spaces the slots of every process
`1/rate` apart; the limiter of PTB is kept for what it does besides (the per-group limit,
and waiting out a 429 for answers that ask for retries) with its own overall limit off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

from storage.engine import Database, error_line, is_transient
from storage.send_pace import reserve_send_slot

log = logging.getLogger(__name__)

# The methods that put a message in a chat: those the platform's per-bot limit counts.
COUNTED_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "sendSticker",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "copyMessage",
        "forwardMessage",
    }
)


class SharedPace:
    """Waits for this process's next slot of a platform's shared rate. `async with pace:`
    waits as aiolimiter's `AsyncLimiter` does, so the Zalo channel takes either."""

    def __init__(self, db: Database, *, channel: str, per_second: float) -> None:
        self._db = db
        self._channel = channel
        self._gap = timedelta(seconds=1.0 / per_second)

    async def wait_turn(self) -> None:
        """Reserve a slot and sleep until it comes. With the database away for a moment the
        send is spaced by this process alone (one gap), rather than failed: the outbox
        holds its sends meanwhile anyway, and a person's answer should not wait for it."""
        try:
            wait = await asyncio.to_thread(self._reserve)
        except Exception as error:
            if not is_transient(error):
                raise
            log.warning("shared sending pace unavailable (%s): spaced locally", error_line(error))
            wait = self._gap.total_seconds()
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aenter__(self) -> None:
        await self.wait_turn()

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    def _reserve(self) -> float:
        with self._db.session() as session:
            return reserve_send_slot(session, channel=self._channel, gap=self._gap)


class SharedRateLimiter(AIORateLimiter):
    """PTB's limiter with the overall rate kept in the database instead of in this process."""

    def __init__(self, pace: SharedPace) -> None:
        super().__init__(overall_max_rate=0)
        self._pace = pace

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint not in COUNTED_METHODS:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def paced(*a: Any, **k: Any) -> bool | JSONDict | list[JSONDict]:
            await self._pace.wait_turn()  # every attempt, a retry after a 429 included
            return await callback(*a, **k)

        return await super().process_request(paced, args, kwargs, endpoint, data, rate_limit_args)
