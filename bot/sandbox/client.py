"""SandboxControl: the control routes from another process (the demo, a bot under benchmark)."""

from __future__ import annotations

from collections.abc import Sequence
from types import EllipsisType, TracebackType
from typing import Any

import httpx

from bot.sandbox.faults import Fault
from bot.sandbox.limits import Limits
from bot.sandbox.records import SandboxStats, SentMessage
from bot.sandbox.wire import encode_bytes, fault_to_json, sent_from_json, wait_for_count
from bot.sandbox.zalo_control_client import ZaloControl


class SandboxControlError(RuntimeError):
    """The sandbox refused a control request."""


class SandboxControl:
    """Async client of /_sandbox/; mirrors SandboxState's test API."""

    def __init__(self, url: str, *, client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/")
        self._own_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(timeout=30.0)

    @property
    def zalo(self) -> ZaloControl:
        """The Zalo dialect's control routes, over the same HTTP client."""
        return ZaloControl(self.url, self._client)

    async def aclose(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._own_client:
            await self._client.aclose()

    async def __aenter__(self) -> SandboxControl:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(
        self,
        method: str,
        route: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        response = await self._client.request(
            method, f"{self.url}/_sandbox/{route}", json=body, params=params
        )
        if response.status_code != 200:
            raise SandboxControlError(
                f"{method} /_sandbox/{route}: {response.status_code} {response.text}"
            )
        return response.json()

    async def _inject(self, kind: str, user_id: int, **fields: Any) -> int:
        answer = await self._call(
            "POST", "inject", body={"type": kind, "user_id": user_id, **fields}
        )
        return int(answer["update_id"])

    async def inject_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Người dùng",
        last_name: str | None = None,
        username: str | None = None,
    ) -> int:
        """See SandboxState.inject_text."""
        return await self._inject(
            "text",
            user_id,
            text=text,
            first_name=first_name,
            last_name=last_name,
            username=username,
        )

    async def inject_contact(
        self,
        user_id: int,
        phone: str,
        *,
        contact_user_id: int | EllipsisType | None = ...,
        first_name: str = "Người dùng",
    ) -> int:
        """See SandboxState.inject_contact; leaving contact_user_id out shares one's own card."""
        fields: dict[str, Any] = {"phone": phone, "first_name": first_name}
        if contact_user_id is not ...:
            fields["contact_user_id"] = contact_user_id
        return await self._inject("contact", user_id, **fields)

    async def inject_button(self, user_id: int, message_id: int, data: str) -> int:
        """See SandboxState.inject_button."""
        return await self._inject("button", user_id, message_id=message_id, data=data)

    async def inject_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> int:
        """See SandboxState.inject_document."""
        return await self._inject(
            "document",
            user_id,
            file_name=file_name,
            content=encode_bytes(content),
            mime_type=mime_type,
            caption=caption,
        )

    async def inject_photo(
        self, user_id: int, content: bytes, *, caption: str | None = None
    ) -> int:
        """See SandboxState.inject_photo."""
        return await self._inject("photo", user_id, content=encode_bytes(content), caption=caption)

    async def inject_sticker(self, user_id: int) -> int:
        """See SandboxState.inject_sticker."""
        return await self._inject("sticker", user_id)

    async def sent(self, chat_id: int | None = None, *, after_seq: int = 0) -> list[SentMessage]:
        """Messages delivered (to one chat, or all) with seq above `after_seq`."""
        params: dict[str, Any] = {"after_seq": after_seq}
        if chat_id is not None:
            params["chat_id"] = chat_id
        return [sent_from_json(item) for item in await self._call("GET", "sent", params=params)]

    async def wait_for_sent(
        self,
        chat_id: int,
        count: int,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """All of that chat's messages once there are at least `count` (polls every 50 ms)."""

        def describe(messages: Sequence[SentMessage]) -> str:
            shown = [f"#{m.seq} {m.method} {m.text or m.caption!r}" for m in messages]
            return (
                f"waited {timeout:g} s for {count} message(s) to chat {chat_id}, "
                f"got {len(messages)}: {shown}"
            )

        return await wait_for_count(lambda: self.sent(chat_id), count, timeout, describe)

    async def block(self, chat_id: int, blocked: bool = True) -> None:
        """See SandboxState.block."""
        await self._call("POST", "block", body={"chat_id": chat_id, "blocked": blocked})

    async def add_fault(self, fault: Fault) -> None:
        """See SandboxState.add_fault."""
        await self._call("POST", "faults", body=fault_to_json(fault))

    async def clear_faults(self) -> None:
        """See SandboxState.clear_faults."""
        await self._call("DELETE", "faults")

    async def set_limits(self, **changes: Any) -> Limits:
        """Change some limits (Limits' field names); returns all limits now in force."""
        return Limits(**await self._call("POST", "limits", body=changes))

    async def limits(self) -> Limits:
        """The limits in force."""
        return Limits(**await self._call("GET", "limits"))

    async def stats(self) -> SandboxStats:
        """See SandboxState.stats."""
        return SandboxStats.from_dict(await self._call("GET", "stats"))

    async def pending_updates(self) -> int:
        """See SandboxState.pending_updates."""
        return int((await self._call("GET", "pending"))["pending"])

    async def reset(self) -> None:
        """See SandboxState.reset."""
        await self._call("POST", "reset")
