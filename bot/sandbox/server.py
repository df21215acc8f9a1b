"""SandboxServer: the sandbox on a real 127.0.0.1 port, for tests, the demo and benchmarks."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.http_site import AppServer
from bot.sandbox.app_keys import LIFECYCLE_KEY, STATE_KEY, Lifecycle
from bot.sandbox.control import add_control_routes
from bot.sandbox.limits import Limits
from bot.sandbox.state import SandboxState
from bot.sandbox.telegram_api import add_telegram_routes
from bot.sandbox.webhook_push import WebhookPusher
from bot.sandbox.zalo_api import PREFIX as ZALO_PREFIX
from bot.sandbox.zalo_api import add_zalo_routes
from bot.sandbox.zalo_control import add_zalo_control_routes

MAX_BODY_BYTES = 64 * 1024 * 1024  # Telegram takes 50 MB uploads; aiohttp's default is 1 MB
SHUTDOWN_SECONDS = 1.0  # in-flight requests get this long on stop (long polls end at once)


def build_app(state: SandboxState, lifecycle: Lifecycle) -> web.Application:
    """The aiohttp application with the Telegram and Zalo dialects and the control routes."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[STATE_KEY] = state
    app[LIFECYCLE_KEY] = lifecycle
    add_telegram_routes(app)
    add_control_routes(app)
    add_zalo_routes(app)
    add_zalo_control_routes(app)
    return app


class SandboxServer(AppServer):
    """Serves one SandboxState over HTTP; port 0 picks a free port, read `url` after start."""

    def __init__(
        self, state: SandboxState | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__(host=host, port=port)
        self.state = state if state is not None else SandboxState()
        self._lifecycle = Lifecycle()
        # Delivers updates by POST while a webhook is set (either dialect).
        self.webhooks = WebhookPusher(self.state, lambda: self._lifecycle.stopping)

    @property
    def url(self) -> str:
        """The base address, http://HOST:PORT with the real port; valid once started."""
        if not self.listening:
            raise RuntimeError("SandboxServer is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def bot_base_url(self) -> str:
        """What to give ApplicationBuilder().base_url(...)."""
        return f"{self.url}/bot"

    @property
    def zalo_base_url(self) -> str:
        """What to give ZaloClient(base_url=...): the Zalo dialect's prefix."""
        return f"{self.url}{ZALO_PREFIX}"

    @property
    def file_base_url(self) -> str:
        """What to give ApplicationBuilder().base_file_url(...)."""
        return f"{self.url}/file/bot"

    async def start(self) -> None:
        """Listen; returns once the port is open."""
        self._lifecycle.stopping = False
        app = build_app(self.state, self._lifecycle)
        await self._listen(app, shutdown_timeout=SHUTDOWN_SECONDS)
        await self.webhooks.start()

    async def stop(self) -> None:
        """Answer pending long polls and hangs, then close."""
        if not self.listening:
            return
        self._lifecycle.stopping = True
        self.state.wake_waiters()
        await self.webhooks.stop()
        await self._close()


async def serve_forever(host: str, port: int, limits: Limits | None = None) -> None:
    """Run a sandbox until cancelled (the `nhacviec sandbox` command); prints where it is."""
    async with SandboxServer(SandboxState(limits=limits), host=host, port=port) as server:
        print(f"Sandbox Bot API listening on {server.url}", flush=True)
        print(f"  base_url={server.bot_base_url}  base_file_url={server.file_base_url}", flush=True)
        print(f"  Zalo base_url={server.zalo_base_url}", flush=True)
        print(f"  control routes under {server.url}/_sandbox/", flush=True)
        await asyncio.get_running_loop().create_future()
