"""Webhook bodies from anyone who knows the address: random bytes, random JSON, and real
updates with fields removed or replaced by anything. The parsing either gives an update the
handlers can take or refuses it with the error the web server answers 400; no other
exception escapes (one that did would reach the platform as a 500 and be re-delivered)."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Bot

from bot.telegram_adapter import to_incoming as telegram_incoming
from bot.webhook_mode import read_telegram_update
from bot.webhook_server import BadBody, _telegram_update
from bot.zalo import ZaloMalformedUpdate, parse_webhook_body
from bot.zalo.incoming import to_incoming as zalo_incoming
from handlers.messages import Incoming

BOT = Bot("123:fuzz")  # offline: reading an update makes no request
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)

TELEGRAM_UPDATES: list[dict[str, Any]] = [
    {
        "update_id": 10,
        "message": {
            "message_id": 5,
            "date": 1766619597,
            "chat": {"id": 42, "type": "private", "first_name": "An"},
            "from": {"id": 42, "is_bot": False, "first_name": "An"},
            "text": "xong",
        },
    },
    {
        "update_id": 11,
        "callback_query": {
            "id": "77",
            "chat_instance": "1",
            "data": "a:1:d",
            "from": {"id": 42, "is_bot": False, "first_name": "An"},
            "message": {
                "message_id": 6,
                "date": 1766619597,
                "chat": {"id": 42, "type": "private"},
                "text": "Nhắc việc",
            },
        },
    },
    {
        "update_id": 12,
        "message": {
            "message_id": 7,
            "date": 1766619597,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "An"},
            "contact": {"phone_number": "+84912000011", "first_name": "An", "user_id": 42},
        },
    },
    {
        "update_id": 13,
        "message": {
            "message_id": 8,
            "date": 1766619597,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "An"},
            "caption": "cv",
            "document": {"file_id": "f", "file_unique_id": "u", "file_name": "cv.docx"},
        },
    },
]
ZALO_MESSAGE: dict[str, Any] = {
    "from": {"id": "e4ea2cd5189df1c3a88c", "display_name": "An", "is_bot": False},
    "chat": {"id": "e4ea2cd5189df1c3a88c", "chat_type": "PRIVATE"},
    "message_id": "16f6366b3f02645a3d15",
    "date": 1766619597466,
}
ZALO_UPDATES: list[dict[str, Any]] = [
    {"event_name": "message.text.received", "message": {**ZALO_MESSAGE, "text": "xong"}},
    {"event_name": "message.image.received", "message": {**ZALO_MESSAGE, "photo_url": "x"}},
    {"event_name": "message.sticker.received", "message": {**ZALO_MESSAGE, "sticker": "s"}},
    {"message": {**ZALO_MESSAGE, "text": "1"}},
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


@st.composite
def mangled(draw: st.DrawFn, bases: list[dict[str, Any]]) -> dict[str, Any]:
    """A real update with a few of its fields deleted or replaced by any JSON value."""
    update = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 4))):
        where = paths(update)
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent: Any = update
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    return update


def body_of(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def read_telegram(body: bytes) -> Incoming | None:
    """What the webhook server and the runtime do with a Telegram body; BadBody refuses."""
    return telegram_incoming(read_telegram_update(_telegram_update(body), BOT))


def read_zalo(body: bytes) -> Incoming:
    return zalo_incoming(parse_webhook_body(body))


@FUZZ
@given(st.one_of(st.binary(max_size=300), JSON.map(body_of)))
def test_any_body_is_an_update_or_a_400(body: bytes) -> None:
    with contextlib.suppress(BadBody):
        read_telegram(body)
    with contextlib.suppress(ZaloMalformedUpdate):
        read_zalo(body)


@FUZZ
@given(mangled(TELEGRAM_UPDATES))
def test_a_mangled_telegram_update_is_read_or_refused(update: dict[str, Any]) -> None:
    try:
        incoming = read_telegram(body_of(update))
    except BadBody:
        return
    if incoming is not None:
        assert incoming.update_id == str(update["update_id"])


@FUZZ
@given(mangled(ZALO_UPDATES), st.booleans())
def test_a_mangled_zalo_update_is_read_or_refused(update: dict[str, Any], wrapped: bool) -> None:
    body = body_of({"ok": True, "result": update} if wrapped else update)
    try:
        incoming = read_zalo(body)
    except ZaloMalformedUpdate:
        return
    assert incoming.user_id and incoming.chat_id and incoming.update_id
    assert len(incoming.update_id) <= 64


def test_the_real_updates_are_read() -> None:
    """The bases of the fuzzing are updates the bot reads (else it fuzzes only refusals)."""
    for update in TELEGRAM_UPDATES:
        assert read_telegram(body_of(update)) is not None
    for update in ZALO_UPDATES:
        assert read_zalo(body_of(update)).user_id == "e4ea2cd5189df1c3a88c"
