"""The turn under real database faults, over HTTP, with the handler processes: 300 chairs
reply while the database's connections are cut again and again (PostgreSQL:
`pg_terminate_backend` on every backend of the bot's database; SQLite: the file locked
exclusively for a few seconds at a time). Every chair is answered once, every reply stored
once, and the bot goes on without a restart. On PostgreSQL the database also goes away for
longer than a turn waits: those chairs get the apology, their messages wait in the spool,
and the next start handles them. A NUL byte, control characters, an update delivered twice
and a new bot whose update numbers start again go through the same path.

The figures are printed (`-s`) for docs/reliability.md#tin-nhắn-đến--inbound."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from telegram import Update

from bench.replies import FIRST_USER, seed
from bot.runtime import BotRuntime
from bot.sandbox import Limits, SandboxServer, SandboxState
from bot.settings import Settings
from handlers.texts import DATABASE_UNAVAILABLE, HELP_CHAIR_HEADING, RECEIVED
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import InboundMessage, Reply
from tests.conftest import PostgresServer, bot_settings
from tests.e2e.test_restart import start_bot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHAIRS = 300
PATIENCE = 180.0  # bounds a failure only
LOCK_SECONDS = 3.0  # SQLite: how long each exclusive lock is held (its busy timeout is 30 s)
LOCKS = 3


def settings_for(database_url: str, sandbox: SandboxServer, **changes: object) -> Settings:
    """The bot with the sending quota lifted (Telegram's 30 a second is not what is tested)."""
    return bot_settings(database_url, sandbox).model_copy(
        update={"send_rate_per_second": 1e9, **changes}
    )


@pytest.fixture
async def open_sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(
        SandboxState(limits=Limits(overall_per_second=float("inf"), per_chat_burst=10))
    )
    await server.start()
    yield server
    await server.stop()


def chairs() -> list[int]:
    return [FIRST_USER + n for n in range(CHAIRS)]


def answers(sandbox: SandboxServer, chat: int) -> list[str]:
    return [m.text or "" for m in sandbox.state.sent(chat)]


def replies_per_assignment(db: Database) -> Counter[int]:
    with db.session() as session:
        return Counter(session.scalars(select(Reply.assignment_id)))


async def until(check: Callable[[], bool], sandbox: SandboxServer) -> None:
    assert await sandbox.state.wait(check, PATIENCE), "not reached in time"


class Cutter:
    """Cuts the database's connections until stopped, in a thread: every backend of the
    database on PostgreSQL, an exclusive lock on the SQLite file."""

    def __init__(self, database_url: str) -> None:
        self._url = make_url(database_url)
        self._stop = threading.Event()
        self.cuts = 0  # backends terminated, or locks held
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Cutter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(PATIENCE)

    def _run(self) -> None:
        if self._url.get_backend_name() == "sqlite":
            self._lock_sqlite(str(self._url.database))
        else:
            self._terminate_backends()

    def _terminate_backends(self) -> None:
        engine = create_engine(self._url, isolation_level="AUTOCOMMIT")
        terminate = text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        try:
            with engine.connect() as connection:
                while not self._stop.wait(0.15):
                    self.cuts += int(connection.execute(terminate).scalar() or 0)
        finally:
            engine.dispose()

    def _lock_sqlite(self, path: str) -> None:
        connection = sqlite3.connect(path, timeout=60, isolation_level=None)
        try:
            for _ in range(LOCKS):
                if self._stop.is_set():
                    return
                connection.execute("BEGIN EXCLUSIVE")
                self.cuts += 1
                self._stop.wait(LOCK_SECONDS)  # the fault's length, not a wait for a result
                connection.execute("COMMIT")
                self._stop.wait(0.5)
        finally:
            connection.close()


async def test_300_replies_with_connections_cut_repeatedly_are_all_answered_once(
    database_url: str, db: Database, open_sandbox: SandboxServer, clock: ManualClock
) -> None:
    sandbox = open_sandbox
    seed(db, CHAIRS, clock.now())
    async with BotRuntime(
        settings_for(database_url, sandbox), clock=clock, dispatch_interval=None
    ) as bot:
        with Cutter(database_url) as cutter:
            for chat in chairs():
                sandbox.state.inject_text(chat, "xong")
            await until(lambda: all(answers(sandbox, chat) for chat in chairs()), sandbox)
        await until(lambda: bot.in_flight == 0, sandbox)
        stored = replies_per_assignment(db)
        # The bot recovers without a restart: the next message is answered as usual.
        sandbox.state.inject_text(FIRST_USER, "/trogiup")
        await until(lambda: len(answers(sandbox, FIRST_USER)) == 2, sandbox)
        spool = bot.spool
        assert spool is not None
        await until(lambda: spool.open_count == 0, sandbox)  # done once answered
        kept = spool.open_count

    said = {chat: answers(sandbox, chat) for chat in chairs()}
    silent = [chat for chat, texts in said.items() if not texts]
    doubled = [chat for chat in chairs()[1:] if len(said[chat]) > 1]
    receipts = sum(1 for texts in said.values() if texts[0].startswith("Đã ghi nhận"))
    received = sum(1 for texts in said.values() if texts[0] == RECEIVED)
    print(
        f"\n{make_url(database_url).get_backend_name()}: {cutter.cuts} cuts during "
        f"{CHAIRS} replies; answered {CHAIRS - len(silent)}, silent {len(silent)}, "
        f"doubled {len(doubled)}; receipts {receipts}, 'received' {received}; "
        f"replies stored {sum(stored.values())} for {len(stored)} assignments; "
        f"left in the spool {kept}"
    )
    assert cutter.cuts > 0  # the faults did happen
    assert silent == [] and doubled == []
    assert receipts + received == CHAIRS
    assert len(stored) == CHAIRS and max(stored.values()) == 1  # one reply per chair
    assert HELP_CHAIR_HEADING in said[FIRST_USER][1]  # and the message after the faults
    assert kept == 0


async def test_a_database_away_past_the_bound_gets_the_apology_and_the_next_start_handles_it(
    database_url: str,
    db: Database,
    open_sandbox: SandboxServer,
    clock: ManualClock,
    postgres_server: PostgresServer | None,
) -> None:
    if postgres_server is None:
        pytest.skip("the outage is a PostgreSQL that refuses connections")
    sandbox = open_sandbox
    seed(db, 20, clock.now())
    people = chairs()[:20]
    name = make_url(database_url).database
    admin = postgres_server.admin
    settings = settings_for(database_url, sandbox, turn_retry_seconds=2.0)
    async with BotRuntime(settings, clock=clock, dispatch_interval=None) as bot:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        try:
            for chat in people:
                sandbox.state.inject_text(chat, "vướng: thiếu kinh phí")
            await until(lambda: all(answers(sandbox, chat) for chat in people), sandbox)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        await until(lambda: bot.in_flight == 0, sandbox)
        assert bot.spool is not None
        assert bot.spool.open_count == 20  # kept, to be handled once the database is back
    assert {answers(sandbox, chat)[0] for chat in people} == {DATABASE_UNAVAILABLE}
    assert replies_per_assignment(db) == Counter()

    async with BotRuntime(settings, clock=clock, dispatch_interval=None) as bot:  # next start
        await until(lambda: all(len(answers(sandbox, chat)) == 2 for chat in people), sandbox)
    assert all(answers(sandbox, chat)[1].startswith("Đã ghi nhận") for chat in people)
    assert replies_per_assignment(db) == Counter(dict.fromkeys(range(1, 21), 1))
    assert bot.spool is not None and bot.spool.open_count == 0


async def test_nul_bytes_control_characters_and_a_redelivery(
    database_url: str, db: Database, open_sandbox: SandboxServer, clock: ManualClock
) -> None:
    sandbox = open_sandbox
    seed(db, 3, clock.now())
    first, second, third = chairs()[:3]
    async with BotRuntime(
        settings_for(database_url, sandbox), clock=clock, dispatch_interval=None
    ) as bot:
        sandbox.state.inject_text(first, "vướng: thiếu\x00 kinh phí")
        sandbox.state.inject_text(second, "\x01\x02\x1b[31m\u202e\u200bxong")
        await until(lambda: bool(answers(sandbox, first) and answers(sandbox, second)), sandbox)
        # The same update delivered again (a restart before Telegram heard it was taken).
        update = {
            "update_id": 777,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": third, "type": "private"},
                "from": {"id": third, "is_bot": False, "first_name": "An"},
                "text": "xong",
            },
        }
        assert bot.application is not None
        sandbox.state.add_user(third, first_name="An")
        for _ in range(2):
            await bot.application.update_queue.put(Update.de_json(update, bot.application.bot))
        await until(lambda: bool(answers(sandbox, third)), sandbox)
        await until(lambda: bot.in_flight == 0 and bot.application is not None
                    and bot.application.update_queue.empty(), sandbox)  # fmt: skip
    with db.session() as session:
        notes = {
            reply.raw_text: (reply.progress, reply.note) for reply in session.scalars(select(Reply))
        }
        inbound_777 = session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.update_id == "777")
        )
    assert answers(sandbox, first)[0].startswith("Đã ghi nhận")
    assert notes["vướng: thiếu kinh phí"] == ("blocked", "thiếu kinh phí")
    assert notes["xong"] == ("done", None)  # no "31m" note, no junk kept
    assert len(answers(sandbox, third)) == 1 and inbound_777 == 1


