"""The conversations in process: people talking to `handlers.router.handle` directly, on the
test's real database, with a manual clock, no Telegram, no sandbox and no handler process.

A `Chat` does what a person does on the platform (says a line, taps a button, shares a
contact, sends a file) and gets back what the bot answers (`Outgoing`: text and buttons).
What the bot sends later goes through the outbox: `World.deliver` hands what is due to the
people it is for, as the dispatcher would (without the platform, its limits and faults:
those are tested over HTTP in `tests/e2e`)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.context import Services
from handlers.messages import Attachment, Channel, Choice, Contact, Incoming, Outgoing
from handlers.numbered_choices import flatten_stored, is_text_only, numbered_text, remember
from handlers.router import handle
from handlers.texts import for_channel
from schedules.calendar import WorkingCalendar
from schedules.clock import ManualClock
from schedules.reminders import PlanResult, plan_reminders
from schedules.summary_on_demand import deliver_requested
from storage.engine import Database
from storage.models import OutboxMessage
from storage.outbox import claim_due, mark_sent
from tests.conftest import VN
from tests.factories import PROVINCE_ROSTER, write_roster
from tests.log_check import forbid_person

BOT_USERNAME = "nhacviec_test_bot"
WORKER = "in-process-test"


@dataclass(repr=False)
class World:
    """The bot's services on one database, and everything it said in each chat."""

    services: Services
    clock: ManualClock
    folder: Path
    monkeypatch: pytest.MonkeyPatch
    database_url: str
    files: dict[str, bytes]  # what `Services.fetch_file` hands out, by file id
    # chat id → every message the bot put there (answers and outbox deliveries), in order
    chats: dict[str, list[Outgoing]] = field(default_factory=lambda: defaultdict(list))
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def open(
        cls,
        db: Database,
        clock: ManualClock,
        *,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        database_url: str,
    ) -> World:
        files: dict[str, bytes] = {}

        def fetch_file(file_id: str) -> bytes:
            if file_id not in files:
                raise OSError(f"no file {file_id}")
            return files[file_id]

        services = Services(
            db=db, clock=clock, zone=VN, bot_username=BOT_USERNAME, fetch_file=fetch_file
        )
        return cls(services, clock, folder, monkeypatch, database_url, files)

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def calendar(self) -> WorkingCalendar:
        return self.services.calendar or WorkingCalendar(tz=self.services.zone)

    def person(
        self, user_id: int, name: str, phone: str = "", *, channel: Channel = Channel.TELEGRAM
    ) -> Chat:
        forbid_person(name, phone)  # never to be logged (tests/log_check.py)
        return Chat(self, user_id, name, phone, channel=channel)

    def next_id(self) -> str:
        return str(next(self._ids))

    def import_roster(
        self, rows: list[str] = PROVINCE_ROSTER, name: str = "roster.csv", *, yes: bool = False
    ) -> None:
        """`nhacviec roster import` (`--yes` when it replaces or archives), as an administrator
        runs it (on the real clock)."""
        self.monkeypatch.setenv("NHACVIEC_DATABASE_URL", self.database_url)
        path = str(write_roster(self.folder / name, rows))
        assert main(["roster", "import", path, *(["--yes"] if yes else [])]) == 0

    def plan(self) -> PlanResult:
        """The planner's pass at the clock's time, on the settings' calendar."""
        with self.db.session() as session:
            return plan_reminders(
                session,
                now=self.clock.now(),
                zone=self.services.zone,
                calendar=self.services.calendar,
            )

    def render_requested(self) -> int:
        """The weekly process's pass over the summaries asked for, at the clock's time: the
        outbox rows it planned."""
        return deliver_requested(self.db, now=self.clock.now(), zone=self.services.zone)

    def deliver(self) -> list[Outgoing]:
        """Hand every outbox message due now to its chat, as the dispatcher does (nothing in
        quiet hours); returns them, oldest first."""
        now = self.clock.now()
        if self.calendar.is_quiet(now):
            return []
        with self.db.session() as session:
            claimed = claim_due(
                session, now=now, worker=WORKER, lease=timedelta(minutes=2), limit=10_000
            )
            for message in claimed:
                mark_sent(
                    session,
                    message_id=message.id,
                    worker=WORKER,
                    platform_message_id=self.next_id(),
                    now=now,
                )
        delivered = []
        for message in claimed:
            choices = tuple(
                tuple(Choice(button["label"], button["data"]) for button in row)
                for row in message.choices or ()
            )
            outgoing = Outgoing(message.text, choices, chat_id=message.chat_id, file=message.file)
            if is_text_only(message.channel):  # as bot.zalo_channel.ZaloSender sends it
                listed = flatten_stored(message.choices)
                worded = for_channel(message.text, message.channel)
                outgoing = Outgoing(
                    numbered_text(worded, listed), chat_id=message.chat_id, file=message.file
                )
                if listed:
                    with self.db.session() as session:
                        remember(session, account_id=message.account_id, choices=listed, now=now)
            self.chats[message.chat_id].append(outgoing)
            delivered.append(outgoing)
        return delivered

    def outbox(self) -> list[OutboxMessage]:
        """Every row of the outbox, in the order it was planned."""
        with self.db.session() as session:
            return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@dataclass(repr=False)
