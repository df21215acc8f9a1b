"""Fixtures shared by the whole suite: a fresh database on SQLite (default) or PostgreSQL
(when NHACVIEC_TEST_DATABASE_URL is set), the sandbox Bot API server, and a running bot."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.runtime import BotRuntime
from bot.sandbox import Limits, SandboxServer, SandboxState
from bot.settings import Settings
from schedules.clock import ManualClock
from storage.engine import Database, normalize_url
from storage.migrate import upgrade

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as `bot.cli.main` does for the real process

POSTGRES_ENV = "NHACVIEC_TEST_DATABASE_URL"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TEST_TOKEN = "123456:TEST-TOKEN-never-logged"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of its own for this test session, created on the server named by the
    environment and dropped afterwards; None when the suite runs on SQLite."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield None
        return
    base = make_url(normalize_url(server))
    name = f"nhacviec_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path, postgres_url: str | None) -> str:
    """An empty, migrated database for one test."""
    if postgres_url is None:
        url = f"sqlite:///{tmp_path / 'nhacviec.db'}"
        engine = create_engine(url)
        upgrade(engine)
        engine.dispose()
        return url
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return postgres_url


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


def bot_settings(database_url: str, sandbox: SandboxServer) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token=TEST_TOKEN,
        telegram_api_url=sandbox.url,
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