async def test_a_new_bot_whose_update_numbers_start_again_is_answered(
    database_url: str, db: Database, clock: ManualClock
) -> None:
    """The database outlives its Bot API server: a new token's updates are numbered from 1
    again, and all 17 of 17 are answered."""
    seed(db, 17, clock.now())
    people = chairs()[:17]
    for token in ("111:OLD-TOKEN-never-logged", "222:NEW-TOKEN-never-logged"):
        sandbox = SandboxServer(
            SandboxState(token=token, limits=Limits(overall_per_second=float("inf")))
        )
        await sandbox.start()
        try:
            settings = settings_for(database_url, sandbox).model_copy(
                update={"telegram_token": SecretStr(token)}
            )
            async with BotRuntime(settings, clock=clock, dispatch_interval=None):
                for chat in people:
                    sandbox.state.inject_text(chat, "/trogiup")
                await until(lambda: all(answers(sandbox, c) for c in people), sandbox)  # noqa: B023
            answered = sum(1 for chat in people if answers(sandbox, chat))
        finally:
            await sandbox.stop()
        assert answered == 17
    with db.session() as session:
        bots = Counter(session.scalars(select(InboundMessage.bot_id)))
    assert bots == Counter({"111": 17, "222": 17})


class Blocker:
    """Holds the table of inbound messages locked, so every turn waits inside its
    transaction: SQLite's whole file, PostgreSQL's table."""

    def __init__(self, database_url: str) -> None:
        self._url = make_url(database_url)
        self._sqlite: sqlite3.Connection | None = None
        self._engine = (
            None if self._url.get_backend_name() == "sqlite" else create_engine(self._url)
        )
        self._connection: Any = None

    def __enter__(self) -> Blocker:
        if self._engine is None:
            self._sqlite = sqlite3.connect(
                str(self._url.database), timeout=60, isolation_level=None
            )
            self._sqlite.execute("BEGIN EXCLUSIVE")
        else:
            self._connection = self._engine.connect()
            self._connection.execute(text("LOCK TABLE inbound_messages IN ACCESS EXCLUSIVE MODE"))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("COMMIT")
            self._sqlite.close()
        if self._connection is not None:
            self._connection.commit()
            self._connection.close()
        if self._engine is not None:
            self._engine.dispose()


