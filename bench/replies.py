"""Progress replies end to end: 2,000 registered chairs, each with one open assignment,
answer at once through the sandbox; replies stored per second (until every Reply row exists
and every confirmation reached its chat), beside a bare PTB echo bot on the same sandbox.

The sandbox's limits are lifted, and so is the bot's own sending quota (Telegram's 30
messages a second would otherwise be all we measure); everything else is the bot as it
runs: the PTB application, the router, the grammar, the database (SQLite in a temporary
directory unless NHACVIEC_BENCH_DATABASE_URL names another, empty and migrated one).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.echo import UNLIMITED, echo_rate
from bench.results import Result, at_least
from bench.sandbox_process import sandbox_process
from bot.runtime import BotRuntime
from bot.sandbox import SandboxControl
from bot.settings import Settings
from storage.engine import Database
from storage.migrate import upgrade
from storage.models import (
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    Person,
    Reply,
    Role,
    Task,
    Unit,
)

CHAIRS = 2000
FIRST_USER = 20_000
LINES = (
    "xong",
    "dang lam 50%",
    "Dạ em xin báo cáo bên em đang làm 60% ạ",
    "vướng: thiếu kinh phí",
    "1",
    "2 75",
    "đã hoàn thành",
    "kết nạp 12",
)
TARGET_RATIO = 0.5
ROUNDS = 3  # echo and replies alternate; the best of each is kept (the machine is shared)


def seed(db: Database, chairs: int, now: datetime) -> None:
    """A district with `chairs` CĐCS, each with a chair who has a Telegram account, and one
    task given to all of them."""
    with db.session() as session:
        district = Unit(code="BENCH", name="LĐLĐ huyện Bench", created_at=now, updated_at=now)
        officer = Person(full_name="Cán bộ Bench", created_at=now)
        session.add_all([district, officer])
        session.flush()
        assert district.id is not None and officer.id is not None
        units = [
            Unit(
                code=f"B{n:05d}",
                name=f"CĐCS số {n}",
                parent_id=district.id,
                level="CĐCS",
                created_at=now,
                updated_at=now,
            )
            for n in range(chairs)
        ]
        people = [Person(full_name=f"Chủ tịch {n}", created_at=now) for n in range(chairs)]
        session.add_all([*units, *people])
        session.flush()
        directive = Directive(
            kind="giao việc",
            subject="Nộp báo cáo",
            owner_unit_id=district.id,
            created_by_person_id=officer.id,
            created_at=now,
        )
        session.add(directive)
        session.flush()
        assert directive.id is not None
        task = Task(
            directive_id=directive.id,
            item=1,
            text="Nộp báo cáo",
            deadline_at=now + timedelta(days=10),
        )
        session.add(task)
        session.flush()
        assert task.id is not None
        for n, (unit, person) in enumerate(zip(units, people, strict=True)):
            assert unit.id is not None and person.id is not None
            user = str(FIRST_USER + n)
            session.add_all(
                [
                    Appointment(
                        person_id=person.id, unit_id=unit.id, role=Role.CHAIR, started_at=now
                    ),
                    ChannelAccount(
                        channel="telegram",
                        external_user_id=user,
                        chat_id=user,
                        person_id=person.id,
                        created_at=now,
                        last_seen_at=now,
                    ),
                    Assignment(task_id=task.id, unit_id=unit.id, created_at=now),
                ]
            )


def count_replies(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Reply)) or 0)


async def replies_rate(
    url: str,
    control: SandboxControl,
    database_url: str,
    *,
    chairs: int = CHAIRS,
    **settings_changes: object,
) -> float:
    """Replies stored (and confirmed) per second by the real bot (`settings_changes`: e.g.
    webhook mode, for bench/webhook.py)."""
    db = Database.from_url(database_url)
    upgrade(db.engine)
    seed(db, chairs, datetime.now(UTC))
    for n in range(chairs):
        await control.inject_text(FIRST_USER + n, LINES[n % len(LINES)])
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token="1:REPLIES",
        telegram_api_url=url,
    ).model_copy(  # the quota lifted, the limiter kept
        update={"send_rate_per_second": 1e9, **settings_changes}
    )
    start_sent = (await control.stats()).delivered
    runtime = BotRuntime(settings, dispatch_interval=None)
    started = time.perf_counter()
    await runtime.start()
    try:
        while (await control.stats()).delivered - start_sent < chairs:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # the sandbox is another process: ask it again
        stored = await asyncio.to_thread(count_replies, db)
        while stored < chairs:  # answers are sent after the commit, so this is quick
            await asyncio.sleep(0.05)
            stored = await asyncio.to_thread(count_replies, db)
        elapsed = time.perf_counter() - started
    finally:
        await runtime.stop()
        db.dispose()
    return chairs / elapsed


def _database_label(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


async def _run() -> list[Result]:
    given = os.environ.get("NHACVIEC_BENCH_DATABASE_URL")
    echoes: list[float] = []
    rates: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox_process(**UNLIMITED) as (url, control):
            for round_ in range(ROUNDS if given is None else 1):
                echoes.append(await echo_rate(url, control))
                database_url = given or f"sqlite:///{Path(folder) / f'bench{round_}.db'}"
                rates.append(await replies_rate(url, control, database_url))
    database = _database_label(given or "sqlite://")
    echo, replies = max(echoes), max(rates)
    ratio = replies / echo
    return [
        at_least("echo (same sandbox)", echo, "updates/s", 50),
        at_least(f"replies ({database})", replies, "replies stored/s", 50),
        at_least("replies / echo", ratio, "ratio", TARGET_RATIO),
    ]


def run() -> list[Result]:
    return asyncio.run(_run())
