"""JSON control routes of the Zalo dialect under /_sandbox/zalo/, and their JSON shapes.

Limits (the 2,000 characters, the quota, the poll wait) go through the shared
/_sandbox/limits route; POST /_sandbox/reset also resets this dialect.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, fields
from typing import Any

from aiohttp import web

from bot.sandbox.app_keys import STATE_KEY
from bot.sandbox.control import guard, json_body
from bot.sandbox.zalo_state import ZaloSandbox, ZaloSentMessage

ROOT = "/_sandbox/zalo"


def add_zalo_control_routes(app: web.Application) -> None:
    """Mount the Zalo control routes (the app must carry STATE_KEY)."""
    routes = app.router
    routes.add_post(f"{ROOT}/inject", guard(inject))
    routes.add_post(f"{ROOT}/users", guard(add_user))
    routes.add_get(f"{ROOT}/sent", guard(sent))
    routes.add_post(f"{ROOT}/block", guard(block))
    routes.add_get(f"{ROOT}/pending", guard(pending))
    routes.add_get(f"{ROOT}/stats", guard(stats))
    routes.add_get(f"{ROOT}/webhook", guard(webhook))


def _zalo(request: web.Request) -> ZaloSandbox:
    return request.app[STATE_KEY].zalo


def inject_zalo(zalo: ZaloSandbox, body: dict[str, Any]) -> str:
    """Dispatch {"type", "user_id", ...} to ZaloSandbox.inject_*; returns the message id."""
    kind = body["type"]
    user_id = str(body["user_id"])
    named = {"display_name": str(body["display_name"])} if body.get("display_name") else {}
    if kind == "text":
        return zalo.inject_text(user_id, str(body["text"]), **named)
    if kind == "image":
        caption = body.get("caption")
        return zalo.inject_image(
            user_id,
            str(body["photo_url"]),
            caption=None if caption is None else str(caption),
            **named,
        )
    if kind == "sticker":
        sticker = {"sticker": str(body["sticker"])} if "sticker" in body else {}
        return zalo.inject_sticker(user_id, **sticker)
    if kind == "unsupported":
        return zalo.inject_unsupported(user_id)
    raise ValueError(f"unknown Zalo injection type {kind!r}")


async def inject(request: web.Request) -> web.Response:
    """POST /_sandbox/zalo/inject → {"message_id"}."""
    message_id = inject_zalo(_zalo(request), await json_body(request))
    return web.json_response({"message_id": message_id})


async def add_user(request: web.Request) -> web.Response:
    """POST /_sandbox/zalo/users {user_id, display_name?}: a user the bot may write to."""
    body = await json_body(request)
    name = body.get("display_name")
    named = {"display_name": str(name)} if name else {}
    _zalo(request).add_user(str(body["user_id"]), **named)
    return web.json_response({"ok": True})


async def sent(request: web.Request) -> web.Response:
    """GET /_sandbox/zalo/sent?chat_id=&after_seq= → messages, oldest first."""
    chat = request.query.get("chat_id") or None
    after_seq = int(request.query.get("after_seq") or 0)
    messages = _zalo(request).sent(chat)
    return web.json_response([zalo_sent_to_json(m) for m in messages if m.seq > after_seq])


async def block(request: web.Request) -> web.Response:
    """POST /_sandbox/zalo/block {user_id, blocked}."""
    body = await json_body(request)
    _zalo(request).block(str(body["user_id"]), bool(body.get("blocked", True)))
    return web.json_response({"ok": True})


async def pending(request: web.Request) -> web.Response:
    """GET /_sandbox/zalo/pending → {"pending": updates getUpdates has not answered}."""
    return web.json_response({"pending": _zalo(request).pending_updates()})


async def stats(request: web.Request) -> web.Response:
    """GET /_sandbox/zalo/stats (responses counted by Zalo error code, 200 for ok)."""
    return web.json_response(_zalo(request).stats.to_dict())


async def webhook(request: web.Request) -> web.Response:
    """GET /_sandbox/zalo/webhook → {"url"} set by the bot ("" for none)."""
    return web.json_response({"url": _zalo(request).webhook.url})


def zalo_sent_to_json(message: ZaloSentMessage) -> dict[str, Any]:
    """A ZaloSentMessage with the photo's bytes in base64."""
    data = asdict(message)
    if message.photo is not None:
        data["photo"] = base64.b64encode(message.photo).decode("ascii")
    return data


def zalo_sent_from_json(data: dict[str, Any]) -> ZaloSentMessage:
    """Inverse of zalo_sent_to_json."""
    values = {f.name: data[f.name] for f in fields(ZaloSentMessage) if f.name in data}
    if values.get("photo") is not None:
        values["photo"] = base64.b64decode(values["photo"])
    return ZaloSentMessage(**values)
