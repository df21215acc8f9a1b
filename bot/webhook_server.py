"""One web server for both platforms' webhooks, and for the files the bot publishes.

Why aiohttp: it is already a dependency (the sandbox is built on it), it is small and
maintained, and it runs in the bot's own event loop beside the PTB application, so an
update goes from the request into PTB's `update_queue` without a thread or a copy. PTB's
own webhook server is Tornado-based and serves Telegram only; Zalo would need a second
server on a second port behind the proxy.

Each request is checked, handed on and answered 200 once the update is kept — written and
fsync'd to the inbound spool (`bot.inbound_spool`), not yet handled: a Telegram update
becomes an `Update` in the application's `update_queue` (the same `UpdateRouter` handles it
as when polling), a Zalo update goes to the Zalo channel's `receive`. A sink that cannot
keep the update (OSError: the disk) gets a 500, so the platform delivers it again. A
re-delivered update is handled once: the handlers store every update in the inbound table,
which refuses a second (channel, bot id, update id) — Zalo's `message_id` is its update id.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram.error import NetworkError

from bot.http_site import AppServer
from bot.public_files import FILES_PATH, PublicFiles
from bot.zalo import ZaloMalformedUpdate, ZaloUpdate, parse_webhook_body

log = logging.getLogger(__name__)

TELEGRAM_PATH = "/telegram"
ZALO_PATH = "/zalo"
HEALTH_PATH = "/healthz"  # for the proxy's health checks: this process is up and serving
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
ZALO_SECRET_HEADER = "X-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# One update is a few kilobytes (a message of 4,096 characters, its entities, a contact);
# files are fetched apart, never in the update. Anything bigger is not a platform's call.
MAX_BODY_BYTES = 256 * 1024
SHUTDOWN_SECONDS = 5.0
OK_BODY = b'{"ok":true}'  # every accepted call's answer: built once, not per request

TelegramSink = Callable[[dict[str, Any]], Awaitable[None]]
ZaloSink = Callable[[ZaloUpdate], Awaitable[None]]


class BadBody(ValueError):
    """A body the server refuses with 400."""


class WebhookServer(AppServer):
    """Listens on `host:port` (behind the TLS proxy); port 0 picks a free one (read `port`).

    `telegram` takes an update's JSON object (the runtime puts it into PTB's queue); `zalo`
    takes a parsed Zalo update. Both return once the update is kept, not handled. A
    platform whose sink is None answers 404 on its path; with neither (polling, files only)
    no secret is needed.
    """

    def __init__(
        self,
        *,
        secret: str,
        host: str = "127.0.0.1",
        port: int = 8080,
        telegram: TelegramSink | None = None,
        zalo: ZaloSink | None = None,
        files: PublicFiles | None = None,
    ) -> None:
        if not secret and (telegram is not None or zalo is not None):
            raise ValueError("a webhook server needs a secret")
        super().__init__(host=host, port=port)
        self._secret = secret.encode()
        self._telegram = telegram
        self._zalo = zalo
        self._files = files
        self.refused = 0  # requests answered 403 or 400, for tests and monitoring

    def build_app(self) -> web.Application:
        """The routes; the body limit is enforced here, not by aiohttp (which answers 413)."""
        app = web.Application(client_max_size=MAX_BODY_BYTES + 1)
        app.router.add_post(TELEGRAM_PATH, self._on_telegram)
        app.router.add_post(TELEGRAM_PATH + "/{rest:.*}", self._on_telegram)
        app.router.add_post(ZALO_PATH, self._on_zalo)
        app.router.add_post(ZALO_PATH + "/{rest:.*}", self._on_zalo)
        app.router.add_get(FILES_PATH + "/{token}", self._on_file)
        app.router.add_get(HEALTH_PATH, self._on_health)
        return app

    async def start(self) -> None:
        """Listen; returns once the port is open."""
        await self._listen(self.build_app(), shutdown_timeout=SHUTDOWN_SECONDS)
        log.info("webhook server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening (the Zalo channel lets the updates in hand finish)."""
        await self._close()

    def _authorised(self, request: web.Request, header: str) -> bool:
        """The secret header, compared in constant time; a refusal is logged without the
        body (and without what the caller sent as a secret)."""
        given = request.headers.get(header, "").encode()
        if hmac.compare_digest(given, self._secret):
            return True
        self.refused += 1
        log.warning("webhook %s from %s refused: wrong or missing secret", request.path,
                    request.remote)  # fmt: skip
        return False

    async def _body(self, request: web.Request) -> bytes:
        """The body, at most MAX_BODY_BYTES (read no further than one byte past that)."""
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise BadBody(f"body of {request.content_length} bytes is too large")
        body = await request.content.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise BadBody("body is too large")
        return body

    def _bad(self, request: web.Request, error: Exception) -> web.Response:
        self.refused += 1
        log.warning("webhook %s: bad request (%s)", request.path, error)
        return web.json_response({"ok": False, "description": "Bad Request"}, status=400)

    async def _on_telegram(self, request: web.Request) -> web.Response:
        if self._telegram is None:
            raise web.HTTPNotFound()
        if not self._authorised(request, TELEGRAM_SECRET_HEADER):
            raise web.HTTPForbidden()
        try:
            await self._telegram(_telegram_update(await self._body(request)))
        except BadBody as error:  # the sink raises it too, for an update PTB cannot read
            return self._bad(request, error)
        except (OSError, NetworkError) as error:  # the spool (bot.telegram_spool)
            return _not_kept(request, error)
        return _ok()

    async def _on_zalo(self, request: web.Request) -> web.Response:
        if self._zalo is None:
            raise web.HTTPNotFound()
        if not self._authorised(request, ZALO_SECRET_HEADER):
            raise web.HTTPForbidden()
        try:
            update = parse_webhook_body(await self._body(request))
        except (BadBody, ZaloMalformedUpdate) as error:
            return self._bad(request, error)
        # Answered once kept, before the handling: the platform waits for nobody's database.
        try:
            await self._zalo(update)
        except OSError as error:
            return _not_kept(request, error)
        return _ok()

    async def _on_health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _on_file(self, request: web.Request) -> web.Response:
        if self._files is None:
            raise web.HTTPNotFound()
        found = await self._files.find(request.match_info["token"])
        if found is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=found.content,
            content_type=found.mime_type,
            headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
        )


def _ok() -> web.Response:
    return web.Response(body=OK_BODY, content_type="application/json")


def _not_kept(request: web.Request, error: Exception) -> web.Response:
    """500: the update could not be kept; the platform will deliver it again."""
    log.error("webhook %s: update not kept (%s); the platform will retry", request.path, error)
    return web.json_response({"ok": False, "description": "Try again later"}, status=500)


def _telegram_update(body: bytes) -> dict[str, Any]:
    """The update's JSON object; BadBody when it is not JSON or has no integer update_id."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadBody("body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise BadBody("body is not a Telegram update")
    return data
