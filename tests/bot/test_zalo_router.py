"""Zalo updates, turned into `Incoming`, through the real router on the test's database:
every kind gets a polite Vietnamese answer, and a re-delivered message is handled once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.zalo import EventName, ZaloChat, ZaloMessage, ZaloUpdate, ZaloUser, to_incoming
from handlers.router import handle
from handlers.texts import NOT_REGISTERED_ZALO
from schedules.clock import ManualClock
from storage.engine import Database
from tests.handlers.harness import World

USER = "e4ea2cd5189df1c3a88c"


@pytest.fixture
def world(
    db: Database,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> World:
    return World.open(
        db, clock, folder=tmp_path, monkeypatch=monkeypatch, database_url=database_url
    )


def update(event: EventName, message_id: str, **content: str) -> ZaloUpdate:
    message = ZaloMessage(
        message_id=message_id,
        sender=ZaloUser(USER, "Chị Lan"),
        chat=ZaloChat(USER),
        date=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        **content,
    )
    return ZaloUpdate(event.value, message)


@pytest.mark.parametrize(
    ("event", "content"),
    [
        (EventName.TEXT, {"text": "xong"}),
        (EventName.IMAGE, {"photo_url": "https://example.vn/a.jpg", "caption": "xong"}),
        (EventName.IMAGE, {"photo_url": "https://example.vn/a.jpg"}),
        (EventName.STICKER, {"sticker": "0e078a2fb66a5f34067b"}),
        (EventName.UNSUPPORTED, {}),
    ],
)
def test_a_stranger_on_zalo_is_answered_politely(
    world: World, event: EventName, content: dict[str, str]
) -> None:
    incoming = to_incoming(update(event, f"m-{event.name}", **content))
    handled = handle(world.services, incoming, now=world.clock.now())
    (answer,) = handled.answers
    assert answer.text == NOT_REGISTERED_ZALO  # the invite code, not the contact button
    assert "MA " in answer.text and not answer.ask_contact
    assert answer.chat_id in (None, USER)


def test_a_redelivered_message_is_handled_once(world: World) -> None:
    incoming = to_incoming(update(EventName.TEXT, "16f6366b3f02645a3d15", text="xin chào"))
    first = handle(world.services, incoming, now=world.clock.now())
    again = handle(world.services, incoming, now=world.clock.now())
    assert first.answers
    assert again.duplicate
    assert again.answers == []
