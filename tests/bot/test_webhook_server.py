"""The webhook server on its own: secrets, bodies, both Zalo shapes, and published files."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from bot.public_files import PublicFiles
from bot.webhook_server import (
    MAX_BODY_BYTES,
    TELEGRAM_SECRET_HEADER,
    ZALO_SECRET_HEADER,
    WebhookServer,
)
from bot.zalo import ZaloUpdate
from schedules.clock import ManualClock
from storage.engine import Database
from tests.bot.test_zalo_incoming import body_of

SECRET = "s3cret-Of-the-webhook_0123456789abcdef"
TEXT_UPDATE = {
    "update_id": 7,
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "An"},
        "text": "xong",
    },
}


class Sinks:
    """What the server handed on."""

    def __init__(self) -> None:
        self.telegram: list[dict[str, Any]] = []
        self.zalo: list[ZaloUpdate] = []

    async def put_telegram(self, data: dict[str, Any]) -> None:
        self.telegram.append(data)

    async def put_zalo(self, update: ZaloUpdate) -> None:
        self.zalo.append(update)


@pytest.fixture
async def served(
    db: Database, clock: ManualClock
) -> AsyncIterator[tuple[WebhookServer, Sinks, httpx.AsyncClient]]:
    sinks = Sinks()
    files = PublicFiles(db, base_url="https://bot.example.vn/", clock=clock)
    server = WebhookServer(
        secret=SECRET, port=0, telegram=sinks.put_telegram, zalo=sinks.put_zalo, files=files
    )
    async with server, httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield server, sinks, client


async def test_telegram_update_with_the_right_secret_is_handed_on(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient],
) -> None:
    _server, sinks, client = served
    answer = await client.post(
        "/telegram/any-path", json=TEXT_UPDATE, headers={TELEGRAM_SECRET_HEADER: SECRET}
    )
    assert answer.status_code == 200
    assert sinks.telegram == [TEXT_UPDATE]
    assert (await client.get("/healthz")).text == "ok"  # what the proxy checks


@pytest.mark.parametrize("headers", [{}, {TELEGRAM_SECRET_HEADER: SECRET[:-1] + "x"}])
async def test_telegram_without_the_right_secret_is_refused_and_logged_without_body(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient],
    headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _server, sinks, client = served
    answer = await client.post("/telegram", json=TEXT_UPDATE, headers=headers)
    assert answer.status_code == 403
    assert sinks.telegram == []
    assert "refused" in caplog.text
    assert "xong" not in caplog.text and SECRET[:-1] not in caplog.text


async def test_zalo_secret_is_its_own_header(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient],
) -> None:
    _server, sinks, client = served
    body = body_of("getUpdates_text")
    wrong_header = await client.post("/zalo", json=body, headers={TELEGRAM_SECRET_HEADER: SECRET})
    assert wrong_header.status_code == 403
    assert sinks.zalo == []


@pytest.mark.parametrize("wrapped", [True, False], ids=["wrapped", "bare"])
async def test_zalo_body_in_both_shapes(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient], wrapped: bool
) -> None:
    server, sinks, client = served
    body = body_of("getUpdates_text")
    sent = body if wrapped else body["result"]
    answer = await client.post("/zalo/hook", json=sent, headers={ZALO_SECRET_HEADER: SECRET})
    assert answer.status_code == 200
    await server.stop()  # waits for the updates in hand
    assert [update.message.text for update in sinks.zalo] == ["xong"]


@pytest.mark.parametrize(
    ("path", "header", "body"),
    [
        ("/telegram", TELEGRAM_SECRET_HEADER, b"{not json"),
        ("/telegram", TELEGRAM_SECRET_HEADER, b'{"message": {}}'),  # no update_id
        ("/telegram", TELEGRAM_SECRET_HEADER, b"[1, 2]"),
        ("/zalo", ZALO_SECRET_HEADER, b"{not json"),
        ("/zalo", ZALO_SECRET_HEADER, b'{"ok": false, "result": {}}'),
        ("/zalo", ZALO_SECRET_HEADER, b'{"event_name": "message.text.received"}'),
    ],
)
async def test_malformed_body_is_400(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient], path: str, header: str, body: bytes
) -> None:
    _server, sinks, client = served
    answer = await client.post(path, content=body, headers={header: SECRET})
    assert answer.status_code == 400
    assert sinks.telegram == [] and sinks.zalo == []


@pytest.mark.parametrize("path", ["/telegram", "/zalo"])
@pytest.mark.parametrize("chunked", [False, True], ids=["sized", "chunked"])
async def test_oversized_body_is_400(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient], path: str, chunked: bool
) -> None:
    _server, sinks, client = served
    padding = "x" * (MAX_BODY_BYTES + 10)
    raw = json.dumps({**TEXT_UPDATE, "padding": padding}).encode()

    async def stream() -> AsyncIterator[bytes]:  # no Content-Length: read to the bound
        for start in range(0, len(raw), 65536):
            yield raw[start : start + 65536]

    headers = {TELEGRAM_SECRET_HEADER: SECRET, ZALO_SECRET_HEADER: SECRET}
    content: Any = stream() if chunked else raw
    answer = await client.post(path, content=content, headers=headers)
    assert answer.status_code == 400
    assert sinks.telegram == [] and sinks.zalo == []
    # and the server still serves
    ok = await client.post("/telegram", json=TEXT_UPDATE, headers=headers)
    assert ok.status_code == 200


async def test_unreadable_update_from_the_sink_is_400(db: Database, clock: ManualClock) -> None:
    from bot.webhook_server import BadBody

    async def refuse(data: dict[str, Any]) -> None:
        raise BadBody("PTB cannot read it")

    server = WebhookServer(secret=SECRET, port=0, telegram=refuse)
    async with server, httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        headers = {TELEGRAM_SECRET_HEADER: SECRET, ZALO_SECRET_HEADER: SECRET}
        answer = await client.post("/telegram", json=TEXT_UPDATE, headers=headers)
        zalo = await client.post("/zalo", json={}, headers=headers)
    assert answer.status_code == 400
    assert zalo.status_code == 404  # no Zalo channel: nothing listens there


async def test_published_file_is_served_until_it_expires(
    served: tuple[WebhookServer, Sinks, httpx.AsyncClient], db: Database, clock: ManualClock
) -> None:
    _server, _sinks, client = served
    files = PublicFiles(db, base_url="https://bot.example.vn/", clock=clock)
    chart = b"\x89PNG\r\n\x1a\n chart"
    url = await files.publish(chart, "image/png", ttl=timedelta(hours=1))
    other = await files.publish(chart, "image/png", ttl=timedelta(hours=1))
    assert url.startswith("https://bot.example.vn/files/")
    assert url != other
    assert len(url.rsplit("/", 1)[1]) >= 43  # 256 random bits
    path = url.removeprefix("https://bot.example.vn")

    served_now = await client.get(path)
    assert served_now.status_code == 200
    assert served_now.content == chart
    assert served_now.headers["content-type"] == "image/png"

    assert (await client.get("/files/unknown-token")).status_code == 404
    clock.advance(timedelta(hours=1, seconds=1))
    assert (await client.get(path)).status_code == 404
    assert await files.forget_expired() == 2


@pytest.mark.parametrize("path", ["/telegram", "/zalo"])
async def test_an_update_that_cannot_be_kept_is_not_acknowledged(
    monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The spool's disk is full: 500, so the platform delivers the update again later."""
    sinks = Sinks()

    async def full(update: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sinks, "put_telegram" if path == "/telegram" else "put_zalo", full)
    server = WebhookServer(secret=SECRET, port=0, telegram=sinks.put_telegram, zalo=sinks.put_zalo)
    async with server, httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as local:
        body = TEXT_UPDATE if path == "/telegram" else body_of("getUpdates_text")
        header = TELEGRAM_SECRET_HEADER if path == "/telegram" else ZALO_SECRET_HEADER
        answer = await local.post(path, json=body, headers={header: SECRET})
    assert answer.status_code == 500
