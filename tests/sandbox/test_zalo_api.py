"""The real Zalo client over real HTTP against the sandbox's Zalo dialect on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.sandbox import Fault, Limits, SandboxServer, SandboxState
from bot.zalo import (
    EventName,
    ZaloApiError,
    ZaloClient,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
    to_incoming,
)

ZALO_TOKEN = "1459232241454765289:sandbox-zalo-token"
CHAIR = "7c1f0d2a9e3b44c5a6d8"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WAIT = 120.0  # bounds a failure only


@pytest.fixture
def zstate() -> SandboxState:
    return SandboxState(limits=Limits(zalo_poll_seconds=0.05), zalo_token=ZALO_TOKEN)


@pytest.fixture
async def zserver(zstate: SandboxState) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(zstate) as running:
        yield running


@pytest.fixture
async def zalo(zserver: SandboxServer) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(ZALO_TOKEN, base_url=zserver.zalo_base_url) as client:
        yield client


@pytest.fixture
async def images() -> AsyncIterator[str]:
    """A web server of our own that serves a chart, as the bot's file server will."""

    async def chart(request: web.Request) -> web.Response:
        return web.Response(body=PNG, content_type="image/png")

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/f/chart.png", chart)
    app.router.add_get("/f/page", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_get_me(zalo: ZaloClient) -> None:
    bot = await zalo.get_me()
    assert bot.id
    assert bot.account_name


async def test_bad_token_is_401_in_a_200(zserver: SandboxServer) -> None:
    async with ZaloClient("1:wrong", base_url=zserver.zalo_base_url) as client:
        with pytest.raises(ZaloUnauthorized):
            await client.get_me()
    async with httpx.AsyncClient() as raw:
        response = await raw.post(f"{zserver.zalo_base_url}/bot1:wrong/getMe", json={})
    assert response.status_code == 200
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_updates_come_one_per_call_without_offset(
    zalo: ZaloClient, zstate: SandboxState
) -> None:
    first = zstate.zalo.inject_text(CHAIR, "xong", display_name="Chị Lan")
    second = zstate.zalo.inject_text(CHAIR, "dang lam 60%")
    one = await zalo.get_updates(poll_seconds=0)
    two = await zalo.get_updates(poll_seconds=0)
    assert one is not None
    assert two is not None
    assert (one.message.message_id, one.message.text) == (first, "xong")
    assert (two.message.message_id, two.message.text) == (second, "dang lam 60%")
    assert one.event is EventName.TEXT
    assert one.message.sender.display_name == "Chị Lan"
    assert one.message.chat.id == CHAIR
    incoming = to_incoming(one)
    assert (incoming.user_id, incoming.chat_id, incoming.text) == (CHAIR, CHAIR, "xong")
    assert await zalo.get_updates(poll_seconds=0) is None  # 408: nothing waits
    assert zstate.zalo.stats.responses[408] == 1


async def test_long_poll_answers_when_an_update_arrives(
    zstate: SandboxState, zalo: ZaloClient
) -> None:
    zstate.set_limits(zalo_poll_seconds=WAIT)
    polling = asyncio.create_task(zalo.get_updates(poll_seconds=int(WAIT)))
    assert await zstate.wait(lambda: zstate.zalo.polling == 1, WAIT)
    zstate.zalo.inject_text(CHAIR, "xong")
    update = await asyncio.wait_for(polling, WAIT)
    assert update is not None
    assert update.message.text == "xong"


async def test_image_sticker_and_unsupported_events(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.inject_image(CHAIR, "https://example.vn/bien-ban.jpg", caption="kết nạp 12")
    zstate.zalo.inject_sticker(CHAIR)
    zstate.zalo.inject_unsupported(CHAIR)
    image, sticker, other = [await zalo.get_updates(poll_seconds=0) for _ in range(3)]
    assert image is not None
    assert image.event is EventName.IMAGE
    assert image.message.photo_url == "https://example.vn/bien-ban.jpg"
    assert image.message.caption == "kết nạp 12"
    assert sticker is not None
    assert sticker.event is EventName.STICKER
    assert other is not None
    assert other.event is EventName.UNSUPPORTED
    assert to_incoming(other).text is None


async def test_send_message_is_recorded(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.add_user(CHAIR)
    await zalo.send_chat_action(CHAIR)
    sent = await zalo.send_message(CHAIR, "Đã ghi nhận: xong. Cảm ơn anh/chị.")
    (recorded,) = await zstate.zalo.wait_for_sent(CHAIR, 1, timeout=WAIT)
    assert recorded.message_id == sent.message_id
    assert recorded.text == "Đã ghi nhận: xong. Cảm ơn anh/chị."
    assert recorded.method == "sendMessage"


async def test_text_limit_is_2000_characters(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.add_user(CHAIR)
    await zalo.send_message(CHAIR, "ă" * 2000)
    with pytest.raises(ZaloApiError) as caught:
        await zalo.send_message(CHAIR, "ă" * 2001)
    assert caught.value.error_code == 400
    assert [len(m.text or "") for m in zstate.zalo.sent(CHAIR)] == [2000]


async def test_quota_answers_429(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.add_user(CHAIR)
    zstate.set_limits(zalo_messages_per_minute=3)
    for number in range(3):
        await zalo.send_message(CHAIR, f"Thông báo {number}")
    with pytest.raises(ZaloQuotaExceeded) as caught:
        await zalo.send_message(CHAIR, "Thông báo 3")
    assert caught.value.retry_after > 0
    assert len(zstate.zalo.sent(CHAIR)) == 3
    assert zstate.zalo.stats.throttled == 1


async def test_per_second_quota(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.add_user(CHAIR)
    clock = [1000.0]
    zstate.zalo.quota.clock = lambda: clock[0]
    zstate.set_limits(zalo_messages_per_second=2)
    await zalo.send_message(CHAIR, "1")
    await zalo.send_message(CHAIR, "2")
    with pytest.raises(ZaloQuotaExceeded):
        await zalo.send_message(CHAIR, "3")
    clock[0] += 1.0
    await zalo.send_message(CHAIR, "3")
    assert [m.text for m in zstate.zalo.sent(CHAIR)] == ["1", "2", "3"]


async def test_injected_faults_answer_in_zalos_envelope(
    zalo: ZaloClient, zstate: SandboxState
) -> None:
    """The Telegram dialect's `Fault`s, served the Zalo way: 200 with the error code, a 429
    without retry advice (the client's own back-off applies), counted in the stats."""
    zstate.zalo.add_user(CHAIR)
    zstate.zalo.add_fault(Fault(status=429, count=1, retry_after=7))
    zstate.zalo.add_fault(Fault(status=500, count=1))
    with pytest.raises(ZaloQuotaExceeded) as quota:
        await zalo.send_message(CHAIR, "Nhắc việc 1")
    assert quota.value.retry_after == zalo.quota_backoff_seconds
    with pytest.raises(ZaloApiError) as server_error:
        await zalo.send_message(CHAIR, "Nhắc việc 1")
    assert server_error.value.error_code == 500
    await zalo.get_me()
    await zalo.send_message(CHAIR, "Nhắc việc 1")
    assert [m.text for m in zstate.zalo.sent(CHAIR)] == ["Nhắc việc 1"]
    assert zstate.zalo.stats.faults == 2 and zstate.stats.faults == 0


async def test_send_photo_fetches_the_url(
    zalo: ZaloClient, zstate: SandboxState, images: str
) -> None:
    zstate.zalo.add_user(CHAIR)
    await zalo.send_photo(CHAIR, f"{images}/f/chart.png", caption="Tổng hợp tuần")
    (recorded,) = zstate.zalo.sent(CHAIR)
    assert recorded.method == "sendPhoto"
    assert recorded.photo == PNG
    assert recorded.photo_url == f"{images}/f/chart.png"
    assert recorded.text == "Tổng hợp tuần"


@pytest.mark.parametrize("path", ["/f/missing.png", "/f/page"])
async def test_send_photo_refuses_what_is_not_an_image(
    zalo: ZaloClient, zstate: SandboxState, images: str, path: str
) -> None:
    zstate.zalo.add_user(CHAIR)
    with pytest.raises(ZaloApiError) as caught:
        await zalo.send_photo(CHAIR, images + path)
    assert caught.value.error_code == 400
    assert zstate.zalo.sent(CHAIR) == []


async def test_send_photo_unreachable_url(zalo: ZaloClient, zstate: SandboxState) -> None:
    zstate.zalo.add_user(CHAIR)
    with pytest.raises(ZaloApiError) as caught:
        await zalo.send_photo(CHAIR, "http://127.0.0.1:9/chart.png")
    assert caught.value.error_code == 400
    assert "fetch" in caught.value.description


async def test_blocked_and_unknown_users(zalo: ZaloClient, zstate: SandboxState) -> None:
    with pytest.raises(ZaloApiError) as unknown:
        await zalo.send_message("never-wrote", "Chào anh/chị")
    assert unknown.value.error_code == 400
    zstate.zalo.add_user(CHAIR)
    zstate.zalo.block(CHAIR)
    with pytest.raises(ZaloApiError) as blocked:
        await zalo.send_message(CHAIR, "Nhắc việc")
    assert blocked.value.error_code == 403
    zstate.zalo.block(CHAIR, blocked=False)
    await zalo.send_message(CHAIR, "Nhắc việc")
    assert len(zstate.zalo.sent(CHAIR)) == 1


async def test_webhook_methods(zalo: ZaloClient, zstate: SandboxState) -> None:
    assert (await zalo.get_webhook_info()).url == ""
    info = await zalo.set_webhook("https://bot.example.vn/zalo", "s3cret-token")
    assert info.url == "https://bot.example.vn/zalo"
    assert info.updated_at is not None
    assert (await zalo.get_webhook_info()).url == "https://bot.example.vn/zalo"
    with pytest.raises(ZaloApiError) as caught:
        await zalo.get_updates(poll_seconds=0)
    assert caught.value.error_code == 409
    with pytest.raises(ZaloApiError):
        await zalo.set_webhook("https://bot.example.vn/zalo", "short")
    assert (await zalo.delete_webhook()).url == ""
    assert await zalo.get_updates(poll_seconds=0) is None


async def test_telegram_dialect_is_untouched(zserver: SandboxServer, zstate: SandboxState) -> None:
    """Zalo users and messages live apart from Telegram's: a Zalo send is not a Telegram one."""
    zstate.zalo.add_user(CHAIR)
    async with ZaloClient(ZALO_TOKEN, base_url=zserver.zalo_base_url) as client:
        await client.send_message(CHAIR, "Chào")
    assert zstate.sent() == []
    assert zstate.stats.delivered == 0
    zstate.reset()
    assert zstate.zalo.sent() == []


async def test_stopping_the_server_ends_a_waiting_poll(zstate: SandboxState) -> None:
    zstate.set_limits(zalo_poll_seconds=WAIT)
    server = SandboxServer(zstate)
    await server.start()
    async with ZaloClient(ZALO_TOKEN, base_url=server.zalo_base_url) as client:
        polling = asyncio.create_task(client.get_updates(poll_seconds=int(WAIT)))
        assert await zstate.wait(lambda: zstate.zalo.polling == 1, WAIT)
        await asyncio.wait_for(server.stop(), WAIT)
        assert await asyncio.wait_for(polling, WAIT) is None  # answered 408, not left hanging
