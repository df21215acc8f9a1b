"""What every route of the sandbox app shares: the state and whether the server is stopping."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.sandbox.state import SandboxState


@dataclass
class Lifecycle:
    """Set when the server stops, so long polls and hangs end instead of holding it up."""

    stopping: bool = False


STATE_KEY = web.AppKey("sandbox_state", SandboxState)
LIFECYCLE_KEY = web.AppKey("sandbox_lifecycle", Lifecycle)
