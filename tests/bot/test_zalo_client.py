"""The Zalo client against recorded request/response shapes, served by httpx.MockTransport."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.zalo import (
    EventName,
    ZaloApiError,
    ZaloClient,
    ZaloMalformedResponse,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
)

FIXTURES = Path(__file__).parent / "zalo_fixtures"
TOKEN = "1459232241454765289:ZpQrSecretTokenValue42"
BASE = "https://bot-api.zaloplatforms.com"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


class Recorder:
    """Answers every request with one fixture's response and keeps the requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answer: dict[str, Any] = {}

    def serve(self, name: str) -> dict[str, Any]:
        data = fixture(name)
        self.answer = data["response"]
        return data

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answer
        if "body" in answer:
            return httpx.Response(answer["status"], json=answer["body"])
        return httpx.Response(
            answer["status"],
            text=answer["text"],
            headers={"Content-Type": answer.get("content_type", "text/plain")},
        )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def zalo(recorder: Recorder) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(TOKEN, transport=httpx.MockTransport(recorder)) as client:
        yield client


def assert_request(recorder: Recorder, data: dict[str, Any]) -> None:
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/bot{TOKEN}/{data['request']['method']}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("nhacviec-zalo/")
    assert json.loads(request.content) == data["request"]["json"]


async def test_get_me(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("getMe_ok")
    bot = await zalo.get_me()
    assert_request(recorder, data)
    assert bot.id == "1459232241454765289"
    assert bot.account_name == "bot.VDKyGxQvc"
    assert bot.can_join_groups is False


async def test_get_updates_text(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("getUpdates_text")
    update = await zalo.get_updates()
    assert_request(recorder, data)
    assert update is not None
    assert update.event is EventName.TEXT
    message = update.message
    assert message.text == "xong"
    assert message.sender.id == "e4ea2cd5189df1c3a88c"
    assert message.sender.display_name == "Nguyễn Văn A"
    assert message.chat.id == "e4ea2cd5189df1c3a88c"
    assert message.message_id == "16f6366b3f02645a3d15"
    assert message.date == datetime(2025, 12, 24, 23, 39, 57, 466000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "event", "check"),
    [
        (
            "getUpdates_image",
            EventName.IMAGE,
            lambda m: m.photo_url.endswith("bien-ban.jpg") and m.caption == "kết nạp 12",
        ),
        ("getUpdates_sticker", EventName.STICKER, lambda m: m.sticker == "0e078a2fb66a5f34067b"),
        ("getUpdates_unsupported", EventName.UNSUPPORTED, lambda m: m.text is None),
        (
            "getUpdates_without_event_name",
            EventName.TEXT,
            lambda m: m.text == "Xin chào" and m.sender.display_name == "Nguyen Van A",
        ),
    ],
)
async def test_get_updates_other_events(
    zalo: ZaloClient,
    recorder: Recorder,
    name: str,
    event: EventName,
    check: Callable[[Any], bool],
) -> None:
    recorder.serve(name)
    update = await zalo.get_updates()
    assert update is not None
    assert update.event is event
    assert check(update.message)


async def test_get_updates_408_means_no_update_yet(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("getUpdates_408")
    assert await zalo.get_updates() is None
    assert_request(recorder, data)


async def test_get_updates_poll_time_is_sent_and_outwaited(recorder: Recorder) -> None:
    recorder.serve("getUpdates_408")
    async with ZaloClient(TOKEN, transport=httpx.MockTransport(recorder)) as client:
        assert await client.get_updates(poll_seconds=5) is None
    (request,) = recorder.requests
    assert json.loads(request.content) == {"timeout": "5"}
    # httpx must not end the long poll before Zalo does
    assert request.extensions["timeout"]["read"] > 5
    assert request.extensions["timeout"]["connect"] == 5.0  # a dead host is still noticed fast


async def test_send_message(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("sendMessage_ok")
    sent = await zalo.send_message("e4ea2cd5189df1c3a88c", "Đã ghi nhận: xong. Cảm ơn anh/chị.")
    assert_request(recorder, data)
    assert sent.message_id == "82599fa32f56d00e8941"
    # a send is a short request: a stalled connection fails in seconds, the outbox retries
    assert recorder.requests[0].extensions["timeout"]["read"] == 15.0
    assert sent.date == datetime.fromtimestamp(1749632637.199, tz=UTC)


async def test_send_photo_is_a_url(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("sendPhoto_ok")
    sent = await zalo.send_photo(
        "e4ea2cd5189df1c3a88c",
        "https://nhacviec.example.vn/f/3k9QxZ/bieu-do.png",
        caption="Tổng hợp tuần",
    )
    assert_request(recorder, data)
    assert sent.message_id == "82599fa32f56d00e8942"


async def test_send_chat_action(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("sendChatAction_ok")
    assert await zalo.send_chat_action("e4ea2cd5189df1c3a88c") is None
    assert_request(recorder, data)


async def test_webhook_methods(zalo: ZaloClient, recorder: Recorder) -> None:
    data = recorder.serve("setWebhook_ok")
    info = await zalo.set_webhook("https://nhacviec.example.vn/zalo", "mykey-abcxyz")
    assert_request(recorder, data)
    assert info.url == "https://nhacviec.example.vn/zalo"
    assert info.updated_at == datetime.fromtimestamp(1749538250.568, tz=UTC)
    recorder.requests.clear()
    data = recorder.serve("getWebhookInfo_ok")
    assert (await zalo.get_webhook_info()).url == "https://nhacviec.example.vn/zalo"
    assert_request(recorder, data)
    recorder.requests.clear()
    data = recorder.serve("deleteWebhook_ok")
    assert (await zalo.delete_webhook()).url == ""
    assert_request(recorder, data)


async def test_bad_token_comes_in_a_200(zalo: ZaloClient, recorder: Recorder) -> None:
    recorder.serve("unauthorized_in_200")
    with pytest.raises(ZaloUnauthorized) as caught:
        await zalo.get_me()
    assert caught.value.error_code == 401
    assert caught.value.method == "getMe"


async def test_quota_exceeded_advises_a_back_off(recorder: Recorder) -> None:
    recorder.serve("quota_429")
    transport = httpx.MockTransport(recorder)
    async with ZaloClient(TOKEN, transport=transport, quota_backoff_seconds=90) as client:
        with pytest.raises(ZaloQuotaExceeded) as caught:
            await client.send_message("e4ea2cd5189df1c3a88c", "Nhắc việc")
    assert caught.value.error_code == 429
    assert caught.value.retry_after == 90


async def test_quota_exceeded_uses_zalo_retry_after_when_given(recorder: Recorder) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"ok": False, "error_code": 429, "parameters": {"retry_after": 7}}
        return httpx.Response(200, json=body)

    async with ZaloClient(TOKEN, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ZaloQuotaExceeded) as caught:
            await client.send_message("u", "x")
    assert caught.value.retry_after == 7


async def test_other_errors_are_generic(zalo: ZaloClient, recorder: Recorder) -> None:
    recorder.serve("text_too_long_400")
    with pytest.raises(ZaloApiError) as caught:
        await zalo.send_message("e4ea2cd5189df1c3a88c", "a")
    assert type(caught.value) is ZaloApiError
    assert caught.value.error_code == 400
    assert "2000" in caught.value.description


@pytest.mark.parametrize("name", ["malformed_html_502", "malformed_no_ok", "malformed_result"])
async def test_malformed_answers(zalo: ZaloClient, recorder: Recorder, name: str) -> None:
    data = recorder.serve(name)
    calls = {"getMe": zalo.get_me, "sendMessage": partial(zalo.send_message, "u", "a")}
    with pytest.raises(ZaloMalformedResponse) as caught:
        await calls[data["request"]["method"]]()
    assert caught.value.status_code == data["response"]["status"]


# ----- the token stays secret ----------------------------------------------------------------


def _everything_said(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error) + str(error)


async def test_token_not_in_network_error_nor_its_traceback() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    async with ZaloClient(TOKEN, transport=httpx.MockTransport(refuse)) as client:
        assert TOKEN not in repr(client)
        with pytest.raises(ZaloNetworkError) as caught:
            await client.send_message("u", "x")
    said = _everything_said(caught.value)
    assert "ConnectError" in said
    assert TOKEN not in said
    assert TOKEN.split(":")[1] not in said
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


async def test_token_not_in_a_real_failed_connection() -> None:
    # Port 9 (discard) on 127.0.0.1 is closed on a test machine: a real refused connection.
    async with ZaloClient(TOKEN, base_url="http://127.0.0.1:9") as client:
        with pytest.raises(ZaloNetworkError) as caught:
            await client.get_me()
    assert TOKEN.split(":")[1] not in _everything_said(caught.value)


async def test_token_not_in_timeout_error() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)

    async with ZaloClient(TOKEN, transport=httpx.MockTransport(hang)) as client:
        with pytest.raises(ZaloNetworkError) as caught:
            await client.get_updates()
    assert caught.value.timed_out
    assert TOKEN not in _everything_said(caught.value)


async def test_token_echoed_in_a_description_is_masked() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        body = {"ok": False, "error_code": 401, "description": f"bad token {TOKEN}"}
        return httpx.Response(200, json=body)

    async with ZaloClient(TOKEN, transport=httpx.MockTransport(echo)) as client:
        with pytest.raises(ZaloUnauthorized) as caught:
            await client.get_me()
    assert TOKEN not in _everything_said(caught.value)


async def test_token_not_in_httpx_log_lines(
    zalo: ZaloClient, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    recorder.serve("getMe_ok")
    # Other tests may have run configure_logging, which quietens httpx: open it up again.
    with caplog.at_level(logging.DEBUG, logger="httpx"), caplog.at_level(logging.DEBUG):
        await zalo.get_me()
    assert "HTTP Request: POST" in caplog.text  # httpx did log the request ...
    assert TOKEN not in caplog.text  # ... without the token
    assert TOKEN.split(":")[1] not in caplog.text
