"""Wakes async waiters when plain synchronous code changes the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Notifier:
    """Like asyncio.Condition, but `notify_all` is sync and no loop is bound at construction.

    The sandbox state is changed by plain method calls (inject_text, a delivered message), and
    one state may serve several event loops in a test session, so each waiter brings its own
    future on its own loop.
    """

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify_all(self) -> None:
        """Wake every waiter so it re-checks its predicate."""
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for future in list(self._waiters):
            loop = future.get_loop()
            if loop is running:
                _wake(future)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_wake, future)

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until `predicate()` holds or `seconds` pass; return the last answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            future: asyncio.Future[None] = loop.create_future()
            self._waiters.add(future)
            try:
                await asyncio.wait({future}, timeout=remaining)
            finally:
                self._waiters.discard(future)
                future.cancel()
        return True
