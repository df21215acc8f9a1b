"""JSON control routes under /_sandbox/: SandboxState for a test or demo in another process."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.app_keys import STATE_KEY
from bot.sandbox.state import SandboxState
from bot.sandbox.wire import (
    fault_from_json,
    fault_to_json,
    limit_changes,
    limits_to_json,
    sent_to_json,
)

Handler = Callable[[web.Request], Awaitable[web.Response]]

# Per kind of injection: the optional fields passed through as keyword arguments.
_INJECT_OPTIONS: dict[str, tuple[str, ...]] = {
    "text": ("first_name", "last_name", "username"),
    "contact": ("contact_user_id", "first_name"),
    "button": (),
    "document": ("mime_type", "caption"),
    "photo": ("caption",),
    "sticker": (),
}


def add_control_routes(app: web.Application) -> None:
    """Mount the control routes (the app must carry STATE_KEY)."""
    routes = app.router
    routes.add_post("/_sandbox/inject", guard(inject))
    routes.add_get("/_sandbox/sent", guard(sent))
    routes.add_post("/_sandbox/block", guard(block))
    routes.add_get("/_sandbox/faults", guard(list_faults))
    routes.add_post("/_sandbox/faults", guard(add_fault))
    routes.add_delete("/_sandbox/faults", guard(clear_faults))
    routes.add_get("/_sandbox/limits", guard(get_limits))
    routes.add_post("/_sandbox/limits", guard(set_limits))
    routes.add_get("/_sandbox/stats", guard(stats))
    routes.add_post("/_sandbox/reset", guard(reset))
    routes.add_get("/_sandbox/pending", guard(pending))


def guard(handler: Handler) -> Handler:
    """Answer a malformed control request with 400 and the reason, not a 500 (both
    dialects' control routes)."""

    async def guarded(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except (KeyError, TypeError, ValueError) as error:
            return web.json_response({"error": f"{type(error).__name__}: {error}"}, status=400)

    return guarded


def _state(request: web.Request) -> SandboxState:
    return request.app[STATE_KEY]


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object; TypeError (a 400 through `guard`) for anything else."""
    body = await request.json()
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    return body


def inject_update(state: SandboxState, body: dict[str, Any]) -> int:
    """Dispatch {"type", "user_id", ...} to the matching SandboxState.inject_*."""
    kind = body["type"]
    if kind not in _INJECT_OPTIONS:
        raise ValueError(f"unknown injection type {kind!r}")
    user_id = int(body["user_id"])
    options = {key: body[key] for key in _INJECT_OPTIONS[kind] if key in body}
    if kind == "text":
        return state.inject_text(user_id, str(body["text"]), **options)
    if kind == "contact":
        return state.inject_contact(user_id, str(body["phone"]), **options)
    if kind == "button":
        return state.inject_button(user_id, int(body["message_id"]), str(body["data"]))
    if kind == "document":
        content = base64.b64decode(body["content"])
        return state.inject_document(user_id, str(body["file_name"]), content, **options)
    if kind == "photo":
        return state.inject_photo(user_id, base64.b64decode(body["content"]), **options)
    return state.inject_sticker(user_id)


async def inject(request: web.Request) -> web.Response:
    """POST /_sandbox/inject → {"update_id"}."""
    update_id = inject_update(_state(request), await json_body(request))
    return web.json_response({"update_id": update_id})


async def sent(request: web.Request) -> web.Response:
    """GET /_sandbox/sent?chat_id=&after_seq= → messages, oldest first."""
    chat = request.query.get("chat_id")
    after_seq = int(request.query.get("after_seq") or 0)
    messages = _state(request).sent(int(chat) if chat else None)
    return web.json_response([sent_to_json(m) for m in messages if m.seq > after_seq])


async def block(request: web.Request) -> web.Response:
    """POST /_sandbox/block {chat_id, blocked}."""
    body = await json_body(request)
    _state(request).block(int(body["chat_id"]), bool(body.get("blocked", True)))
    return web.json_response({"ok": True})


async def list_faults(request: web.Request) -> web.Response:
    """GET /_sandbox/faults → the faults still armed."""
    return web.json_response([fault_to_json(f) for f in _state(request).faults()])


async def add_fault(request: web.Request) -> web.Response:
    """POST /_sandbox/faults with a Fault as JSON."""
    _state(request).add_fault(fault_from_json(await json_body(request)))
    return web.json_response({"ok": True})


async def clear_faults(request: web.Request) -> web.Response:
    """DELETE /_sandbox/faults."""
    _state(request).clear_faults()
    return web.json_response({"ok": True})


async def get_limits(request: web.Request) -> web.Response:
    """GET /_sandbox/limits."""
    return web.json_response(limits_to_json(_state(request).limits))


async def set_limits(request: web.Request) -> web.Response:
    """POST /_sandbox/limits with some of Limits' fields → all limits now in force."""
    limits = _state(request).set_limits(**limit_changes(await json_body(request)))
    return web.json_response(limits_to_json(limits))


async def stats(request: web.Request) -> web.Response:
    """GET /_sandbox/stats."""
    return web.json_response(_state(request).stats.to_dict())


async def reset(request: web.Request) -> web.Response:
    """POST /_sandbox/reset."""
    _state(request).reset()
    return web.json_response({"ok": True})


async def pending(request: web.Request) -> web.Response:
    """GET /_sandbox/pending → {"pending": updates the bot has not fetched}."""
    return web.json_response({"pending": _state(request).pending_updates()})
