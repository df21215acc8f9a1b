"""The Zalo dialect's memory and rules, without HTTP: users, queued updates, what the bot
sent, blocks and the sending quota. `SandboxState.zalo` holds one; tests drive it directly.

Zalo ids are opaque strings; a bot's chats are private, so a chat id is its user's id.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Fault, FaultBook
from bot.sandbox.limits import Limits
from bot.sandbox.notifier import Notifier
from bot.sandbox.records import SandboxStats

JSONDict = dict[str, Any]
DEFAULT_NAME = "Người dùng Zalo"


@dataclass
class ZaloSentMessage:
    """One message the bot delivered to a Zalo user."""

    seq: int  # order of delivery over this dialect, never reused (not even after reset)
    message_id: str
    chat_id: str
    method: str  # sendMessage or sendPhoto
    text: str | None  # the text, or the photo's caption
    sent_at: float  # time.time()
    photo_url: str | None = None
    photo: bytes | None = None  # the bytes the sandbox fetched from photo_url


@dataclass
class ZaloWebhook:
    """What setWebhook stored ("" url: none, getUpdates works)."""

    url: str = ""
    secret_token: str = ""
    updated_at_ms: int = 0


@dataclass
class ZaloQuota:
    """Sliding windows over the accepted sends, for the per-second and per-minute quotas."""

    clock: Callable[[], float] = time.monotonic
    _sends: deque[float] = field(default_factory=deque)

    def try_acquire(self, per_second: int | None, per_minute: int | None) -> bool:
        """Count one send if both quotas allow it; False (and nothing counted) otherwise."""
        now = self.clock()
        while self._sends and now - self._sends[0] >= 60.0:
            self._sends.popleft()
        if per_minute is not None and len(self._sends) >= per_minute:
            return False
        if per_second is not None:
            last_second = sum(1 for sent in self._sends if now - sent < 1.0)
            if last_second >= per_second:
                return False
        self._sends.append(now)
        return True

    def reset(self) -> None:
        """Forget the sends counted so far."""
        self._sends.clear()


class ZaloSandbox:
    """In-memory Zalo Bot Platform for one bot."""

    bot_id = "1459232241454765289"
    account_name = "bot.nhacviec.sandbox"

    def __init__(
        self, notifier: Notifier, limits: Callable[[], Limits], *, token: str | None = None
    ) -> None:
        self.token = token  # None: any token is accepted
        self._notifier = notifier
        self._limits = limits
        # Counters survive reset(), as in the Telegram dialect: ids are never reused.
        self._message_ids = itertools.count(1)
        self._seqs = itertools.count(1)
        self.polling = 0  # getUpdates calls waiting right now
        # How webhook calls carry the update: wrapped in {ok, result} or bare (Zalo's
        # documents show both); kept across clear(), like the limits given at construction.
        self.webhook_wrapped = True
        self.clear()

    def clear(self) -> None:
        """Forget users, updates, sent messages, blocks, the webhook, the quota, faults and
        stats."""
        self.users: dict[str, str] = {}  # user id -> display name
        self._updates: deque[JSONDict] = deque()
        self._sent: list[ZaloSentMessage] = []
        self._blocked: set[str] = set()
        self.webhook = ZaloWebhook()
        self.quota = ZaloQuota()
        self._faults = FaultBook()
        self.stats = SandboxStats()
        self._notifier.notify_all()

    @property
    def limits(self) -> Limits:
        """The sandbox's limits in force (shared with the Telegram dialect)."""
        return self._limits()

    # ----- what users do -------------------------------------------------------------------

    def inject_text(self, user_id: str, text: str, *, display_name: str = DEFAULT_NAME) -> str:
        """The user writes `text`; returns the message id (Zalo's only update identity)."""
        return self._push(user_id, display_name, "message.text.received", {"text": text})

    def inject_image(
        self,
        user_id: str,
        photo_url: str,
        *,
        caption: str | None = None,
        display_name: str = DEFAULT_NAME,
    ) -> str:
        """The user sends a photo; Zalo gives the bot its URL."""
        content: JSONDict = {"photo_url": photo_url}
        if caption is not None:
            content["caption"] = caption
        return self._push(user_id, display_name, "message.image.received", content)

    def inject_sticker(self, user_id: str, *, sticker: str = "bfe4c3a1e3b2d5a7") -> str:
        """The user sends a sticker."""
        return self._push(user_id, DEFAULT_NAME, "message.sticker.received", {"sticker": sticker})

    def inject_unsupported(self, user_id: str) -> str:
        """The user sends what the Bot API does not pass on (voice, file, location ...)."""
        return self._push(user_id, DEFAULT_NAME, "message.unsupported.received", {})

    def add_user(self, user_id: str, *, display_name: str = DEFAULT_NAME) -> None:
        """A user who wrote to the bot some time ago: it may write to them, nothing queued."""
        self.users[user_id] = display_name

    def block(self, user_id: str, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends to them answer an error."""
        if blocked:
            self._blocked.add(user_id)
        else:
            self._blocked.discard(user_id)

    def _push(self, user_id: str, display_name: str, event_name: str, content: JSONDict) -> str:
        if not user_id:
            raise ValueError("a Zalo user id is a non-empty string")
        if display_name != DEFAULT_NAME or user_id not in self.users:
            self.users[user_id] = display_name
        message_id = self._next_message_id()
        message: JSONDict = {
            "from": {"id": user_id, "display_name": self.users[user_id], "is_bot": False},
            "chat": {"id": user_id, "chat_type": "PRIVATE"},
            "message_id": message_id,
            "date": _now_ms(),
            **content,
        }
        self._updates.append({"event_name": event_name, "message": message})
        self._notifier.notify_all()
        return message_id

    def _next_message_id(self) -> str:
        return format(next(self._message_ids), "020x")  # opaque, like Zalo's hex ids

    def add_fault(self, fault: Fault) -> None:
        """Fail matching calls from now on, as the Telegram dialect's faults do (the same
        `Fault`); served in Zalo's envelope, a 429 without retry advice, as Zalo sends it."""
        self._faults.add(fault)

    def take_fault(self, method: str) -> Fault | None:
        """The fault to serve for this call, if one fires."""
        fault = self._faults.take(method)
        if fault is not None:
            self.stats.faults += 1
        return fault

    # ----- what tests read and wait for ----------------------------------------------------

    def sent(self, chat_id: str | None = None) -> list[ZaloSentMessage]:
        """Messages delivered so far (to one chat, or all), oldest first."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    async def wait_for_sent(
        self,
        chat_id: str,
        count: int,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[ZaloSentMessage]:
        """All of that chat's messages, once there are at least `count`."""
        if await self._notifier.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout):
            return self.sent(chat_id)
        got = [f"#{m.seq} {m.method} {m.text!r}" for m in self.sent(chat_id)]
        raise TimeoutError(
            f"waited {timeout:g} s for {count} Zalo message(s) to {chat_id}, got {got};"
            f" updates not yet fetched: {self.pending_updates()}"
        )

    def pending_updates(self) -> int:
        """Injected updates no getUpdates answer has carried yet."""
        return len(self._updates)

    # ----- bot side ------------------------------------------------------------------------

    def check_token(self, token: str) -> None:
        """Zalo's answer to a wrong token (in an HTTP 200, like the real one)."""
        if self.token is not None and token != self.token:
            raise ApiError(401, "Unauthorized")

    def next_update(self) -> JSONDict | None:
        """Hand over the oldest update, once: Zalo has no offset to confirm it with."""
        if not self._updates:
            return None
        update = self._updates.popleft()
        self._notifier.notify_all()
        return update

    def changed(self) -> None:
        """Wake the waiters (a webhook was set: the pusher looks at the queue again)."""
        self._notifier.notify_all()

    def take_update(self, busy: Callable[[JSONDict], bool]) -> JSONDict | None:
        """Hand over the oldest update that is not `busy`, for webhook delivery."""
        for index, update in enumerate(self._updates):
            if not busy(update):
                del self._updates[index]
                self._notifier.notify_all()
                return update
        return None

    async def long_poll(self, stopping: Callable[[], bool], seconds: float) -> None:
        """Wait until an update is queued, the server stops, or `seconds` pass."""
        self.polling += 1
        self._notifier.notify_all()
        try:
            await self._notifier.wait_for(lambda: bool(self._updates) or stopping(), seconds)
        finally:
            self.polling -= 1
            self._notifier.notify_all()

    def require_chat(self, chat_id: str) -> None:
        """The bot may write only to users who wrote to it and did not block it."""
        if chat_id not in self.users:
            raise ApiError(400, "Bad Request: the user has not interacted with the bot")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: the user blocked the bot")

    def acquire_send_slot(self) -> None:
        """Count one send against the quota, or raise Zalo's 429."""
        limits = self.limits
        if not self.quota.try_acquire(
            limits.zalo_messages_per_second, limits.zalo_messages_per_minute
        ):
            raise ApiError(429, "Quota exceeded: too many messages, try again later")

    def record_sent(
        self,
        chat_id: str,
        method: str,
        text: str | None,
        *,
        photo_url: str | None = None,
        photo: bytes | None = None,
    ) -> JSONDict:
        """Keep a delivered message; returns the result Zalo answers the bot."""
        message_id = self._next_message_id()
        sent_at = time.time()
        self._sent.append(
            ZaloSentMessage(
                next(self._seqs), message_id, chat_id, method, text, sent_at, photo_url, photo
            )
        )
        self.stats.delivered += 1
        self._notifier.notify_all()
        return {"message_id": message_id, "date": int(sent_at * 1000)}

    def bot_info(self) -> JSONDict:
        """getMe's result."""
        return {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }


def _now_ms() -> int:
    return int(time.time() * 1000)
