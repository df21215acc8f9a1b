"""Files on Zalo without a server: a row's photo goes by `sendPhoto` with its published
address and the text as caption, a workbook as a line with its link, and a bot with no public
address says so in the message instead of dropping the file; an answer's file alike."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiolimiter import AsyncLimiter

from bot.zalo import ZaloClient
from bot.zalo_channel import ZaloChannel, ZaloSender
from bot.zalo_files import LINK_TTL, PHOTO_TTL
from handlers.messages import Incoming, Outgoing
from handlers.router import Handled
from schedules.clock import ManualClock
from schedules.dispatcher import RetryLater, Sent
from storage.engine import Database
from storage.outbox import ClaimedMessage, FileKind, OutgoingFile
from tests.bot.test_zalo_channel import update

Send = Callable[[Handled], Awaitable[None]]
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART = OutgoingFile(FileKind.PHOTO, "tong-hop-tuan-47.png", "image/png", b"\x89PNG" + bytes(64))
BOOK = OutgoingFile(FileKind.DOCUMENT, "Tổng hợp tuần 47.xlsx", XLSX, b"PK\x03\x04" + bytes(64))


class Publisher:
    """Stands in for `bot.public_files.PublicFiles`: keeps what was published."""

    def __init__(self, *, fail: bool = False) -> None:
        self.published: list[tuple[bytes, str, timedelta]] = []
        self._fail = fail

    async def publish(self, content: bytes, mime_type: str, ttl: timedelta = PHOTO_TTL) -> str:
        if self._fail:
            raise OSError("database unreachable")
        self.published.append((content, mime_type, ttl))
        return f"https://bot.example.vn/files/token{len(self.published)}"


class Zalo:
    """A Zalo Bot API stand-in over httpx's mock transport: records calls, answers ok, or
    429 for the calls named in `quota_on` (by their order, from 1)."""

    def __init__(self, quota_on: tuple[int, ...] = ()) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._quota_on = quota_on

    def client(self) -> ZaloClient:
        def serve(request: httpx.Request) -> httpx.Response:
            self.calls.append((request.url.path.rsplit("/", 1)[1], json.loads(request.content)))
            if len(self.calls) in self._quota_on:
                return httpx.Response(200, json={"ok": False, "error_code": 429})
            sent = {"message_id": f"m{len(self.calls)}", "date": 1763604000000}
            return httpx.Response(200, json={"ok": True, "result": sent})

        transport = httpx.MockTransport(serve)
        return ZaloClient("1:token", transport=transport, quota_backoff_seconds=0.01)


def row(
    text: str, file: OutgoingFile, choices: list[list[dict[str, str]]] | None = None
) -> ClaimedMessage:
    return ClaimedMessage(
        id=1,
        key="summary:1:2026-W47:1",
        channel="zalo",
        chat_id="c1",
        account_id=999_999,
        text=text,
        choices=choices,
        attempts=1,
        file=file,
    )


async def send(zalo: Zalo, message: ClaimedMessage, db: Database, files: Any) -> Any:
    async with zalo.client() as client:
        sender = ZaloSender(client, AsyncLimiter(100, 1), db, ManualClock(NOW), files=files)
        return await sender.send(message)


async def test_a_chart_goes_as_a_photo_by_its_published_address(db: Database) -> None:
    zalo, files = Zalo(), Publisher()
    outcome = await send(zalo, row("📊 Biểu đồ tổng hợp — LĐLĐ huyện", CHART), db, files)
    assert isinstance(outcome, Sent)
    assert files.published == [(CHART.content, "image/png", PHOTO_TTL)]
    assert zalo.calls == [
        (
            "sendPhoto",
            {
                "chat_id": "c1",
                "photo": "https://bot.example.vn/files/token1",
                "caption": "📊 Biểu đồ tổng hợp — LĐLĐ huyện",
            },
        )
    ]


async def test_a_workbook_goes_as_a_link_that_says_when_it_expires(db: Database) -> None:
    zalo, files = Zalo(), Publisher()
    outcome = await send(zalo, row("📎 Bảng tổng hợp (Excel) — LĐLĐ huyện", BOOK), db, files)
    assert isinstance(outcome, Sent)
    assert files.published == [(BOOK.content, XLSX, LINK_TTL)]
    ((method, body),) = zalo.calls
    assert method == "sendMessage"
    assert body["text"] == (
        "📎 Bảng tổng hợp (Excel) — LĐLĐ huyện\n"
        "Tải tệp «Tổng hợp tuần 47.xlsx» (hết hạn sau 24 giờ): "
        "https://bot.example.vn/files/token1"
    )


async def test_a_notice_picture_is_published_once_for_all_its_recipients(
    db: Database,
) -> None:
    """300 chairs of a branch get one notice picture: one stored copy, one address, not 300."""
    picture = OutgoingFile(
        FileKind.PHOTO, "so-do.png", "image/png", b"\x89PNG" + bytes(64), "broadcast:7"
    )
    zalo, files = Zalo(), Publisher()
    clock = ManualClock(NOW)
    async with zalo.client() as client:
        sender = ZaloSender(client, AsyncLimiter(100, 1), db, clock, files=files)
        for _ in range(3):
            assert isinstance(await sender.send(row("📢 Thông báo", picture)), Sent)
        assert len(files.published) == 1
        assert {body["photo"] for _, body in zalo.calls} == {"https://bot.example.vn/files/token1"}
        clock.advance(PHOTO_TTL * 0.6)  # less than half its life left: a fresh address
        assert isinstance(await sender.send(row("📢 Thông báo", picture)), Sent)
        assert len(files.published) == 2


@pytest.mark.parametrize("file", [CHART, BOOK])
async def test_without_a_public_address_the_text_says_where_to_get_the_file(
    file: OutgoingFile, db: Database
) -> None:
    zalo = Zalo()
    outcome = await send(zalo, row("📎 Bản tin tuần", file), db, None)
    assert isinstance(outcome, Sent)  # sent, not silently dropped, and not retried for ever
    ((method, body),) = zalo.calls
    assert method == "sendMessage"
    assert body["text"].startswith("📎 Bản tin tuần\n⚠️ Tệp «")
    assert "không gửi được qua Zalo từ máy chủ này" in body["text"]
    assert "/tuantong" in body["text"]


async def test_a_file_that_cannot_be_published_retries_the_row_and_sends_nothing(
    db: Database,
) -> None:
    zalo = Zalo()
    outcome = await send(zalo, row("📊 Biểu đồ", CHART), db, Publisher(fail=True))
    assert isinstance(outcome, RetryLater) and "file not published" in outcome.error
    assert zalo.calls == []


async def test_a_429_on_the_photo_after_its_text_is_waited_out_without_sending_the_text_again(
    db: Database,
) -> None:
    long_text = "Thông báo: " + "CĐCS đã nộp báo cáo. " * 94  # full: its list goes apart
    assert 1950 < len(long_text) <= 2000
    choices = [[{"label": "✅ Đã nhận", "data": "ack:1"}]]
    zalo = Zalo(quota_on=(2,))  # the photo meets a 429 once
    outcome = await send(zalo, row(long_text, CHART, choices), db, Publisher())
    assert isinstance(outcome, Sent)
    assert [method for method, _ in zalo.calls] == ["sendMessage", "sendPhoto", "sendPhoto"]
    assert zalo.calls[0][1]["text"] == long_text
    assert zalo.calls[2][1]["caption"].endswith("1. ✅ Đã nhận")


async def test_an_answer_with_a_file_reaches_a_zalo_chat_as_a_photo() -> None:
    zalo, files = Zalo(), Publisher()

    async def handle(incoming: Incoming, send: Send, arrived: datetime | None) -> Handled:
        handled = Handled([Outgoing("Bản tin tuần"), Outgoing("📊 Biểu đồ", file=CHART)])
        await send(handled)
        return handled

    async with zalo.client() as client:
        channel = ZaloChannel(
            client, handle, lambda: None, limiter=AsyncLimiter(100, 1), files=files
        )
        await channel.handle_update(update("u1", "m1", "/tuantong"))
    assert [(method, body.get("caption")) for method, body in zalo.calls] == [
        ("sendMessage", None),
        ("sendPhoto", "📊 Biểu đồ"),
    ]


async def test_an_answers_file_that_cannot_be_published_is_named_in_the_text() -> None:
    zalo = Zalo()

    async def handle(incoming: Incoming, send: Send, arrived: datetime | None) -> Handled:
        handled = Handled([Outgoing("📎 Bảng tổng hợp", file=BOOK)])
        await send(handled)
        return handled

    async with zalo.client() as client:
        channel = ZaloChannel(
            client, handle, lambda: None, limiter=AsyncLimiter(100, 1), files=Publisher(fail=True)
        )
        await channel.handle_update(update("u1", "m1", "/tuantong"))
    ((method, body),) = zalo.calls
    assert method == "sendMessage" and "chưa gửi được lúc này" in body["text"]


async def test_without_a_public_address_a_notice_picture_points_to_its_sender(
    db: Database,
) -> None:
    """A notice's picture is not the weekly summary: no /tuantong hint, its sender is asked."""
    picture = OutgoingFile(
        FileKind.PHOTO, "so-do.png", "image/png", b"\x89PNG" + bytes(64), "broadcast:7"
    )
    zalo = Zalo()
    outcome = await send(zalo, row("📢 Thông báo", picture), db, None)
    assert isinstance(outcome, Sent)
    ((method, body),) = zalo.calls
    assert method == "sendMessage"
    assert "nhờ cán bộ gửi thông báo gửi lại" in body["text"]
    assert "/tuantong" not in body["text"]
