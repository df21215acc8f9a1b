"""Fixtures shared by the whole suite: a fresh database on SQLite (default) or PostgreSQL
(when NHACVIEC_TEST_DATABASE_URL is set), the sandbox Bot API server, and a running bot.

The migrations run once per session; each test gets a fresh copy of the result (a copy of
the file on SQLite, the tables emptied on PostgreSQL), far quicker than migrating
again. `tests/storage/test_migrations.py` still runs the real migrations, on an empty one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlmodel import SQLModel

from bot.runtime import BotRuntime
from bot.sandbox import Limits, SandboxServer, SandboxState
from bot.settings import Settings
from schedules.clock import ManualClock
from storage.engine import Database, normalize_url
from storage.migrate import upgrade
from tests import log_check

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as `bot.cli.main` does for the real process

POSTGRES_ENV = "NHACVIEC_TEST_DATABASE_URL"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TEST_TOKEN = "123456:TEST-TOKEN-never-logged"
TEST_ZALO_TOKEN = "3197:zalo-TEST-token-never-logged"


@pytest.fixture(scope="session", autouse=True)
def log_watch() -> log_check.LeakWatch:
    """The log check (tests/log_check.py), armed with the suite's tokens and the people of
    its rosters; the harness and the sandbox's people add themselves as they are made."""
    from tests.factories import INTAKE_ROSTER
    from tests.schedules.roster_sheet_files import TREE

    watch = log_check.WATCH
    for token in (TEST_TOKEN, TEST_ZALO_TOKEN):
        watch.forbid("token", token, token.split(":", 1)[1])
    for row in [line.split(",") for line in INTAKE_ROSTER] + [list(row) for row in TREE[1:]]:
        log_check.forbid_person(row[4], row[5])  # the chair
        log_check.forbid_person(row[6], row[7])  # the officer
    log_check.install(watch)
    return watch


@pytest.fixture(autouse=True)
def no_leak_in_logs(
    request: pytest.FixtureRequest, log_watch: log_check.LeakWatch
) -> Iterator[None]:
    """Fails the test during which a token, a phone or a name was logged at INFO or above."""
    log_check.install(log_watch)
    log_watch.test = request.node.nodeid
    before = len(log_watch.leaks)
    yield
    leaks = log_watch.leaks[before:]
    if leaks:
        found = sorted({f"{leak.kind} in a {leak.level} line of {leak.logger}" for leak in leaks})
        pytest.fail("logged what identifies a person or unlocks the bot: " + "; ".join(found))


@dataclass
class PostgresServer:
    """The server named by the environment, and this session's databases on it (all named
    with the session's prefix, and all dropped when the session ends)."""

    base: URL
    admin: Engine
    prefix: str

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def new_name(self) -> str:
        return f"{self.prefix}_{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own inbound spool folder (bot/inbound_spool.py), for the bots it runs in
    process and the `nhacviec run` processes it starts (they inherit the environment)."""
    folder = tmp_path / "spool"
    monkeypatch.setenv("NHACVIEC_SPOOL_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """None when the suite runs on SQLite."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield None
        return
    base = make_url(normalize_url(server))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        yield PostgresServer(base, admin, f"nhacviec_test_{uuid.uuid4().hex[:8]}")
    finally:
        admin.dispose()


def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()  # no connection may stay open on a template


@pytest.fixture(scope="session")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None
) -> Iterator[str]:
    """The migrated schema, built once per session: on SQLite a template file each test
    copies; on PostgreSQL this session's database, which each test empties
    (`PostgresEmptier`: deleting the rows is quicker than `CREATE DATABASE … TEMPLATE` and
    a drop, 100–180 ms a test, and than TRUNCATE)."""
    if postgres_server is None:
        path = tmp_path_factory.mktemp("template") / "nhacviec.db"
        _migrate(f"sqlite:///{path}")
        # Fold any write-ahead log into the file, so that copying the file copies it all.
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE")
        finally:
            connection.close()
        assert not path.with_name(path.name + "-wal").exists()
        yield str(path)
        return
    name = f"{postgres_server.prefix}_main"
    url = postgres_server.create(name)
    _migrate(url)
    try:
        yield url
    finally:
        postgres_server.drop(name)


