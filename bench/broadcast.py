"""A broadcast at the platform's pace: 2,000 registered chairs get one notice through the
sandbox, whose overall limit is raised to 300 messages a second, with the bot's own
`send_rate_per_second` at 300 too. Prints the achieved rate as a fraction of that limit,
and the notices lost (a recipient with none) and doubled (a recipient with two).

The notice is planned as `/thongbao` plans it (`storage.broadcasts.launch`); the timer
is the bot's: the real PTB application, its rate limiter, the dispatcher, the sandbox in
its own process. The database is SQLite in a temporary directory unless
NHACVIEC_BENCH_DATABASE_URL names another, empty one.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.results import Result, at_least, at_most
from bench.sandbox_process import sandbox_process
from bot.runtime import BotRuntime
from bot.sandbox import SandboxControl
from bot.settings import Settings
from storage import broadcast_audience, broadcasts
from storage.engine import Database
from storage.migrate import upgrade
from storage.models import Appointment, ChannelAccount, Person, Role, Unit

CHAIRS = 2000
LIMIT = 300.0  # messages a second, the sandbox's overall limit and the bot's quota
FIRST_USER = 50_000
OFFICER_USER = 49_999
TARGET_FRACTION = 0.95


@dataclass(frozen=True, slots=True)
class Branch:
    """A seeded district: its officer's person and account, and its units' chairs."""

    district_id: int
    officer_person_id: int
    officer_account_id: int
    chair_users: dict[str, int]  # unit code → the chair's user id (registered chairs only)
    unit_ids: list[int]


def seed_branch(
    db: Database,
    *,
    units: int,
    registered: Iterable[int],
    now: datetime,
    first_user: int = FIRST_USER,
    officer_user: int = OFFICER_USER,
    officer_phone: str = "+84912999999",
) -> Branch:
    """A district (code HUYEN) with an officer who has a Telegram account, and `units` CĐCS
    (`CS0001` …), each with a chair; the chairs of the units numbered in `registered` have
    a Telegram account (user id `first_user + n`)."""
    chosen = set(registered)
    with db.session() as session:
        district = Unit(
            code="HUYEN", name="LĐLĐ huyện Thử", level="LĐLĐ huyện", created_at=now, updated_at=now
        )
        officer = Person(full_name="Cán bộ Huyện", phone=officer_phone, created_at=now)
        session.add_all([district, officer])
        session.flush()
        assert district.id is not None and officer.id is not None
        account = ChannelAccount(
            channel="telegram",
            external_user_id=str(officer_user),
            chat_id=str(officer_user),
            person_id=officer.id,
            created_at=now,
            last_seen_at=now,
        )
        session.add_all(
            [
                account,
                Appointment(
                    person_id=officer.id, unit_id=district.id, role=Role.OFFICER, started_at=now
                ),
            ]
        )
        rows = [
            Unit(
                code=f"CS{n:04d}",
                name=f"CĐCS đơn vị số {n}",
                parent_id=district.id,
                level="CĐCS",
                created_at=now,
                updated_at=now,
            )
            for n in range(units)
        ]
        people = [Person(full_name=f"Chủ tịch số {n}", created_at=now) for n in range(units)]
        session.add_all([*rows, *people])
        session.flush()
        users: dict[str, int] = {}
        for n, (unit, person) in enumerate(zip(rows, people, strict=True)):
            assert unit.id is not None and person.id is not None
            session.add(
                Appointment(person_id=person.id, unit_id=unit.id, role=Role.CHAIR, started_at=now)
            )
            if n in chosen:
                user = first_user + n
                users[unit.code] = user
                session.add(
                    ChannelAccount(
                        channel="telegram",
                        external_user_id=str(user),
                        chat_id=str(user),
                        person_id=person.id,
                        created_at=now,
                        last_seen_at=now,
                    )
                )
        session.flush()
        assert account.id is not None
        return Branch(
            district.id, officer.id, account.id, users, [u.id for u in rows if u.id is not None]
        )


def plan_notice(db: Database, branch: Branch, text: str, now: datetime) -> int:
    """The notice to the whole branch, planned as `/thongbao` plans it; its id."""
    with db.session() as session:
        draft = broadcasts.create_draft(
            session,
            person_id=branch.officer_person_id,
            account_id=branch.officer_account_id,
            text=text,
            now=now,
        )
        found = broadcast_audience.resolve(session, root_ids=[branch.district_id], kind="branch")
        broadcasts.launch(
            session,
            broadcast=draft,
            audience=found,
            scope="mọi đơn vị trực thuộc",
            message_text=f"📢 Thông báo của LĐLĐ huyện Thử:\n\n{text}",
            choices=[[{"label": "✅ Đã nhận", "data": f"n:{draft.id}"}]],
            now=now,
        )
        assert draft.id is not None
        return draft.id


async def _measure(url: str, control: SandboxControl, database_url: str) -> list[Result]:
    db = Database.from_url(database_url)
    upgrade(db.engine)
    now = datetime.now(UTC)
    branch = seed_branch(db, units=CHAIRS, registered=range(CHAIRS), now=now)
    for user in branch.chair_users.values():
        await control.inject_text(user, "/start")  # the sandbox meets them; the bot answers
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token="1:BROADCAST",
        telegram_api_url=url,
    ).model_copy(update={"send_rate_per_second": LIMIT})
    runtime = BotRuntime(settings, dispatch_interval=None, per_chat_interval=0)
    await runtime.start()
    try:
        await _wait_delivered(control, CHAIRS)  # every /start answered
        await asyncio.sleep(1.5)  # the answers leave the limiters' windows
        notice = "Thông báo thử tốc độ gửi."
        plan_notice(db, branch, notice, datetime.now(UTC))
        started = time.perf_counter()
        await runtime.dispatch_now()
        elapsed = time.perf_counter() - started
        notices = [
            message for message in await control.sent() if message.text and notice in message.text
        ]
    finally:
        await runtime.stop()
        db.dispose()
    received = Counter(message.chat_id for message in notices)
    users = set(branch.chair_users.values())
    sent = sum(received[user] for user in users)
    lost = sum(1 for user in users if received[user] == 0)
    doubled = sum(received[user] - 1 for user in users if received[user] > 1)
    # Both buckets (the bot's limiter, the sandbox's) start full and let a second's worth go
    # at once, so the whole run may beat the limit; its second half shows the pace held.
    times = sorted(message.sent_at for message in notices)
    half = len(times) // 2
    held = (len(times) - 1 - half) / (times[-1] - times[half])
    overall = sent / elapsed
    return [
        at_least(f"broadcast {CHAIRS} chairs", overall, "messages/s", LIMIT * TARGET_FRACTION),
        at_least("broadcast rate / limit", overall / LIMIT, "fraction", TARGET_FRACTION),
        at_least("second half rate / limit", held / LIMIT, "fraction", TARGET_FRACTION),
        at_most("broadcast lost", lost, "notices", 0),
        at_most("broadcast doubled", doubled, "notices", 0),
    ]


async def _wait_delivered(control: SandboxControl, count: int, seconds: float = 600.0) -> None:
    """Until the sandbox delivered `count` messages (a generous bound only for a failure)."""
    deadline = time.monotonic() + seconds
    while (await control.stats()).delivered < count:
        if time.monotonic() > deadline:
            raise TimeoutError("the sandbox did not deliver the answers")
        await asyncio.sleep(0.1)


async def _run() -> list[Result]:
    given = os.environ.get("NHACVIEC_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        database_url = given or f"sqlite:///{Path(folder) / 'broadcast.db'}"
        async with sandbox_process(overall_per_second=LIMIT, per_chat_per_second=1.0) as (
            url,
            control,
        ):
            return await _measure(url, control, database_url)


def run() -> list[Result]:
    return asyncio.run(_run())
