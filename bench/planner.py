"""The reminder planner at national scale: 150,000 grassroots units, each with a chair on
Telegram, and 10 open tasks given to all of them, on PostgreSQL.

Loading (COPY) is not measured. Measured: one planning pass at a working morning when
two of the tasks have a step due (300,000 reminders, minus the units already done, go
into the outbox), a second pass at the same moment (idempotent: nothing new), and one
dispatcher claim of a batch. The database is created for the run and dropped after it
(NHACVIEC_BENCH_DATABASE_URL names the server; default the local test server).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.results import Result, at_most
from schedules.calendar import WorkingCalendar
from schedules.reminders import plan_reminders
from storage.engine import Database, normalize_url
from storage.migrate import upgrade
from storage.models import OutboxMessage
from storage.outbox import claim_due

SERVER_ENV = "NHACVIEC_BENCH_DATABASE_URL"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
UNITS = 150_000
TASKS = 10
BATCH = 200
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 09/12/2026, just after the working morning.
NOW = datetime(2026, 12, 9, 7, 31, tzinfo=VN).astimezone(UTC)
CREATED = datetime(2026, 11, 20, 9, 0, tzinfo=VN).astimezone(UTC)


def _deadlines() -> list[datetime]:
    """Two tasks with a step this morning (before-last, due), eight later ones."""
    near = [datetime(2026, 12, d, 17, 0, tzinfo=VN) for d in (10, 9)]
    far = [datetime(2026, 12, 20 + d, 17, 0, tzinfo=VN) for d in range(TASKS - len(near))]
    return [moment.astimezone(UTC) for moment in near + far]


@contextmanager
def _scratch_database() -> Iterator[str]:
    server = make_url(normalize_url(os.environ.get(SERVER_ENV, DEFAULT_SERVER)))
    name = f"nhacviec_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _copy(cursor: psycopg.Cursor[Any], statement: str, rows: Iterator[tuple[object, ...]]) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def load(db: Database) -> None:
    """The country: a root, 150,000 units with a chair and an account, 10 tasks for all."""
    now = CREATED
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection  # COPY is psycopg's own
        assert isinstance(driver, psycopg.Connection)
        cursor = driver.cursor()
        cursor.execute(
            "INSERT INTO units (id, code, name, level, created_at, updated_at) "
            "VALUES (1, 'TLD', 'Tổng Liên đoàn', 'TLĐ', %s, %s)",
            (now, now),
        )
        _copy(
            cursor,
            "COPY units (id, code, name, parent_id, level, created_at, updated_at) FROM STDIN",
            (
                (n + 1, f"CDCS-{n:06d}", f"CĐCS số {n}", 1, "CĐCS", now, now)
                for n in range(1, UNITS + 1)
            ),
        )
        _copy(
            cursor,
            "COPY people (id, full_name, created_at) FROM STDIN",
            ((n, f"Chủ tịch {n}", now) for n in range(1, UNITS + 2)),
        )
        _copy(
            cursor,
            "COPY appointments (person_id, unit_id, role, started_at) FROM STDIN",
            ((n, n + 1, "chair", now) for n in range(1, UNITS + 1)),
        )
        cursor.execute(
            "INSERT INTO appointments (person_id, unit_id, role, started_at) "
            "VALUES (%s, 1, 'officer', %s)",
            (UNITS + 1, now),
        )
        _copy(
            cursor,
            "COPY channel_accounts (channel, external_user_id, chat_id, display_name, "
            "person_id, state, created_at, last_seen_at) FROM STDIN",
            (
                ("telegram", str(10_000 + n), str(10_000 + n), "", n, "active", now, now)
                for n in range(1, UNITS + 2)
            ),
        )
        cursor.execute(
            "INSERT INTO directives (id, kind, number, subject, owner_unit_id, "
            "created_by_person_id, created_at) VALUES (1, 'Công văn', '490/LĐLĐ', "
            "'Triển khai nhiệm vụ', 1, %s, %s)",
            (UNITS + 1, now),
        )
        for item, deadline in enumerate(_deadlines(), start=1):
            cursor.execute(
                "INSERT INTO tasks (id, directive_id, item, text, deadline_at) "
                "VALUES (%s, 1, %s, %s, %s)",
                (item, item, f"Báo cáo nội dung số {item} của công văn", deadline),
            )
        # A fifth of the units already reported done, one in fifty «vướng mắc».
        _copy(
            cursor,
            "COPY assignments (task_id, unit_id, created_at, progress, last_reply_at) FROM STDIN",
            (
                (
                    task,
                    n + 1,
                    now,
                    "done" if n % 5 == 0 else "blocked" if n % 50 == 1 else "open",
                    None if n % 5 and n % 50 != 1 else now,
                )
                for task in range(1, TASKS + 1)
                for n in range(1, UNITS + 1)
            ),
        )
        for table in ("units", "people", "directives", "tasks"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def measure(db: Database) -> tuple[float, int, float, float, int]:
    calendar = WorkingCalendar(tz=VN)
    started = time.perf_counter()
    with db.session() as session:
        first = plan_reminders(session, now=NOW, zone=VN, calendar=calendar)
    pass_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with db.session() as session:
        again = plan_reminders(session, now=NOW, zone=VN, calendar=calendar)
    again_seconds = time.perf_counter() - started
    assert not again, "a second pass at the same moment planned new rows"

    started = time.perf_counter()
    with db.session() as session:
        claimed = claim_due(
            session, now=NOW, worker="bench", lease=timedelta(minutes=2), limit=BATCH
        )
    claim_seconds = time.perf_counter() - started
    assert len(claimed) == BATCH
    with db.session() as session:
        rows = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    assert rows == first.rows
    return pass_seconds, first.rows, again_seconds, claim_seconds, rows


def run() -> list[Result]:
    with _scratch_database() as url:
        upgrade(create_engine(url))
        db = Database.from_url(url)
        try:
            started = time.perf_counter()
            load(db)
            loaded = time.perf_counter() - started
            print(
                f"planner: loaded {UNITS:,} units × {TASKS} tasks in {loaded:.1f} s (not measured)",
                flush=True,
            )
            pass_seconds, planned, again_seconds, claim_seconds, _ = measure(db)
        finally:
            db.dispose()
    return [
        at_most(f"planner pass ({planned:,} reminders planned)", pass_seconds, "s", 10),
        at_most("planner pass again (nothing new)", again_seconds, "s", 10),
        at_most(f"dispatcher claim of {BATCH}", claim_seconds * 1000, "ms", 1000),
    ]
