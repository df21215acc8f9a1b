"""The outbox against a platform that misbehaves, on Telegram and on Zalo: a 429 (waiting
Telegram's retry_after, or the client's own back-off on Zalo, which gives none), 500s, a
chair who blocked the bot. Nothing is lost, nothing is sent twice, a blocked chat is given
up."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import Fault
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import AccountState, ChannelAccount, OutboxMessage, OutboxState
from tests.conftest import VN
from tests.e2e.platforms import Chat, Platform, load_roster, officer_on
from tests.factories import gives_task

pytestmark = pytest.mark.e2e

REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)


@pytest.fixture
def bot(two_channel_bot: BotRuntime) -> BotRuntime:
    """The bot on both channels: the chairs are on the test's platform."""
    return two_channel_bot


@pytest.fixture
async def chairs(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bot: BotRuntime,
    platform: Platform,
) -> list[Chat]:
    """Two chairs of one district registered on the platform, with a task due 10/12/2026."""
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    people = []
    for user_id, unit in ((201, "CDCS-01"), (202, "CDCS-02")):
        person = platform.chat(user_id, f"Chủ tịch {unit}")
        await person.register(officer, unit)
        people.append(person)
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo")
    return people


def reminders(person: Chat) -> list[str]:
    return [m.text or "" for m in person.inbox() if "Nhắc việc" in (m.text or "")]


def outbox_rows(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_429_waits_the_platforms_retry_after(
    chairs: list[Chat], bot: BotRuntime, platform: Platform, clock: ManualClock, db: Database
) -> None:
    platform.add_fault(Fault(status=429, method="sendMessage", count=1, retry_after=7))
    wait = timedelta(seconds=platform.quota_wait(retry_after=7))
    clock.set(REMINDER_TIME)
    assert (await bot.plan_now()).rows == 2
    report = await bot.dispatch_now()
    assert (report.sent, report.retried) == (1, 1)
    waiting = [row for row in outbox_rows(db) if row.state == OutboxState.PENDING]
    assert len(waiting) == 1
    assert waiting[0].due_at == REMINDER_TIME + wait

    clock.advance(wait - timedelta(seconds=1))
    assert (await bot.dispatch_now()).claimed == 0
    clock.advance(timedelta(seconds=1))
    assert (await bot.dispatch_now()).sent == 1
    assert [len(reminders(chair)) for chair in chairs] == [1, 1]


async def test_server_errors_back_off_and_recover(
    chairs: list[Chat], bot: BotRuntime, platform: Platform, clock: ManualClock, db: Database
) -> None:
    platform.add_fault(Fault(status=500, method="sendMessage", count=4))
    clock.set(REMINDER_TIME)
    assert (await bot.plan_now()).rows == 2
    assert (await bot.dispatch_now()).retried == 2
    clock.advance(timedelta(seconds=30))  # first back-off
    assert (await bot.dispatch_now()).retried == 2
    clock.advance(timedelta(seconds=59))
    assert (await bot.dispatch_now()).claimed == 0  # second back-off is a minute
    clock.advance(timedelta(seconds=1))
    assert (await bot.dispatch_now()).sent == 2
    assert [len(reminders(chair)) for chair in chairs] == [1, 1]
    assert all(row.attempts == 3 for row in outbox_rows(db) if row.state == OutboxState.SENT)


async def test_blocked_chair_is_given_up_and_marked(
    chairs: list[Chat], bot: BotRuntime, platform: Platform, clock: ManualClock, db: Database
) -> None:
    platform.block(201)
    clock.set(REMINDER_TIME)
    assert (await bot.plan_now()).rows == 2
    report = await bot.dispatch_now()
    assert (report.sent, report.failed) == (1, 1)
    clock.advance(timedelta(days=1))
    assert (await bot.dispatch_now()).claimed == 0  # never retried
    with db.session() as session:
        account = session.scalars(
            select(ChannelAccount).where(
                ChannelAccount.external_user_id == platform.external_id(201)
            )
        ).one()
        assert account.state == AccountState.UNREACHABLE
    failed = [row for row in outbox_rows(db) if row.state == OutboxState.FAILED]
    assert len(failed) == 1
    assert failed[0].last_error is not None
    assert "403" in failed[0].last_error
    assert reminders(chairs[1]) != []