class PostgresEmptier:
    """Empties this session's PostgreSQL database between tests with `DELETE`, not `TRUNCATE`.

    TRUNCATE gives each table and index new files, and on a loaded machine that cost
    ~1.1 s a test (the suite's setup was half its time on PostgreSQL); deleting the few
    rows a test leaves costs milliseconds. Foreign-key checks are off while deleting
    (`session_replication_role = replica`: the tests connect as a superuser, and every
    table is emptied anyway) and the commit does not wait for the disk (nothing needs the
    empty state to survive a crash). Sequences that were used start at 1 again: some tests
    name ids. Without autovacuum (off on the test server) the dead rows would pile up, so a
    table is vacuumed once it has shed `VACUUM_AFTER` rows."""

    VACUUM_AFTER = 20_000

    def __init__(self, url: str) -> None:
        # Pre-ping: reliability tests terminate every backend of the database.
        self.engine = create_engine(url, pool_size=1, pool_pre_ping=True)
        with self.engine.connect() as connection:
            present = set(
                connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
            )
        # Children first, so the deletes would also hold with the checks on.
        ordered = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
        self.tables = [name for name in ordered if name in present]
        self.tables += sorted(present - set(ordered) - {"alembic_version"})
        self.deleted: Counter[str] = Counter()

    def empty(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text("SET LOCAL synchronous_commit = off"))
            for table in self.tables:
                self.deleted[table] += connection.execute(text(f'DELETE FROM "{table}"')).rowcount
            connection.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                    "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
                )
            )
        worn = [table for table in self.tables if self.deleted[table] >= self.VACUUM_AFTER]
        if worn:
            with self.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM " + ", ".join(f'"{table}"' for table in worn))
                )
            for table in worn:
                del self.deleted[table]

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_emptier(
    migrated_database: str, postgres_server: PostgresServer | None
) -> Iterator[PostgresEmptier | None]:
    """None on SQLite, where each test copies the template file instead."""
    if postgres_server is None:
        yield None
        return
    import storage.models  # noqa: F401  (the tables, for their order)

    emptier = PostgresEmptier(migrated_database)
    try:
        yield emptier
    finally:
        emptier.dispose()


@pytest.fixture
def database_url(
    tmp_path: Path, migrated_database: str, postgres_emptier: PostgresEmptier | None
) -> str:
    """An empty, migrated database for one test (handler processes and second bot processes
    started by the test open the same URL)."""
    if postgres_emptier is None:
        path = tmp_path / "nhacviec.db"
        shutil.copyfile(migrated_database, path)
        return f"sqlite:///{path}"
    postgres_emptier.empty()
    return migrated_database


@pytest.fixture
def empty_database_url(tmp_path: Path, postgres_server: PostgresServer | None) -> Iterator[str]:
    """A database with no schema at all, for the test of the migrations themselves."""
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = postgres_server.new_name()
    url = postgres_server.create(name)
    try:
        yield url
    finally:
        postgres_server.drop(name)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.from_url(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    """Friday 20/11/2026, 09:00 in Hà Nội."""
    return ManualClock(datetime(2026, 11, 20, 9, 0, tzinfo=VN))


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    # Telegram lets a private chat take a short burst; tests type faster than people, so the
    # burst is wider here. Tests of the limits themselves set their own.
    server = SandboxServer(SandboxState(limits=Limits(per_chat_burst=10)))
    await server.start()
    yield server
    await server.stop()


def bot_settings(
    database_url: str, sandbox: SandboxServer, *, telegram: bool = True, zalo: bool = False
) -> Settings:
    """The bot aimed at the sandbox: Telegram, and Zalo too when asked (its own dialect)."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token=TEST_TOKEN if telegram else None,
        telegram_api_url=sandbox.url,
        zalo_token=TEST_ZALO_TOKEN if zalo else None,
        zalo_api_url=sandbox.zalo_base_url,
    )


@pytest.fixture
async def bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """The real PTB application polling the sandbox, with the timer off: tests move the
    clock and call `dispatch_now`."""
    runtime = BotRuntime(
        bot_settings(database_url, sandbox),
        clock=clock,
        dispatch_interval=None,
        per_chat_interval=0,
    )
    async with runtime:
        yield runtime


@pytest.fixture
async def two_channel_bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """As `bot`, with Zalo polling the sandbox's Zalo dialect beside Telegram."""
    runtime = BotRuntime(
        bot_settings(database_url, sandbox, zalo=True),
        clock=clock,
        dispatch_interval=None,
        per_chat_interval=0,
    )
    async with runtime:
        yield runtime