class Chat:
    """One person in a private chat with the bot."""

    world: World
    user_id: int
    name: str
    phone: str = ""
    answers: list[Outgoing] = field(default_factory=list)  # to the last thing done
    channel: Channel = Channel.TELEGRAM

    def __repr__(self) -> str:
        return f"Chat({self.user_id}, {self.name!r})"

    @property
    def chat_id(self) -> str:
        return str(self.user_id)  # a private chat's id is the user's

    @property
    def inbox(self) -> list[Outgoing]:
        """Everything the bot said in this chat, oldest first."""
        return self.world.chats[self.chat_id]

    def says(self, text: str) -> Outgoing:
        """Send a line (or a command); the bot's first answer."""
        return self._send(text=text)

    def gives_task(self, line: str) -> Outgoing:
        """`/giaoviec …` and, when the bot shows its preview, the confirmation (the button on
        Telegram, the listed number on Zalo): the answer to the last step."""
        preview = self.says(line)
        for row in preview.choices:
            for choice in row:
                if choice.label.startswith("✅ Giao việc"):
                    return self.taps(choice.data)
        if "1. ✅ Giao việc" in preview.text:
            return self.says("1")
        return preview

    def taps(self, data: str) -> Outgoing:
        """Press a button carrying `data` (a real one, or a forged one)."""
        return self._send(button_data=data)

    def shares_contact(self, phone: str | None = None, *, owner: int | None = None) -> Outgoing:
        """Share a phone number with the contact button: one's own, or `owner`'s card."""
        contact = Contact(
            phone=phone or self.phone,
            user_id=str(self.user_id if owner is None else owner),
            full_name=self.name,
        )
        return self._send(contact=contact)

    def sends_file(
        self, file_name: str | None, content: bytes, *, caption: str | None = None, kind: str = ""
    ) -> Outgoing:
        """Send a document (or, with `kind="photo"`, a photo, which has no name); the bot
        fetches its bytes through `Services.fetch_file`."""
        file_id = f"file-{self.world.next_id()}"
        self.world.files[file_id] = content
        attachment = Attachment(file_id, file_name, None, len(content), kind=kind or "document")
        return self._send(text=caption, attachment=attachment)

    def _send(
        self,
        *,
        text: str | None = None,
        button_data: str | None = None,
        contact: Contact | None = None,
        attachment: Attachment | None = None,
    ) -> Outgoing:
        update_id = self.world.next_id()
        incoming = Incoming(
            channel=self.channel,
            user_id=str(self.user_id),
            chat_id=self.chat_id,
            update_id=update_id,
            display_name=self.name,
            text=text,
            contact=contact,
            attachment=attachment,
            button_data=button_data,
            message_id=update_id,
        )
        handled = handle(self.world.services, incoming, now=self.world.clock.now())
        for answer in handled.answers:
            self.world.chats[answer.chat_id or self.chat_id].append(answer)
        self.answers = handled.answers
        assert handled.answers, f"no answer to {incoming}"
        return handled.answers[0]


def buttons(message: Outgoing) -> dict[str, str]:
    """A message's buttons: label → data."""
    return {choice.label: choice.data for row in message.choices for choice in row}


def labels(message: Outgoing) -> list[list[str]]:
    return [[choice.label for choice in row] for row in message.choices]
