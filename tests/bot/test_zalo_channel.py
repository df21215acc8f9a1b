"""The Zalo channel's parts without a server: what the outbox sender makes of Zalo's
answers (429 → retry after the client's advice, 403/400 → unreachable), a row's buttons
sent as a numbered list, and one chat's updates answered in the order they came."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiolimiter import AsyncLimiter

from bot.turns import Turns
from bot.zalo import EventName, ZaloChat, ZaloClient, ZaloMessage, ZaloUpdate, ZaloUser
from bot.zalo_channel import ZaloChannel, ZaloSender
from handlers.messages import Choice, Incoming, Outgoing
from handlers.router import Handled
from schedules.answer_buttons import answer_choices
from schedules.clock import ManualClock
from schedules.dispatcher import Rejected, RetryLater, Sent, Unreachable
from storage.engine import Database
from storage.outbox import ClaimedMessage

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def client_answering(
    answer: Callable[[dict[str, Any]], dict[str, Any]], sent: list[dict[str, Any]]
) -> ZaloClient:
    def serve(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        return httpx.Response(200, json=answer(body))

    return ZaloClient("1:token", transport=httpx.MockTransport(serve), quota_backoff_seconds=45.0)


def row(
    text: str = "Nhắc việc", choices: list[list[dict[str, str]]] | None = None
) -> ClaimedMessage:
    return ClaimedMessage(
        id=1,
        key="k",
        channel="zalo",
        chat_id="c1",
        account_id=999_999,  # no such account: the list is not kept, the row is sent all the same
        text=text,
        choices=choices,
        attempts=0,
    )


def ok(body: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "result": {"message_id": "m1", "date": 1763604000000}}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"ok": False, "error_code": 429, "description": "Quota exceeded"}, RetryLater),
        ({"ok": False, "error_code": 403, "description": "Blocked"}, Unreachable),
        ({"ok": False, "error_code": 400, "description": "Chat not found"}, Unreachable),
        ({"ok": False, "error_code": 413, "description": "Too long"}, Rejected),
        ({"ok": False, "error_code": 500, "description": "Internal"}, RetryLater),
    ],
)
async def test_zalo_failures_tell_the_outbox_what_to_do(
    answer: dict[str, Any], expected: type, db: Database
) -> None:
    sent: list[dict[str, Any]] = []
    async with client_answering(lambda body: answer, sent) as client:
        sender = ZaloSender(client, AsyncLimiter(100, 1), db, ManualClock(NOW))
        outcome = await sender.send(row())
    assert isinstance(outcome, expected)
    if answer["error_code"] == 429:
        assert isinstance(outcome, RetryLater) and outcome.after == timedelta(seconds=45)


async def test_a_reminder_goes_out_as_a_numbered_list(db: Database) -> None:
    sent: list[dict[str, Any]] = []
    async with client_answering(ok, sent) as client:
        sender = ZaloSender(client, AsyncLimiter(100, 1), db, ManualClock(NOW))
        outcome = await sender.send(row(choices=answer_choices(7)))
        assert outcome == Sent("m1")
        long = "x" * 1990
        assert await sender.send(row(long, answer_choices(7))) == Sent("m1")
    assert sent[0]["text"].endswith("1. ✅ Đã xong\n2. ⏳ Đang làm\n3. ⚠️ Vướng mắc")
    # A row's last part already full: the list follows in a message of its own.
    assert sent[1]["text"] == long
    assert sent[2]["text"].endswith("3. ⚠️ Vướng mắc")
    assert all(len(message["text"]) <= 2000 for message in sent)


def update(chat: str, message_id: str, text: str) -> ZaloUpdate:
    message = ZaloMessage(
        message_id=message_id,
        sender=ZaloUser(chat, "Chị Lan"),
        chat=ZaloChat(chat),
        date=NOW,
        text=text,
    )
    return ZaloUpdate(EventName.TEXT.value, message)


async def test_one_chat_is_answered_in_order_and_a_failure_gets_the_apology() -> None:
    sent: list[dict[str, Any]] = []
    release = asyncio.Event()

    async def handle(incoming: Incoming, arrived: datetime) -> Handled:
        if incoming.text == "first":
            await release.wait()  # the first message is slow; the second must wait for it
        if incoming.text == "boom":
            raise RuntimeError("handler failed")
        choices = ((Choice("Có", "x:1"),),) if incoming.text == "second" else ()
        return Handled([Outgoing(f"re: {incoming.text}", choices=choices)])

    async with client_answering(ok, sent) as client:
        run = Turns(handle, None, ManualClock(NOW)).run
        channel = ZaloChannel(client, run, lambda: None, limiter=AsyncLimiter(100, 1))
        await channel.receive(update("c1", "1", "first"))
        await channel.receive(update("c1", "2", "second"))
        await channel.receive(update("c2", "3", "boom"))
        await asyncio.sleep(0)
        release.set()
        await channel.stop()
    texts = {(m["chat_id"], m["text"]) for m in sent}
    assert [m["text"] for m in sent if m["chat_id"] == "c1"] == [
        "re: first",
        "re: second\n\nAnh/chị gõ số thứ tự để chọn:\n1. Có",
    ]
    assert any(chat == "c2" and "Xin lỗi" in text for chat, text in texts)
