"""200 chairs through one task's ladder over the sandbox, on Telegram and on Zalo, the
platform failing a fifth of the sends with 429s and 500s, the bot off for two days in the
middle: every due reminder reaches each chat exactly once, the missed ones as one late
reminder, the officer (on Telegram) hears once about the units still late, and nothing goes
out at night or on a day off."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import Fault, SandboxServer
from schedules.calendar import WorkingCalendar
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, OutboxState, Progress
from storage.outbox import PlannedMessage, enqueue, skip_pending
from tests.conftest import VN
from tests.e2e.conftest import platform_settings
from tests.e2e.platforms import Platform
from tests.factories import build_branch, give_task

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHAIRS = 200
DONE = 50  # report done between the first reminder and the deadline
OFFICER_CHAT = 99
CALENDAR = WorkingCalendar(tz=VN)
# A short ladder keeps the test quick: 3 days before, on the day, 1 working day late, then
# the officer a working day after that.
LADDER = {
    "before_days": [3],
    "before_last_working_day": False,
    "late_working_days": [1],
    "escalate_after": 1,
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=VN)


def pending_until(db: Database, moment: datetime) -> int:
    with db.session() as session:
        return len(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]),
                    OutboxMessage.due_at <= moment,
                )
            ).all()
        )


async def run_morning(bot: BotRuntime, clock: ManualClock, db: Database, moment: datetime) -> None:
    """The bot's timer at `moment` and the minutes after it: plan, then dispatch until every
    row due by then is sent, the clock stepping over the back-offs."""
    clock.set(moment)
    await bot.plan_now()
    for _ in range(20):
        await bot.dispatch_now()
        if not pending_until(db, moment + timedelta(minutes=30)):
            return
        clock.advance(timedelta(minutes=1))
    raise AssertionError("rows still pending after 20 minutes of retries")


async def test_two_hundred_chairs_get_each_reminder_once_and_never_at_night(
    platform_bot: BotRuntime,
    sandbox: SandboxServer,
    platform: Platform,
    clock: ManualClock,
    db: Database,
) -> None:
    bot = platform_bot
    with db.session() as session:
        branch = build_branch(
            session,
            units=CHAIRS,
            now=clock.now(),
            officer_chat=OFFICER_CHAT,
            channel=platform.name,
        )
        _, assignment_ids = give_task(
            session, branch, deadline=at(10, 17), now=clock.now(), ladder=LADDER
        )
    for chat in branch.chat_ids.values():
        platform.add_user(chat)
    sandbox.state.add_user(OFFICER_CHAT, first_name="Đức")
    platform.add_fault(Fault(status=429, ratio=0.1, seed=4, retry_after=2))
    platform.add_fault(Fault(status=500, ratio=0.11, seed=5))

    # Monday 07/12 17:00: three days before. Planned ahead, sent on time, not before.
    clock.set(at(7, 16, 55))
    assert (await bot.plan_now()).rows == CHAIRS
    assert (await bot.dispatch_now()).claimed == 0
    await run_morning(bot, clock, db, at(7, 17, 0))

    # At night nothing is planned or sent, even a row someone made due then.
    assert branch.officer_account_id is not None
    with db.session() as session:
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key="notice:night",
                    account_id=branch.officer_account_id,
                    kind="notice",
                    text="Thông báo soạn lúc khuya",
                    due_at=at(7, 22, 30),
                )
            ],
            now=at(7, 22, 30),
        )
    clock.set(at(7, 22, 30))
    assert not await bot.plan_now()
    assert (await bot.dispatch_now()).claimed == 0
    clock.set(at(8, 6, 59))
    assert (await bot.dispatch_now()).claimed == 0

    # A quarter of the units report done on Tuesday.
    with db.session() as session:
        for assignment_id in assignment_ids[:DONE]:
            assignment = session.get(Assignment, assignment_id)
            assert assignment is not None
            assignment.progress = Progress.DONE
            skip_pending(session, assignment_id=assignment_id, reason="reported done")

    # The bot is off from Tuesday until Friday 11/12 09:00: the "due" step (Thursday) and
    # the "late-1" step (Friday 07:30) were missed; only the latest goes out, saying so.
    await run_morning(bot, clock, db, at(11, 9, 0))
    # Saturday 12/12 07:30: the officer hears which units are still late.
    await run_morning(bot, clock, db, at(12, 7, 25))
    await run_morning(bot, clock, db, at(12, 7, 30))
    await run_morning(bot, clock, db, at(14, 9, 0))  # and nothing more comes after

    assert platform.stats.faults > CHAIRS // 10  # the platform did fail, often
    done_chats = {branch.chat_ids[unit_id] for unit_id in branch.unit_ids[:DONE]}
    for chat in branch.chat_ids.values():
        texts = platform.texts(chat)
        kinds = Counter(
            "late" if "gửi muộn" in text else "before-3" if "(còn 3 ngày)" in text else text
            for text in texts
        )
        expected = {"before-3": 1} if chat in done_chats else {"before-3": 1, "late": 1}
        assert kinds == expected, chat
        assert all("CV 490/LĐLĐ, mục 3" in text for text in texts)
    late = platform.texts(branch.chat_ids[branch.unit_ids[-1]])[-1]
    assert "đã quá hạn 1 ngày" in late
    assert "lẽ ra đến anh/chị lúc 11/12/2026 07:30" in late

    notice, escalation = [m.text or "" for m in sandbox.state.sent(OFFICER_CHAT)]
    assert notice == "Thông báo soạn lúc khuya"
    assert f"Còn {CHAIRS - DONE} đơn vị chưa báo xong" in escalation
    assert "CV 490/LĐLĐ, mục 3" in escalation

    # Every row sent once, at a moment a chair may be written to, by the bot's clock.
    with db.session() as session:
        rows = list(session.scalars(select(OutboxMessage)))
    sent = [row for row in rows if row.state == OutboxState.SENT]
    assert len(sent) == CHAIRS + (CHAIRS - DONE) + 2
    assert {row.state for row in rows} <= {OutboxState.SENT, OutboxState.SKIPPED}
    assert max(row.attempts for row in sent) > 1  # retries happened
    for row in sent:
        assert row.sent_at is not None
        assert not CALENDAR.is_quiet(row.sent_at), row.sent_at
        assert CALENDAR.is_working_day(row.sent_at.astimezone(VN).date()), row.sent_at


async def test_the_running_bot_plans_and_sends_on_its_own_timer(
    database_url: str, sandbox: SandboxServer, platform: Platform, clock: ManualClock, db: Database
) -> None:
    """No test hook: the job queue's planning job finds the task, the dispatcher sends."""
    with db.session() as session:
        branch = build_branch(
            session, units=1, now=clock.now(), officer_chat=None, channel=platform.name
        )
        give_task(session, branch, deadline=clock.now() + timedelta(hours=8), now=clock.now())
    (chat,) = branch.chat_ids.values()
    platform.add_user(chat)
    settings = platform_settings(
        database_url, sandbox, plan_interval_seconds=0.2, dispatch_interval_seconds=0.2
    )
    async with BotRuntime(settings, clock=clock, per_chat_interval=0):
        # The bound is on the real clock and only bounds a failure.
        assert await platform.wait(lambda: bool(platform.sent(chat)), 180)
    (message,) = platform.sent(chat)
    assert "(hạn là hôm nay)" in (message.text or "")
