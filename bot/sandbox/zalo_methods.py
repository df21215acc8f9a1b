"""The Zalo Bot API methods the sandbox answers, as plain async functions of the dialect's
state and the call's JSON parameters. Errors are `ApiError`s: the route turns them into
Zalo's `{ok: false, error_code, description}` envelope."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.zalo_state import JSONDict, ZaloSandbox

PHOTO_FETCH_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MIN_SECRET, MAX_SECRET = 8, 256


@dataclass
class ZaloCall:
    """One call: the dialect's state, its parameters, and whether the server is stopping."""

    zalo: ZaloSandbox
    params: dict[str, Any]
    stopping: Callable[[], bool]

    def text(self, name: str, *, required: bool = True) -> str | None:
        """A string parameter; a missing required one or a non-string is a 400."""
        value = self.params.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is required")
            return None
        if not isinstance(value, str):
            raise bad_request(f"{name} must be a string")
        return value


ZaloMethod = Callable[[ZaloCall], Awaitable[Any]]


async def get_me(call: ZaloCall) -> JSONDict:
    return call.zalo.bot_info()


async def get_updates(call: ZaloCall) -> JSONDict:
    """One update per call, no offset; 408 "no update yet" after a short long poll."""
    zalo = call.zalo
    if zalo.webhook.url:
        raise ApiError(409, "Conflict: getUpdates is not available while a webhook is set")
    raw = call.params.get("timeout", 30)
    try:
        wanted = float(raw)
    except (TypeError, ValueError):
        raise bad_request("timeout must be a number of seconds") from None
    update = zalo.next_update()
    if update is None:
        await zalo.long_poll(call.stopping, max(0.0, min(wanted, zalo.limits.zalo_poll_seconds)))
        update = zalo.next_update()
    if update is None:
        raise ApiError(408, "Request timeout")
    return update


async def set_webhook(call: ZaloCall) -> JSONDict:
    url = call.text("url") or ""
    secret = call.text("secret_token") or ""
    if not url.startswith(("https://", "http://")):
        raise bad_request("url must be an HTTPS address")
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        raise bad_request(f"secret_token must be {MIN_SECRET} to {MAX_SECRET} characters")
    webhook = call.zalo.webhook
    webhook.url, webhook.secret_token, webhook.updated_at_ms = url, secret, _now_ms()
    call.zalo.changed()  # the pusher starts on the updates already queued
    return {"url": url, "updated_at": webhook.updated_at_ms}


async def delete_webhook(call: ZaloCall) -> JSONDict:
    webhook = call.zalo.webhook
    webhook.url, webhook.secret_token, webhook.updated_at_ms = "", "", _now_ms()
    return {"url": "", "updated_at": webhook.updated_at_ms}


async def get_webhook_info(call: ZaloCall) -> JSONDict:
    webhook = call.zalo.webhook
    return {"url": webhook.url, "updated_at": webhook.updated_at_ms}


def _check_length(call: ZaloCall, name: str, value: str) -> None:
    limit = call.zalo.limits.zalo_max_text_length
    if len(value) > limit:
        raise bad_request(f"{name} must be 1 to {limit} characters, got {len(value)}")


async def send_message(call: ZaloCall) -> JSONDict:
    chat_id = call.text("chat_id") or ""
    text = call.text("text") or ""
    _check_length(call, "text", text)
    call.zalo.require_chat(chat_id)
    call.zalo.acquire_send_slot()
    return call.zalo.record_sent(chat_id, "sendMessage", text)


async def send_photo(call: ZaloCall) -> JSONDict:
    """Zalo takes an image URL and fetches it; so does the sandbox, and keeps the bytes."""
    chat_id = call.text("chat_id") or ""
    url = call.text("photo") or ""
    caption = call.text("caption", required=False)
    if caption is not None:
        _check_length(call, "caption", caption)
    call.zalo.require_chat(chat_id)
    content = await fetch_photo(url)
    call.zalo.acquire_send_slot()
    return call.zalo.record_sent(chat_id, "sendPhoto", caption, photo_url=url, photo=content)


async def fetch_photo(url: str) -> bytes:
    """GET the image as Zalo's servers would; an unreachable or non-image URL is a 400."""
    if not url.startswith(("http://", "https://")):
        raise bad_request("photo must be an http(s) URL of an image")
    failed: str | None = None
    try:
        async with httpx.AsyncClient(timeout=PHOTO_FETCH_TIMEOUT) as client:
            response = await client.get(url)
    except httpx.HTTPError as error:
        failed = type(error).__name__
    if failed is not None:
        raise bad_request(f"cannot fetch the photo ({failed})")
    if response.status_code != 200:
        raise bad_request(f"cannot fetch the photo (HTTP {response.status_code})")
    if not response.headers.get("content-type", "").startswith("image/"):
        raise bad_request("the photo URL does not serve an image")
    if len(response.content) > MAX_PHOTO_BYTES:
        raise bad_request("the photo is too large")
    return response.content


async def send_chat_action(call: ZaloCall) -> None:
    chat_id = call.text("chat_id") or ""
    action = call.text("action") or ""
    if action not in ("typing", "upload_photo"):
        raise bad_request("action must be typing or upload_photo")
    call.zalo.require_chat(chat_id)


METHODS: dict[str, ZaloMethod] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendChatAction": send_chat_action,
}


def _now_ms() -> int:
    return int(time.time() * 1000)
