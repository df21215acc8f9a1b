"""Zalo updates as the router sees them, and webhook bodies in both shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.zalo import ZaloMalformedUpdate, parse_update, parse_webhook_body, to_incoming
from handlers.messages import Channel

FIXTURES = Path(__file__).parent / "zalo_fixtures"


def body_of(name: str) -> dict[str, Any]:
    """The `{ok, result}` envelope a recorded getUpdates answered (a wrapped webhook body)."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    body: dict[str, Any] = data["response"]["body"]
    return body


def test_text_becomes_a_text_incoming() -> None:
    incoming = to_incoming(parse_update(body_of("getUpdates_text")["result"]))
    assert incoming.channel is Channel.ZALO
    assert incoming.user_id == "e4ea2cd5189df1c3a88c"
    assert incoming.chat_id == "e4ea2cd5189df1c3a88c"
    assert incoming.update_id == "16f6366b3f02645a3d15"
    assert incoming.message_id == "16f6366b3f02645a3d15"
    assert incoming.display_name == "Nguyễn Văn A"
    assert incoming.text == "xong"
    assert incoming.attachment is None
    assert incoming.contact is None
    assert incoming.button_data is None


def test_slash_text_is_a_command() -> None:
    result = body_of("getUpdates_text")["result"]
    result["message"]["text"] = "/start ABC123"
    assert to_incoming(parse_update(result)).command == ("start", "ABC123")


def test_image_is_a_photo_with_its_caption() -> None:
    incoming = to_incoming(parse_update(body_of("getUpdates_image")["result"]))
    assert incoming.attachment is not None
    assert incoming.attachment.kind == "photo"
    assert incoming.attachment.file_id == "https://zdn.example.vn/anh/bien-ban.jpg"
    assert incoming.text == "kết nạp 12"


def test_sticker_is_a_sticker_attachment_without_text() -> None:
    incoming = to_incoming(parse_update(body_of("getUpdates_sticker")["result"]))
    assert incoming.attachment is not None
    assert incoming.attachment.kind == "sticker"
    assert incoming.text is None


@pytest.mark.parametrize("event_name", ["message.unsupported.received", "message.voice.received"])
def test_unsupported_has_neither_text_nor_attachment(event_name: str) -> None:
    result = body_of("getUpdates_unsupported")["result"]
    result["event_name"] = event_name
    incoming = to_incoming(parse_update(result))
    assert incoming.text is None
    assert incoming.attachment is None
    assert incoming.update_id == "16f6366b3f02645a3d15"


def test_webhook_body_wrapped_and_bare_read_the_same() -> None:
    wrapped = body_of("getUpdates_text")
    bare = wrapped["result"]
    from_wrapped = parse_webhook_body(json.dumps(wrapped).encode())
    from_bare = parse_webhook_body(json.dumps(bare, ensure_ascii=False))
    assert from_wrapped == from_bare == parse_webhook_body(bare)
    assert from_bare.message.text == "xong"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"text"',
        b"{}",
        b'{"ok": false, "error_code": 500}',
        b'{"ok": true, "result": null}',
        b'{"event_name": "message.text.received"}',
        b'{"event_name": "message.text.received", "message": {"message_id": "1"}}',
        b'{"message": {"message_id": "1", "date": 1, "chat": {"id": "c"}, "from": {}}}',
        b'{"message": {"message_id": "1", "date": "soon", "chat": {"id": "c"},'
        b' "from": {"id": "u"}}}',
        b'{"message": {"message_id": "1", "date": 1, "chat": {"id": "c"}, "from": {"id": "u"},'
        b' "text": 5}}',
        b'{"event_name": 7, "message": {"message_id": "1", "date": 1, "chat": {"id": "c"},'
        b' "from": {"id": "u"}}}',
        b"{" + b'"x": "' + b"a" * 70_000 + b'"}',
        b'{"message": {"message_id": "' + b"1" * 65 + b'", "date": 1, "chat": {"id": "c"},'
        b' "from": {"id": "u"}}}',
    ],
)
def test_malformed_webhook_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ZaloMalformedUpdate):
        parse_webhook_body(body)
