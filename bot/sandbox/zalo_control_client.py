"""ZaloControl: the Zalo control routes from another process; `SandboxControl.zalo` makes one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from bot.sandbox.records import SandboxStats
from bot.sandbox.wire import wait_for_count
from bot.sandbox.zalo_control import ROOT, zalo_sent_from_json
from bot.sandbox.zalo_state import DEFAULT_NAME, ZaloSentMessage


class ZaloControlError(RuntimeError):
    """The sandbox refused a Zalo control request."""


class ZaloControl:
    """Async client of /_sandbox/zalo/; mirrors ZaloSandbox's test API."""

    def __init__(self, url: str, client: httpx.AsyncClient) -> None:
        self.url = url.rstrip("/")
        self._client = client

    async def _call(
        self, method: str, route: str, *, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        response = await self._client.request(
            method, f"{self.url}{ROOT}/{route}", json=body, params=params
        )
        if response.status_code != 200:
            raise ZaloControlError(
                f"{method} {ROOT}/{route}: {response.status_code} {response.text}"
            )
        return response.json()

    async def _inject(self, kind: str, user_id: str, **fields: Any) -> str:
        body = {"type": kind, "user_id": user_id, **fields}
        return str((await self._call("POST", "inject", body=body))["message_id"])

    async def inject_text(
        self, user_id: str, text: str, *, display_name: str = DEFAULT_NAME
    ) -> str:
        """See ZaloSandbox.inject_text."""
        return await self._inject("text", user_id, text=text, display_name=display_name)

    async def inject_image(
        self,
        user_id: str,
        photo_url: str,
        *,
        caption: str | None = None,
        display_name: str = DEFAULT_NAME,
    ) -> str:
        """See ZaloSandbox.inject_image."""
        return await self._inject(
            "image", user_id, photo_url=photo_url, caption=caption, display_name=display_name
        )

    async def inject_sticker(self, user_id: str) -> str:
        """See ZaloSandbox.inject_sticker."""
        return await self._inject("sticker", user_id)

    async def inject_unsupported(self, user_id: str) -> str:
        """See ZaloSandbox.inject_unsupported."""
        return await self._inject("unsupported", user_id)

    async def add_user(self, user_id: str, *, display_name: str = DEFAULT_NAME) -> None:
        """See ZaloSandbox.add_user."""
        await self._call("POST", "users", body={"user_id": user_id, "display_name": display_name})

    async def block(self, user_id: str, blocked: bool = True) -> None:
        """See ZaloSandbox.block."""
        await self._call("POST", "block", body={"user_id": user_id, "blocked": blocked})

    async def sent(
        self, chat_id: str | None = None, *, after_seq: int = 0
    ) -> list[ZaloSentMessage]:
        """Messages delivered (to one chat, or all) with seq above `after_seq`."""
        params: dict[str, Any] = {"after_seq": after_seq}
        if chat_id is not None:
            params["chat_id"] = chat_id
        return [
            zalo_sent_from_json(item) for item in await self._call("GET", "sent", params=params)
        ]

    async def wait_for_sent(
        self,
        chat_id: str,
        count: int,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[ZaloSentMessage]:
        """All of that chat's messages once there are at least `count` (polls every 50 ms)."""

        def describe(messages: Sequence[ZaloSentMessage]) -> str:
            shown = [f"#{m.seq} {m.method} {m.text!r}" for m in messages]
            return (
                f"waited {timeout:g} s for {count} Zalo message(s) to {chat_id}, "
                f"got {len(messages)}: {shown}"
            )

        return await wait_for_count(lambda: self.sent(chat_id), count, timeout, describe)

    async def pending_updates(self) -> int:
        """See ZaloSandbox.pending_updates."""
        return int((await self._call("GET", "pending"))["pending"])

    async def stats(self) -> SandboxStats:
        """See ZaloSandbox.stats."""
        return SandboxStats.from_dict(await self._call("GET", "stats"))

    async def webhook_url(self) -> str:
        """The webhook address the bot set ("" for none)."""
        return str((await self._call("GET", "webhook"))["url"])
