"""Serving one aiohttp application on a port: the webhook server and the sandbox start and
stop the same way (the port open before `start` returns, nothing left behind when opening it
fails, port 0 for a free one), so they share this."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from aiohttp import web


class AppServer(ABC):
    """Base of a server of one aiohttp application on `host:port`; an async context manager
    (`start` on enter, `stop` on exit). After `_listen`, `port` is the real port."""

    def __init__(self, *, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @abstractmethod
    async def start(self) -> None:
        """Build the application and `_listen` on it."""

    @abstractmethod
    async def stop(self) -> None:
        """`_close` the port, and whatever else the server holds."""

    @property
    def listening(self) -> bool:
        return self._runner is not None

    async def _listen(self, app: web.Application, *, shutdown_timeout: float) -> None:
        """Open the port for `app`; returns once it accepts connections."""
        if self._runner is not None:
            raise RuntimeError(f"{type(self).__name__} is already started")
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=shutdown_timeout
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self.port = int(runner.addresses[0][1])
        self._runner = runner

    async def _close(self) -> None:
        """Close the port; requests in hand get the shutdown timeout."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
