"""One test body for both platforms: a person in a chat with the bot, and the platform's
side of the sandbox, on Telegram or on Zalo.

`Platform(name, sandbox)` hands out `Chat`s and reads the sandbox's record for the dialect;
a `Chat` says a line, chooses one of a message's choices (a button tapped on Telegram, the
number of the listed line typed on Zalo), registers with an invite code (`/start CODE` on
Telegram, `MA CODE` on Zalo) and waits for the bot's messages. Tests that take the
`platform` fixture (tests/e2e/conftest.py) run once per platform.

Contact sharing exists on Telegram only: tests of it use `tests.factories.Person` directly.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from bot.cli import main
from bot.sandbox import Fault, SandboxServer, SentMessage, ZaloSentMessage
from bot.sandbox.records import SandboxStats
from bot.zalo.client import DEFAULT_QUOTA_BACKOFF_SECONDS
from handlers.numbered_choices import LIST_HINT
from tests.factories import Person, ZaloPerson, invite_code, write_roster, zalo_user_id

PLATFORMS = ["telegram", "zalo"]
Message = SentMessage | ZaloSentMessage
# A line of a numbered list as Zalo shows choices (handlers/numbered_choices.py).
LISTED = re.compile(r"^(\d{1,3})\. (.+)$", re.MULTILINE)


class Chat(Protocol):
    """A person writing to the bot on one platform."""

    platform: str
    name: str

    async def say(self, text: str) -> Message: ...

    async def choose(self, message: Message, choice: str | int) -> Message: ...

    async def register(self, officer: Chat, unit_code: str) -> Message: ...

    async def send_sticker(self) -> Message: ...

    async def send_photo(self, *, caption: str | None = None) -> Message: ...

    async def next_message(self, before: int) -> Message: ...

    async def wait_for(self, count: int) -> list[Message]: ...

    def inbox(self) -> list[Message]: ...


def choices_of(message: Message) -> list[str]:
    """The labels of a message's choices, in order: its buttons, or its numbered lines (those
    under the list's hint when there is one: the text above may number its own items)."""
    if isinstance(message, SentMessage):
        return [button["text"] for row in message.buttons for button in row]
    text = message.text or ""
    _, hint, listed = text.rpartition(LIST_HINT)
    return [label for _, label in LISTED.findall(listed if hint else text)]


def _pick(labels: list[str], choice: str | int, text: str | None) -> int:
    """The 1-based number of `choice` (a label, or already a number) among `labels`."""
    if isinstance(choice, int):
        assert 1 <= choice <= len(labels), f"no choice {choice} in {labels} of {text!r}"
        return choice
    assert choice in labels, f"no choice {choice!r} in {labels} of {text!r}"
    return labels.index(choice) + 1


class TelegramChat(Person):
    """A Telegram user: choices are buttons under the message."""

    platform = "telegram"

    async def choose(self, message: Message, choice: str | int) -> Message:
        assert isinstance(message, SentMessage)
        number = _pick(choices_of(message), choice, message.text)
        data = [button["callback_data"] for row in message.buttons for button in row]
        return await self.press(message.message_id, data[number - 1])

    async def register(self, officer: Chat, unit_code: str) -> Message:
        code = invite_code((await officer.say(f"/moi {unit_code}")).text or "")
        return await self.say(f"/start {code}")

    async def wait_for(self, count: int) -> list[Message]:
        return list(await self.sandbox.state.wait_for_sent(self.user_id, count, timeout=180))


class ZaloChat(ZaloPerson):
    """A Zalo user: no buttons, choices are a numbered list answered by typing the number."""

    platform = "zalo"

    async def choose(self, message: Message, choice: str | int) -> Message:
        number = _pick(choices_of(message), choice, message.text)
        return await self.say(str(number))

    async def register(self, officer: Chat, unit_code: str) -> Message:
        code = invite_code((await officer.say(f"/moi {unit_code}")).text or "")
        return await self.say(f"MA {code}")

    async def wait_for(self, count: int) -> list[Message]:
        return list(await self.sandbox.state.zalo.wait_for_sent(self.user_id, count, timeout=180))


@dataclass(frozen=True)
class Platform:
    """The sandbox seen from one platform: its users are numbered as on Telegram (a Zalo
    user's opaque id is made from the number, as `build_branch(channel="zalo")` does)."""

    name: str
    sandbox: SandboxServer

    @property
    def zalo(self) -> bool:
        return self.name == "zalo"

    def chat(self, user: int, name: str) -> Chat:
        if self.zalo:
            return ZaloChat(self.sandbox, zalo_user_id(user), name)
        return TelegramChat(self.sandbox, user, name)

    def external_id(self, user: int) -> str:
        """The user's id as the bot stores it (`ChannelAccount.external_user_id`)."""
        return zalo_user_id(user) if self.zalo else str(user)

    def add_user(self, user: int) -> None:
        """A user who wrote to the bot before (the bot may write to them)."""
        if self.zalo:
            self.sandbox.state.zalo.add_user(zalo_user_id(user))
        else:
            self.sandbox.state.add_user(user)

    def block(self, user: int) -> None:
        if self.zalo:
            self.sandbox.state.zalo.block(zalo_user_id(user))
        else:
            self.sandbox.state.block(user)

    def sent(self, user: int) -> list[Message]:
        if self.zalo:
            return list(self.sandbox.state.zalo.sent(zalo_user_id(user)))
        return list(self.sandbox.state.sent(user))

    def texts(self, user: int) -> list[str]:
        return [message.text or "" for message in self.sent(user)]

    def add_fault(self, fault: Fault) -> None:
        if self.zalo:
            self.sandbox.state.zalo.add_fault(fault)
        else:
            self.sandbox.state.add_fault(fault)

    @property
    def stats(self) -> SandboxStats:
        return self.sandbox.state.zalo.stats if self.zalo else self.sandbox.state.stats

    def quota_wait(self, retry_after: int) -> float:
        """Seconds the bot waits after a 429 that advised `retry_after`: Zalo sends no advice
        (the sandbox does not either), so the client's own back-off applies there."""
        if self.zalo:
            return DEFAULT_QUOTA_BACKOFF_SECONDS
        return float(retry_after)

    async def wait(self, predicate: Callable[[], bool], seconds: float = 180) -> bool:
        return await self.sandbox.state.wait(predicate, seconds)


def load_roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The province roster (tests.factories.PROVINCE_ROSTER), with the real command line."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0


async def officer_on(platform: Platform, *, user: int = 100) -> Chat:
    """The officer of LĐLĐ huyện Tam Đường (LDLD-TU), registered: on Telegram by sharing
    the phone the roster has; on Zalo (no contact key) with the officer's invite code the
    administrator printed (`nhacviec invite --role officer`). The roster must be loaded."""
    officer = platform.chat(user, "Phạm Văn Đức")
    if isinstance(officer, TelegramChat):
        officer.phone = "0912000003"
        greeting = await officer.share_phone()
    else:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            # Printed by the real clock, redeemed on the test's: valid for long enough.
            assert main(["invite", "--unit", "LDLD-TU", "--role", "officer", "--days", "999"]) == 0
        greeting = await officer.say(f"MA {invite_code(printed.getvalue())}")
    assert "Cán bộ LĐLĐ huyện Tam Đường" in (greeting.text or ""), greeting.text
    return officer
