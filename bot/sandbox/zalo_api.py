"""The Zalo dialect over HTTP: `POST /zalo/bot{TOKEN}/{method}` with a JSON body.

Every answer is HTTP 200 with Zalo's envelope, errors included: the real platform answers a
bad token that way, so a client that trusts the status instead of the body fails here too.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.sandbox.app_keys import LIFECYCLE_KEY, STATE_KEY
from bot.sandbox.errors import ApiError
from bot.sandbox.zalo_methods import METHODS, ZaloCall
from bot.sandbox.zalo_state import ZaloSandbox

PREFIX = "/zalo"
_CANONICAL = {name.lower(): name for name in METHODS}


def add_zalo_routes(app: web.Application) -> None:
    """Mount the Zalo Bot API under /zalo (the app must carry STATE_KEY)."""
    app.router.add_post(PREFIX + "/bot{token}/{method}", handle_zalo_method)


def _answer(zalo: ZaloSandbox, body: dict[str, Any]) -> web.Response:
    code = 200 if body.get("ok") else int(body.get("error_code") or 500)
    zalo.stats.responses[code] += 1
    if code == 429:
        zalo.stats.throttled += 1
    return web.json_response(body, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _error(zalo: ZaloSandbox, error: ApiError) -> web.Response:
    body = {"ok": False, "error_code": error.status, "description": error.description}
    return _answer(zalo, body)


async def handle_zalo_method(request: web.Request) -> web.Response:
    """One call: token, method, JSON parameters, injected fault, then the method itself.

    stats.responses counts Zalo's error codes (200 for ok), not HTTP statuses.
    """
    zalo = request.app[STATE_KEY].zalo
    lifecycle = request.app[LIFECYCLE_KEY]
    asked = request.match_info["method"]
    name = _CANONICAL.get(asked.lower())
    zalo.stats.requests[name or asked] += 1
    try:
        zalo.check_token(request.match_info["token"])
        if name is None:
            raise ApiError(404, "Not Found: unknown method")
        params = await _read_params(request)
        fault = zalo.take_fault(name)
        if fault is not None:
            if fault.status == "hang":
                await request.app[STATE_KEY].wait(lambda: lifecycle.stopping, fault.hang_seconds)
                raise ApiError(500, fault.error_description())
            raise ApiError(fault.status, fault.error_description())
        result = await METHODS[name](ZaloCall(zalo, params, lambda: lifecycle.stopping))
    except ApiError as error:
        return _error(zalo, error)
    body: dict[str, Any] = {"ok": True}
    if result is not None:
        body["result"] = result
    return _answer(zalo, body)


async def _read_params(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:  # Zalo's own samples post JSON; read it whatever the Content-Type says
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Bad Request: the body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Bad Request: the body must be a JSON object")
    return body
