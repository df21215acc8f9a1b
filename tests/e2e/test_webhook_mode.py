"""The bot in webhook mode: it registers its webhook with the secret, the sandbox POSTs
updates to it, the same router answers, and a re-delivered update is answered once."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from bot.settings import Settings
from bot.webhook_server import TELEGRAM_SECRET_HEADER, ZALO_SECRET_HEADER
from bot.zalo import ZaloUpdate
from schedules.clock import ManualClock
from tests.bot.test_zalo_incoming import body_of
from tests.conftest import TEST_TOKEN

pytestmark = pytest.mark.e2e

SECRET = "e2e-webhook-key_0123456789abcdefghijKLMN"
CHAT = 3101
PATIENCE = 120.0  # bounds a failure only


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_settings(database_url: str, sandbox: SandboxServer, port: int) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token=TEST_TOKEN,
        telegram_api_url=sandbox.url,
        webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret=SECRET,
        webhook_listen=f"127.0.0.1:{port}",
    )


@pytest.fixture
async def webhook_bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    runtime = BotRuntime(
        webhook_settings(database_url, sandbox, free_port()),
        clock=clock,
        dispatch_interval=None,
        per_chat_interval=0,
    )
    async with runtime:
        yield runtime


async def test_webhook_is_registered_and_updates_are_answered(
    webhook_bot: BotRuntime, sandbox: SandboxServer
) -> None:
    state = sandbox.state
    assert state.webhook_url == f"{webhook_bot.settings.webhook_url}/telegram"
    assert state.webhook_secret == SECRET
    assert webhook_bot.mode.startswith("webhook http://127.0.0.1:")

    state.inject_text(CHAT, "/start", first_name="Lan")
    (answer, *_) = await state.wait_for_sent(CHAT, 1, timeout=PATIENCE)
    assert answer.text
    assert sandbox.webhooks.stats.delivered == 1
    assert state.stats.requests["getUpdates"] == 0  # nothing polled


async def test_a_redelivered_update_is_answered_once(
    webhook_bot: BotRuntime, sandbox: SandboxServer
) -> None:
    state = sandbox.state
    first = {
        "update_id": 900_001,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Lan"},
            "text": "/start",
        },
    }
    state.add_user(CHAT, first_name="Lan")
    assert webhook_bot.webhook is not None
    url = f"http://127.0.0.1:{webhook_bot.webhook.port}/telegram"
    headers = {TELEGRAM_SECRET_HEADER: SECRET}
    async with httpx.AsyncClient() as client:
        assert (await client.post(url, json=first, headers=headers)).status_code == 200
        answers = len(await state.wait_for_sent(CHAT, 1, timeout=PATIENCE))
        # The platform delivers it again (no answer reached it, say), then the next update.
        assert (await client.post(url, json=first, headers=headers)).status_code == 200
        second = {
            "update_id": 900_002,
            "message": {**first["message"], "message_id": 2, "text": "/help"},  # type: ignore[dict-item]
        }
        assert (await client.post(url, json=second, headers=headers)).status_code == 200
        refused = await client.post(url, json=second, headers={TELEGRAM_SECRET_HEADER: "x" * 40})
    assert refused.status_code == 403
    # One chat's updates are handled in order: once /help is answered, the repeat was done.
    sent = await state.wait_for_sent(CHAT, answers + 1, timeout=PATIENCE)
    welcome = sent[0].text or ""
    assert welcome.startswith("Xin chào")
    assert "chưa đăng ký" in (sent[answers].text or "")  # /help's answer came next
    assert [m.text for m in sent].count(welcome) == 1  # the repeat got no second welcome


class FakeZaloPeer:
    """Stands in for the Zalo channel (wired by another part of issue 13)."""

    def __init__(self) -> None:
        self.registered: list[tuple[str, str]] = []
        self.updates: list[ZaloUpdate] = []
        self.arrived = asyncio.Event()

    async def receive(self, update: ZaloUpdate) -> None:
        self.updates.append(update)
        self.arrived.set()

    async def register_webhook(self, url: str, secret_token: str) -> None:
        self.registered.append((url, secret_token))


async def test_zalo_webhook_is_registered_and_its_updates_handed_to_the_channel(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> None:
    peer = FakeZaloPeer()
    settings = webhook_settings(database_url, sandbox, free_port())
    runtime = BotRuntime(settings, clock=clock, dispatch_interval=None, zalo=peer)
    async with runtime:
        assert peer.registered == [(f"{settings.webhook_url}/zalo", SECRET)]
        assert runtime.mode.endswith("channels: telegram, zalo")
        body = body_of("getUpdates_text")["result"]  # bare
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                f"{settings.webhook_url}/zalo", json=body, headers={ZALO_SECRET_HEADER: SECRET}
            )
        assert answer.status_code == 200
        await asyncio.wait_for(peer.arrived.wait(), PATIENCE)
    assert [update.message.text for update in peer.updates] == ["xong"]
