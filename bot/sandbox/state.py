"""The sandbox's memory and rules, without HTTP: what users did, what the bot sent, what fails.

Tests drive it directly (inject_*, sent, wait_for_sent); the HTTP dialects call the bot-side
part (get_updates, require_chat, acquire_send_slot, record_sent ...).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.faults import Fault, FaultBook
from bot.sandbox.files import FileStore
from bot.sandbox.limits import Limits, RateLimiter
from bot.sandbox.notifier import Notifier
from bot.sandbox.records import CallbackAnswer, SandboxStats, SentMessage
from bot.sandbox.telegram_objects import (
    JSONDict,
    SandboxUser,
    bot_user_dict,
    command_entities,
    document_dict,
    message_dict,
    photo_sizes,
    private_chat_dict,
    sticker_dict,
    user_dict,
)
from bot.sandbox.zalo_state import ZaloSandbox

DEFAULT_BOT_ID = 7_000_000_001
DEFAULT_NAME = "Người dùng"
_OWN_CARD: Any = object()  # default of inject_contact's contact_user_id: the sender's own id


class SandboxState:
    """In-memory Telegram for one bot: private chats only, chat id == user id."""

    bot_username: str = "nhacviec_sandbox_bot"
    bot_first_name: str = "Nhắc việc (sandbox)"

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        token: str | None = None,
        zalo_token: str | None = None,
    ) -> None:
        self.token = token  # None: any token is accepted
        self.bot_id = _bot_id_from_token(token)
        self._initial_limits = replace(limits) if limits is not None else Limits()
        self._limiter = RateLimiter(replace(self._initial_limits))
        self._notifier = Notifier()
        # These counters survive reset(): a running bot keeps its getUpdates offset, and a
        # SandboxControl client keeps its after_seq.
        self._update_ids = itertools.count(1)
        self._seqs = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self.files = FileStore()  # its file numbers, too, survive reset()
        self.polling = 0  # getUpdates long polls waiting right now: the bot is idle and listening
        # The Zalo dialect (bot/sandbox/zalo_state.py): its own users and records, these limits.
        self.zalo = ZaloSandbox(self._notifier, lambda: self.limits, token=zalo_token)
        self._clear()

    def _clear(self) -> None:
        self.users: dict[int, SandboxUser] = {}
        self._updates: list[tuple[int, JSONDict]] = []  # not yet confirmed by an offset
        self._fetched_up_to = 0  # highest update_id a getUpdates answer carried
        self._last_message_id: dict[int, int] = {}
        self._sent: list[SentMessage] = []
        self._sent_by_chat: dict[int, list[SentMessage]] = {}
        self._sent_by_id: dict[tuple[int, int], SentMessage] = {}
        self._sent_json: dict[tuple[int, int], JSONDict] = {}
        self._blocked: set[int] = set()
        self._faults = FaultBook()
        self.files.clear()
        self._open_queries: dict[str, int] = {}  # callback_query id -> user id
        self.callback_answers: list[CallbackAnswer] = []
        self.commands: dict[str, list[JSONDict]] = {}  # scope+language key -> commands
        self.webhook_url = ""
        self.webhook_secret = ""
        self.stats = SandboxStats()

    # ----- configuration -------------------------------------------------------------------

    @property
    def limits(self) -> Limits:
        """The limits in force; assign a new Limits or call set_limits to change them."""
        return self._limiter.limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        self._limiter.limits = limits
        self._limiter.reset()

    def set_limits(self, **changes: Any) -> Limits:
        """Change some limits (same names as Limits' fields); buckets start full again."""
        known = {f.name for f in fields(Limits)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown limits: {sorted(unknown)}")
        self.limits = replace(self.limits, **changes)
        return self.limits

    def reset(self) -> None:
        """Forget users, chats, updates, messages, files, faults, blocks and stats.

        Limits go back to those given at construction. Update ids and seq numbers keep
        counting up, so a bot still polling is not confused by an offset from before.
        """
        self._clear()
        self.zalo.clear()
        self.limits = replace(self._initial_limits)
        self._notifier.notify_all()

    # ----- what users do -------------------------------------------------------------------

    def inject_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_NAME,
        last_name: str | None = None,
        username: str | None = None,
    ) -> int:
        """The user sends `text`; a leading /command gets its bot_command entity."""
        user = self._meet(user_id, first_name, last_name, username)
        return self._push_message(user, text=text, entities=command_entities(text))

    def inject_contact(
        self,
        user_id: int,
        phone: str,
        *,
        contact_user_id: int | None = _OWN_CARD,
        first_name: str = DEFAULT_NAME,
    ) -> int:
        """The user shares a contact card: their own by default, another's, or one without id."""
        card_user_id = user_id if contact_user_id is _OWN_CARD else contact_user_id
        own_name = first_name if card_user_id == user_id else DEFAULT_NAME
        user = self._meet(user_id, own_name, None, None)
        contact: JSONDict = {"phone_number": phone, "first_name": first_name}
        if card_user_id is not None:
            contact["user_id"] = card_user_id
        return self._push_message(user, contact=contact)

    def inject_button(self, user_id: int, message_id: int, data: str) -> int:
        """The user taps a button of the bot's message `message_id` (data may be forged).

        An unknown message_id arrives as an inaccessible message (date 0), as Telegram does.
        """
        user = self._meet(user_id, DEFAULT_NAME, None, None)
        query_id = str(next(self._query_ids))
        self._open_queries[query_id] = user_id
        sent = self._sent_by_id.get((user_id, message_id))
        chat = private_chat_dict(user)
        if sent is None:
            message: JSONDict = {"message_id": message_id, "date": 0, "chat": chat}
        else:
            message = self.message_of(sent)
        query: JSONDict = {
            "id": query_id,
            "from": user_dict(user),
            "chat_instance": str(user_id),
            "message": message,
            "data": data,
        }
        return self._push_update({"callback_query": query})

    def inject_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> int:
        """The user sends a file; getFile and the download route serve `content` back."""
        user = self._meet(user_id, DEFAULT_NAME, None, None)
        stored = self.files.store(content, "documents", file_name=file_name, mime_type=mime_type)
        return self._push_message(user, document=document_dict(stored), caption=caption)

    def inject_photo(self, user_id: int, content: bytes, *, caption: str | None = None) -> int:
        """The user sends a photo (one size only)."""
        user = self._meet(user_id, DEFAULT_NAME, None, None)
        stored = self.files.store(content, "photos", file_name=None, mime_type="image/jpeg")
        return self._push_message(user, photo=photo_sizes(stored), caption=caption)

    def inject_sticker(self, user_id: int) -> int:
        """The user sends a sticker, which the bot should politely not understand."""
        user = self._meet(user_id, DEFAULT_NAME, None, None)
        stored = self.files.store(b"RIFF\x00\x00\x00\x00WEBP", "stickers", mime_type="image/webp")
        return self._push_message(user, sticker=sticker_dict(stored))

    def add_user(self, user_id: int, *, first_name: str = DEFAULT_NAME) -> None:
        """A user who started the bot some time ago: the bot may write to them, and no
        update is queued (for tests whose bot process starts after that moment)."""
        self._meet(user_id, first_name, None, None)

    def block(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends to them answer 403."""
        if blocked:
            self._blocked.add(chat_id)
        else:
            self._blocked.discard(chat_id)

    def is_blocked(self, chat_id: int) -> bool:
        """Whether the user blocked the bot."""
        return chat_id in self._blocked

    def _meet(
        self, user_id: int, first_name: str, last_name: str | None, username: str | None
    ) -> SandboxUser:
        user = self.users.get(user_id)
        if user is None:
            user = self.users[user_id] = SandboxUser(user_id, first_name, last_name, username)
        elif first_name != DEFAULT_NAME or last_name or username:
            user.first_name = first_name
            user.last_name = last_name if last_name is not None else user.last_name
            user.username = username if username is not None else user.username
        return user

    def _push_message(self, user: SandboxUser, **content: Any) -> int:
        message = message_dict(
            self.next_message_id(user.id),
            int(time.time()),
            private_chat_dict(user),
            user_dict(user),
            **content,
        )
        return self._push_update({"message": message})

    def _push_update(self, payload: JSONDict) -> int:
        update_id = next(self._update_ids)
        self._updates.append((update_id, {"update_id": update_id, **payload}))
        self._notifier.notify_all()
        return update_id

    # ----- what tests read and wait for ----------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages delivered so far (to one chat, or all), oldest first; edits show in place."""
        if chat_id is None:
            return list(self._sent)
        return list(self._sent_by_chat.get(chat_id, ()))

    async def wait_for_sent(
        self,
        chat_id: int,
        count: int,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """All of that chat's messages, once there are at least `count`."""

        def enough() -> bool:
            return len(self._sent_by_chat.get(chat_id, ())) >= count

        if await self._notifier.wait_for(enough, timeout):
            return self.sent(chat_id)
        got = self.sent(chat_id)
        lines = [f"  #{m.seq} {m.method} {m.text or m.caption or m.file_name!r}" for m in got]
        raise TimeoutError(
            f"waited {timeout:g} s for {count} message(s) to chat {chat_id}, got {len(got)}"
            + (":\n" + "\n".join(lines) if lines else "")
            + f"\n  updates not yet fetched by the bot: {self.pending_updates()}"
            + f"\n  responses by status: {dict(self.stats.responses)}"
        )

    async def wait_until_idle(self, *, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Return once the bot has fetched every injected update."""
        if not await self._notifier.wait_for(lambda: self.pending_updates() == 0, timeout):
            raise TimeoutError(
                f"the bot did not fetch {self.pending_updates()} update(s) within {timeout:g} s"
                " (is it polling this sandbox?)"
            )

    def pending_updates(self) -> int:
        """Injected updates no getUpdates answer has carried yet."""
        return sum(1 for update_id, _ in self._updates if update_id > self._fetched_up_to)

    def wake_waiters(self) -> None:
        """Make every waiter re-check now (the server calls this when it stops)."""
        self._notifier.notify_all()

    async def wait(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until `predicate()` holds, re-checked on every change; False on timeout."""
        return await self._notifier.wait_for(predicate, seconds)

    # ----- faults --------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        """Fail matching requests from now on (see Fault)."""
        self._faults.add(fault)

    def clear_faults(self) -> None:
        """Stop failing requests."""
        self._faults.clear()

    def faults(self) -> list[Fault]:
        """The faults still armed."""
        return self._faults.active()

    def take_fault(self, method: str) -> Fault | None:
        """The fault to serve for this request, if one fires."""
        fault = self._faults.take(method)
        if fault is not None:
            self.stats.faults += 1
        return fault

    # ----- bot side: updates ---------------------------------------------------------------

    def get_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        """getUpdates without waiting: confirm below `offset`, answer up to `limit` updates."""
        if offset is not None:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [(uid, u) for uid, u in self._updates if uid >= offset]
        batch = self._updates[: max(1, min(limit, 100))]
        if batch:
            self._fetched_up_to = max(self._fetched_up_to, batch[-1][0])
            self._notifier.notify_all()
        return [update for _, update in batch]

    def take_update(self, busy: Callable[[JSONDict], bool]) -> JSONDict | None:
        """Hand over the oldest queued update that is not `busy` (its chat has one in
        flight), for webhook delivery: taken is confirmed, the pusher retries until accepted."""
        for index, (_, update) in enumerate(self._updates):
            if not busy(update):
                del self._updates[index]
                self._notifier.notify_all()
                return update
        return None

    def has_updates(self) -> bool:
        """Whether getUpdates would answer something now."""
        return bool(self._updates)

    async def long_poll(self, stopping: Callable[[], bool], seconds: float) -> None:
        """Wait until there is an update to answer, the server stops, or `seconds` pass."""
        self.polling += 1
        self._notifier.notify_all()
        try:
            await self._notifier.wait_for(lambda: self.has_updates() or stopping(), seconds)
        finally:
            self.polling -= 1
            self._notifier.notify_all()

    def drop_pending_updates(self) -> None:
        """deleteWebhook(drop_pending_updates=True)."""
        self._updates.clear()
        self._notifier.notify_all()

    def unconfirmed_updates(self) -> int:
        """Telegram's pending_update_count: updates no offset has confirmed."""
        return len(self._updates)

    # ----- bot side: chats and messages ----------------------------------------------------

    def require_chat(self, chat_id: int) -> SandboxUser:
        """The chat's user, or the error Telegram gives for a chat the bot may not write to."""
        user = self.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def acquire_send_slot(self, chat_id: int) -> None:
        """Spend a token of the overall and the chat's bucket, or raise 429."""
        retry_after = self._limiter.try_acquire(chat_id)
        if retry_after:
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    def next_message_id(self, chat_id: int) -> int:
        """Message ids count per chat, shared by the user's and the bot's messages."""
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    def next_seq(self) -> int:
        """The delivery order number of the next sent message."""
        return next(self._seqs)

    def record_sent(self, message: SentMessage, as_json: JSONDict) -> None:
        """A message reached its chat; `as_json` is the `Message` the bot was answered."""
        self._sent.append(message)
        self._sent_by_chat.setdefault(message.chat_id, []).append(message)
        self._sent_by_id[(message.chat_id, message.message_id)] = message
        self._sent_json[(message.chat_id, message.message_id)] = as_json
        self.stats.delivered += 1
        self._notifier.notify_all()

    def find_sent(self, chat_id: int, message_id: int) -> SentMessage | None:
        """The bot's message `message_id` in that chat, if it sent one."""
        return self._sent_by_id.get((chat_id, message_id))

    def changed(self) -> None:
        """Tell waiters a recorded message changed (an edit)."""
        self._notifier.notify_all()

    def message_of(self, sent: SentMessage) -> JSONDict:
        """The Telegram `Message` last answered for one of the bot's messages."""
        return dict(self._sent_json[(sent.chat_id, sent.message_id)])

    def set_message_json(self, sent: SentMessage, message: JSONDict) -> None:
        """Remember the `Message` answered for `sent` (again after an edit)."""
        self._sent_json[(sent.chat_id, sent.message_id)] = message

    def bot_user(self) -> JSONDict:
        """The bot's own `User`, as getMe answers it."""
        return bot_user_dict(self.bot_id, self.bot_first_name, self.bot_username)

    def answer_callback(self, query_id: str, text: str | None, show_alert: bool) -> None:
        """answerCallbackQuery: each injected query may be answered once."""
        user_id = self._open_queries.pop(query_id, None)
        if user_id is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_answers.append(CallbackAnswer(query_id, user_id, text, show_alert))
        self._notifier.notify_all()


def _bot_id_from_token(token: str | None) -> int:
    """A real token starts with the bot's id: "123456:ABC..."."""
    if token:
        head = token.split(":", 1)[0]
        if head.isdigit():
            return int(head)
    return DEFAULT_BOT_ID
