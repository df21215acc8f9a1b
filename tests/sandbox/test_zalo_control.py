"""The Zalo control routes through SandboxControl.zalo, as a demo in another process uses them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox import SandboxControl, SandboxServer, SandboxState
from bot.zalo import EventName, ZaloApiError, ZaloClient, ZaloQuotaExceeded

TOKEN = "42:zalo-control"
USER = "a1b2c3d4e5f6a7b8c9d0"


@pytest.fixture
async def zserver() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(SandboxState(zalo_token=TOKEN)) as running:
        yield running


@pytest.fixture
async def control(zserver: SandboxServer) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(zserver.url) as client:
        yield client


@pytest.fixture
async def zalo(zserver: SandboxServer) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(TOKEN, base_url=zserver.zalo_base_url) as client:
        yield client


async def test_inject_read_send_and_read_back(control: SandboxControl, zalo: ZaloClient) -> None:
    text_id = await control.zalo.inject_text(USER, "MA ABC123", display_name="Anh Hùng")
    await control.zalo.inject_image(USER, "https://example.vn/a.jpg", caption="xong")
    await control.zalo.inject_sticker(USER)
    await control.zalo.inject_unsupported(USER)
    assert await control.zalo.pending_updates() == 4
    updates = [await zalo.get_updates(poll_seconds=0) for _ in range(4)]
    assert [u.event if u else None for u in updates] == [
        EventName.TEXT,
        EventName.IMAGE,
        EventName.STICKER,
        EventName.UNSUPPORTED,
    ]
    first = updates[0]
    assert first is not None
    assert first.message.message_id == text_id
    assert first.message.sender.display_name == "Anh Hùng"
    assert await control.zalo.pending_updates() == 0

    await zalo.send_message(USER, "Đăng ký thành công.")
    await zalo.send_message(USER, "Cảm ơn anh/chị.")
    sent = await control.zalo.wait_for_sent(USER, 2, timeout=120)
    assert [m.text for m in sent] == ["Đăng ký thành công.", "Cảm ơn anh/chị."]
    assert [m.seq for m in await control.zalo.sent(after_seq=sent[0].seq)] == [sent[1].seq]
    stats = await control.zalo.stats()
    assert stats.delivered == 2
    assert stats.requests["getUpdates"] == 4


async def test_block_add_user_limits_and_reset(control: SandboxControl, zalo: ZaloClient) -> None:
    await control.zalo.add_user(USER)
    await control.zalo.block(USER)
    with pytest.raises(ZaloApiError):
        await zalo.send_message(USER, "x")
    await control.zalo.block(USER, blocked=False)
    await control.set_limits(zalo_messages_per_minute=1)
    await zalo.send_message(USER, "x")
    with pytest.raises(ZaloQuotaExceeded):
        await zalo.send_message(USER, "y")
    assert (await control.limits()).zalo_messages_per_minute == 1
    await zalo.set_webhook("https://bot.example.vn/zalo", "secret-token")
    assert await control.zalo.webhook_url() == "https://bot.example.vn/zalo"
    await control.reset()
    assert await control.zalo.sent() == []
    assert await control.zalo.webhook_url() == ""
    assert (await control.limits()).zalo_messages_per_minute is None


async def test_bad_control_requests_are_400(zserver: SandboxServer) -> None:
    async with httpx.AsyncClient() as raw:
        voice = await raw.post(
            f"{zserver.url}/_sandbox/zalo/inject", json={"type": "voice", "user_id": USER}
        )
        no_user = await raw.post(f"{zserver.url}/_sandbox/zalo/inject", json={"type": "text"})
    assert voice.status_code == no_user.status_code == 400
    assert "voice" in voice.json()["error"]
