"""The Telegram dialect over HTTP: /bot<token>/<method> and /file/bot<token>/<file_path>."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.sandbox.app_keys import LIFECYCLE_KEY, STATE_KEY, Lifecycle
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Fault
from bot.sandbox.params import Params, Upload
from bot.sandbox.state import SandboxState
from bot.sandbox.telegram_methods import CANONICAL, METHODS, Call


def add_telegram_routes(app: web.Application) -> None:
    """Mount the Bot API and file download routes (the app must carry STATE_KEY)."""
    app.router.add_get("/bot{token}/{method}", handle_method)
    app.router.add_post("/bot{token}/{method}", handle_method)
    app.router.add_get("/file/bot{token}/{file_path:.+}", handle_file)


def _answer(state: SandboxState, status: int, body: dict[str, Any]) -> web.Response:
    state.stats.responses[status] += 1
    if status == 429:
        state.stats.throttled += 1
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _error(state: SandboxState, error: ApiError) -> web.Response:
    return _answer(state, error.status, error.to_body())


def _token_ok(state: SandboxState, token: str) -> bool:
    return state.token is None or token == state.token


async def handle_method(request: web.Request) -> web.Response:
    """One Bot API call: token, method, injected fault, then the method itself."""
    state = request.app[STATE_KEY]
    lifecycle = request.app[LIFECYCLE_KEY]
    if not _token_ok(state, request.match_info["token"]):
        return _error(state, ApiError(401, "Unauthorized"))
    asked = request.match_info["method"]
    name = CANONICAL.get(asked.lower())
    state.stats.requests[name or asked] += 1
    if name is None:
        return _error(state, ApiError(404, "Not Found"))
    try:
        params = await read_params(request)
    except ApiError as error:
        return _error(state, error)
    fault = state.take_fault(name)
    if fault is not None:
        return await _serve_fault(state, lifecycle, fault)
    try:
        result = await METHODS[name](Call(state, params, lambda: lifecycle.stopping))
    except ApiError as error:
        return _error(state, error)
    return _answer(state, 200, {"ok": True, "result": result})


async def _serve_fault(state: SandboxState, lifecycle: Lifecycle, fault: Fault) -> web.Response:
    if fault.status == "hang":
        await state.wait(lambda: lifecycle.stopping, fault.hang_seconds)
        return _error(state, ApiError(500, fault.error_description()))
    retry_after = max(1, fault.retry_after) if fault.status == 429 else None
    return _error(state, ApiError(fault.status, fault.error_description(), retry_after=retry_after))


async def read_params(request: web.Request) -> Params:
    """Query string plus a form, multipart or JSON body, as one Params."""
    values: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return Params(values)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON body must be an object")
        values.update(body)
        return Params(values)
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            values[key] = Upload(value.filename, value.file.read(), value.content_type)
        elif isinstance(value, bytes | bytearray):
            values[key] = bytes(value).decode("utf-8", "replace")
        else:
            values[key] = value
    return Params(values)


async def handle_file(request: web.Request) -> web.Response:
    """The download route PTB builds from getFile's file_path."""
    state = request.app[STATE_KEY]
    if not _token_ok(state, request.match_info["token"]):
        return web.Response(status=401, text="Unauthorized")
    stored = state.files.by_path(request.match_info["file_path"])
    if stored is None:
        return web.Response(status=404, text="Not Found")
    return web.Response(
        body=stored.content, content_type=stored.mime_type or "application/octet-stream"
    )
