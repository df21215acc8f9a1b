"""A sandbox on a free port and a real python-telegram-bot Bot pointed at it."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.sandbox import Limits, SandboxServer, SandboxState

TOKEN = "123456:SANDBOX-test-token"


@pytest.fixture
def state() -> SandboxState:
    # A generous overall rate so that only the test that is about rate limits meets them.
    return SandboxState(limits=Limits(overall_per_second=1000.0, per_chat_burst=50), token=TOKEN)


@pytest.fixture
async def server(state: SandboxState) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(state) as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN, base_url=server.bot_base_url, base_file_url=server.file_base_url
    ) as tg_bot:
        yield tg_bot


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real PNG image: the sandbox, as Telegram, refuses a photo it cannot open."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, format="PNG")
    return buffer.getvalue()
