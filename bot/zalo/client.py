"""ZaloClient: the Zalo Bot API over one reused httpx connection pool, with typed answers.

Every call is `POST {base}/bot{TOKEN}/{method}` with a JSON body; Zalo answers the envelope
`{ok, result, description, error_code}`, often with HTTP 200 even for errors (a bad token is
`ok: false, error_code: 401` in a 200), so the body decides, not the status.

The token is in every URL, so it is kept out of everything else: the client's repr, the
errors it raises (built outside httpx's `except` block, so no httpx exception with the URL
hangs on as context), and httpx's own request log line (a filter masks it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import httpx

from bot.zalo.errors import (
    ZaloApiError,
    ZaloError,
    ZaloMalformedResponse,
    ZaloMalformedUpdate,
    ZaloNetworkError,
    ZaloQuotaExceeded,
    ZaloUnauthorized,
)
from bot.zalo.types import (
    WebhookInfo,
    ZaloBot,
    ZaloSent,
    ZaloUpdate,
    parse_bot,
    parse_sent,
    parse_update,
    parse_webhook_info,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
# Zalo's getUpdates holds the request up to `timeout` seconds (its default is 30) and then
# answers 408. Our read time-out is that plus a margin, so the server, not httpx, ends a poll.
DEFAULT_POLL_SECONDS = 30
POLL_MARGIN_SECONDS = 10.0
# Sends are short requests: a dead connection should be noticed in seconds, not minutes, so
# the outbox can reschedule the message.
SEND_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# One pool for the life of the client: a long poll holds one connection, sends take the
# others; idle connections are kept half a minute so a burst of sends skips the TLS handshake.
POOL_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=30.0)
# Calls under way at once, besides the long poll. The others wait here, not in httpcore's
# pool: httpcore checks every queued request against every connection each time it assigns
# one, which made a burst of answers (a webhook delivering 40 updates at once) spend most of
# its time in the pool (bench zalo: `_assign_requests_to_connections`). Telegram's sends
# are bounded alike (bot/telegram_application.py).
CONCURRENT_CALLS = 8
# Zalo publishes no quota figures and sends no retry_after: after a 429 the advice is to
# wait this long (a quota measured per minute has renewed by then).
DEFAULT_QUOTA_BACKOFF_SECONDS = 60.0
USER_AGENT = "nhacviec-zalo/1"

T = TypeVar("T")


class _MaskTokens(logging.Filter):
    """Masks the tokens of live clients in httpx's and httpcore's own log records."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[str, int] = {}  # token -> live clients using it

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.tokens:
            return True
        text = record.getMessage()
        masked = text
        for token in self.tokens:
            masked = masked.replace(token, "***")
        if masked != text:
            record.msg, record.args = masked, None
        return True


_mask: _MaskTokens | None = None


def _token_mask() -> _MaskTokens:
    """The one filter on httpx's loggers, installed by the first client (not at import)."""
    global _mask  # one filter per process, shared by every client
    if _mask is None:
        _mask = _MaskTokens()
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).addFilter(_mask)
    return _mask


