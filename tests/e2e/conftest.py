"""The platform a test of tests/e2e runs on: a test that takes `platform` runs once on
Telegram and once on Zalo (tests/e2e/platforms.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from bot.settings import Settings
from schedules.clock import ManualClock
from tests.conftest import bot_settings
from tests.e2e.platforms import PLATFORMS, Platform


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest, sandbox: SandboxServer) -> Platform:
    return Platform(request.param, sandbox)


def platform_settings(database_url: str, sandbox: SandboxServer, **changes: object) -> Settings:
    """Both channels, Zalo sending at Telegram's rate: the tests of hundreds of chairs take
    the same time on either platform (Zalo's rate is a setting; its default is lower)."""
    settings = bot_settings(database_url, sandbox, zalo=True)
    rate = changes.get("send_rate_per_second", settings.send_rate_per_second)
    return settings.model_copy(update={"zalo_send_rate_per_second": rate, **changes})


@pytest.fixture
async def platform_bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """As `two_channel_bot`, with `platform_settings`: the timer off, tests dispatch."""
    runtime = BotRuntime(
        platform_settings(database_url, sandbox),
        clock=clock,
        dispatch_interval=None,
        per_chat_interval=0,
    )
    async with runtime:
        yield runtime
