"""The sandbox delivers by webhook once one is set: the secret header, retries, both Zalo
body shapes, and getUpdates refused with 409 meanwhile."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Conflict

from bot.sandbox import SandboxServer
from bot.sandbox.webhook_push import TELEGRAM_HEADER, ZALO_HEADER
from tests.sandbox.conftest import TOKEN

SECRET = "a-webhook-secret-of-the-test_0123456789"
PATIENCE = 120.0  # bounds a failure only


@dataclass
class Receiver:
    """A stand-in bot: records each call, refuses the first `fail_first` with 500."""

    fail_first: int = 0
    calls: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        header = request.headers.get(TELEGRAM_HEADER) or request.headers.get(ZALO_HEADER) or ""
        self.calls.append((request.path, body, header))
        if len(self.calls) <= self.fail_first:
            return web.Response(status=500)
        return web.json_response({"ok": True})


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(fail_first=2)
    app = web.Application()
    app.router.add_post("/{path:.*}", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield hook
    await runner.cleanup()


async def test_telegram_updates_are_posted_with_the_secret_and_retried(
    server: SandboxServer, bot: Bot, receiver: Receiver
) -> None:
    update_id = server.state.inject_text(42, "xong")  # queued before the webhook is set
    assert await bot.set_webhook(f"{receiver.url}/telegram", secret_token=SECRET)
    with pytest.raises(Conflict):  # as Telegram: no getUpdates while a webhook is set
        await bot.get_updates()

    assert await server.state.wait(lambda: server.webhooks.stats.delivered == 1, PATIENCE)
    assert [call[0] for call in receiver.calls] == ["/telegram"] * 3  # two 500s, then 200
    _path, body, header = receiver.calls[-1]
    assert body["update_id"] == update_id
    assert body["message"]["text"] == "xong"
    assert header == SECRET
    assert server.webhooks.stats.statuses == [500, 500]
    assert server.state.pending_updates() == 0

    assert await bot.delete_webhook()
    server.state.inject_text(42, "lần hai")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["lần hai"]


async def test_updates_of_one_chat_arrive_in_order(
    server: SandboxServer, bot: Bot, receiver: Receiver
) -> None:
    receiver.fail_first = 0
    await bot.set_webhook(f"{receiver.url}/telegram", secret_token=SECRET)
    for index in range(30):
        server.state.inject_text(42 + index % 3, f"tin {index}")
    assert await server.state.wait(lambda: server.webhooks.stats.delivered == 30, PATIENCE)
    for chat in (42, 43, 44):
        texts = [
            b["message"]["text"] for _, b, _ in receiver.calls if b["message"]["chat"]["id"] == chat
        ]
        assert texts == [f"tin {i}" for i in range(30) if 42 + i % 3 == chat]


@pytest.mark.parametrize("wrapped", [True, False], ids=["wrapped", "bare"])
async def test_zalo_updates_are_posted_in_either_shape(
    server: SandboxServer, receiver: Receiver, wrapped: bool
) -> None:
    receiver.fail_first = 1
    server.state.zalo.webhook_wrapped = wrapped
    message_id = server.state.zalo.inject_text("u-1", "xong")  # queued before the webhook
    async with httpx.AsyncClient(base_url=f"{server.zalo_base_url}/bot{TOKEN}") as zalo:
        answer = await zalo.post(
            "/setWebhook", json={"url": f"{receiver.url}/zalo", "secret_token": SECRET}
        )
        assert answer.json()["ok"] is True
        assert await server.state.wait(lambda: server.webhooks.stats.delivered == 1, PATIENCE)
        conflict = await zalo.post("/getUpdates", json={"timeout": 0})
    assert conflict.json()["error_code"] == 409
    assert len(receiver.calls) == 2  # one 500, then accepted
    path, body, header = receiver.calls[-1]
    assert path == "/zalo"
    assert header == SECRET
    update = body["result"] if wrapped else body
    assert (body.get("ok") is True) is wrapped
    assert update["event_name"] == "message.text.received"
    assert update["message"]["message_id"] == message_id
    assert update["message"]["text"] == "xong"