class ZaloClient:
    """Async client of one Zalo bot. Use as `async with ZaloClient(token) as zalo:`.

    `transport` replaces the network (httpx.MockTransport in tests); `base_url` points at
    another server (the sandbox's `/zalo` prefix, or the older bot-api.zapps.me host).
    """

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        send_timeout: httpx.Timeout = SEND_TIMEOUT,
        quota_backoff_seconds: float = DEFAULT_QUOTA_BACKOFF_SECONDS,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._send_timeout = send_timeout
        self.quota_backoff_seconds = quota_backoff_seconds
        self._http = httpx.AsyncClient(
            transport=transport,
            limits=POOL_LIMITS,
            timeout=send_timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        self._calls = asyncio.Semaphore(CONCURRENT_CALLS)
        self._closed = False
        mask = _token_mask()
        mask.tokens[token] = mask.tokens.get(token, 0) + 1

    def __repr__(self) -> str:
        return f"ZaloClient(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used after."""
        if self._closed:
            return
        self._closed = True
        await self._http.aclose()
        mask = _token_mask()
        left = mask.tokens.get(self._token, 1) - 1
        if left > 0:
            mask.tokens[self._token] = left
        else:
            mask.tokens.pop(self._token, None)

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ----- the methods ---------------------------------------------------------------------

    async def get_me(self) -> ZaloBot:
        """The bot's account; the cheapest way to check the token."""
        return self._read("getMe", await self._call("getMe", {}), parse_bot)

    async def get_updates(self, poll_seconds: int = DEFAULT_POLL_SECONDS) -> ZaloUpdate | None:
        """The next update, or None when none came within `poll_seconds` (Zalo's 408).

        Zalo answers ONE update per call and has no offset: an update is gone once answered.
        """
        sends = self._send_timeout
        read = httpx.Timeout(
            connect=sends.connect,
            read=poll_seconds + POLL_MARGIN_SECONDS,
            write=sends.write,
            pool=sends.pool,
        )
        try:
            result = await self._call(
                "getUpdates", {"timeout": str(poll_seconds)}, http_timeout=read, queued=False
            )
        except ZaloApiError as error:
            if error.error_code == 408:
                return None
            raise
        if result is None or result == {}:
            return None
        return self._read("getUpdates", result, parse_update)

    async def set_webhook(self, url: str, secret_token: str) -> WebhookInfo:
        """Have Zalo POST updates to `url` (public HTTPS) with `secret_token` in
        X-Bot-Api-Secret-Token (8 to 256 characters)."""
        payload = {"url": url, "secret_token": secret_token}
        return self._read("setWebhook", await self._call("setWebhook", payload), parse_webhook_info)

    async def delete_webhook(self) -> WebhookInfo:
        """Stop webhook delivery, so getUpdates works again."""
        result = await self._call("deleteWebhook", {})
        return self._read("deleteWebhook", result, parse_webhook_info)

    async def get_webhook_info(self) -> WebhookInfo:
        """The webhook address in force ("" when none)."""
        result = await self._call("getWebhookInfo", {})
        return self._read("getWebhookInfo", result, parse_webhook_info)

    async def send_message(self, chat_id: str, text: str) -> ZaloSent:
        """A text of 1 to 2,000 characters (Zalo refuses longer: split before)."""
        result = await self._call("sendMessage", {"chat_id": chat_id, "text": text})
        return self._read("sendMessage", result, parse_sent)

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> ZaloSent:
        """An image Zalo fetches from `photo_url` (no upload on Zalo), with an optional caption."""
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return self._read("sendPhoto", await self._call("sendPhoto", payload), parse_sent)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing…" in the chat for a moment."""
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def download(self, url: str, max_bytes: int, seconds: float = 60.0) -> bytes:
        """The image a person sent (Zalo gives its address, not an id), read up to
        `max_bytes`; anything that stops it (network, time, size, an address that is not
        http(s)) is an `OSError`, which the intake answers with «gửi lại sau»."""
        if not url.startswith(("https://", "http://")):
            raise OSError("not an http(s) address")
        data = bytearray()
        try:
            async with asyncio.timeout(seconds), self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise OSError(f"image download answered {response.status_code}")
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise OSError(f"image over {max_bytes} bytes")
        except (httpx.HTTPError, TimeoutError) as error:
            raise OSError(f"image download failed: {type(error).__name__}") from None
        return bytes(data)

    # ----- the envelope --------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        payload: Mapping[str, Any],
        *,
        http_timeout: httpx.Timeout | None = None,
        queued: bool = True,
    ) -> Any:
        """POST the call and return the envelope's `result`, or raise a typed error. A
        `queued` call waits for one of the CONCURRENT_CALLS places first (the long poll,
        which holds its connection for seconds, does not)."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        failure: tuple[str, bool] | None = None
        try:
            async with self._calls if queued else contextlib.nullcontext():
                response = await self._http.post(
                    url, json=dict(payload), timeout=http_timeout or self._send_timeout
                )
        except httpx.TimeoutException as error:
            failure = (type(error).__name__, True)
        except httpx.HTTPError as error:
            failure = (type(error).__name__, False)
        if failure is not None:
            # Raised here, outside the except block: the httpx error (whose text is the URL,
            # token included) is neither this error's cause nor its context.
            log.info("Zalo %s got no answer: %s", method, failure[0])
            raise ZaloNetworkError(method, failure[0], timed_out=failure[1])
        return self._result(method, response)

    def _result(self, method: str, response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("ok"), bool):
            raise ZaloMalformedResponse(method, response.status_code, "not a Zalo envelope")
        if body["ok"]:
            return body.get("result")
        code = body.get("error_code")
        error_code = code if isinstance(code, int) and not isinstance(code, bool) else None
        if error_code is None:
            error_code = response.status_code if response.status_code >= 400 else 0
        description = str(body.get("description") or "").replace(self._token, "***")
        if error_code == 401:
            raise ZaloUnauthorized(method, error_code, description)
        if error_code == 429:
            raise ZaloQuotaExceeded(method, error_code, description, self._retry_after(body))
        raise ZaloApiError(method, error_code, description)

    def _retry_after(self, body: Mapping[str, Any]) -> float:
        parameters = body.get("parameters")
        if isinstance(parameters, Mapping):
            given = parameters.get("retry_after")
            if isinstance(given, int | float) and not isinstance(given, bool) and given > 0:
                return float(given)
        return self.quota_backoff_seconds

    @staticmethod
    def _read(method: str, result: Any, parse: Callable[[Any], T]) -> T:
        try:
            return parse(result)
        except ZaloMalformedUpdate as error:
            raise ZaloMalformedResponse(method, 200, f"unexpected result: {error}") from None


__all__ = ["DEFAULT_BASE_URL", "ZaloClient", "ZaloError"]