async def test_updates_confirmed_to_telegram_survive_a_kill_before_they_were_stored(
    tmp_path: Path, database_url: str, db: Database, sandbox: SandboxServer, clock: ManualClock
) -> None:
    """`nhacviec run` takes 20 replies from getUpdates and confirms them (its next poll)
    while the database makes every turn wait; it is killed (SIGKILL) before any is stored.
    The next start finds them in the spool: each chair is answered once, each reply stored
    once. (Without the spool, Telegram would have forgotten all 20.)"""
    people = chairs()[:20]
    seed(db, 20, clock.now())
    sandbox.state.set_limits(overall_per_second=float("inf"))
    first = start_bot(database_url, sandbox, tmp_path)
    try:
        assert await sandbox.state.wait(lambda: sandbox.state.polling > 0, PATIENCE)
        with Blocker(database_url):
            for chat in people:
                sandbox.state.inject_text(chat, "xong")
            confirmed = await sandbox.state.wait(
                lambda: sandbox.state.unconfirmed_updates() == 0 and sandbox.state.polling > 0,
                PATIENCE,
            )
            first.send_signal(signal.SIGKILL)
            await asyncio.to_thread(first.wait, PATIENCE)
            answered_before = sum(1 for chat in people if answers(sandbox, chat))
    finally:
        first.kill()
    assert confirmed and answered_before == 0

    second = start_bot(database_url, sandbox, tmp_path)
    try:
        await until(lambda: all(answers(sandbox, chat) for chat in people), sandbox)
        await until(lambda: replies_per_assignment(db).total() == 20, sandbox)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, PATIENCE)
    said = [answers(sandbox, chat) for chat in people]
    print(f"\nkilled after confirming 20 updates: {sum(map(len, said))} answers to 20 chairs")
    assert all(len(texts) == 1 for texts in said)
    assert all(texts[0].startswith("Đã ghi nhận") or texts[0] == RECEIVED for texts in said)
    assert set(replies_per_assignment(db).values()) == {1}
