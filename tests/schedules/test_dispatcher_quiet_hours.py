"""The dispatcher keeps the calendar's quiet hours: it claims nothing at night, and a retry
that would fall at night or on a day off waits for the next working morning."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from schedules.calendar import WorkingCalendar
from schedules.clock import ManualClock
from schedules.dispatcher import Dispatcher, RetryLater, SendOutcome, Sent
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from storage.outbox import ClaimedMessage, PlannedMessage, enqueue
from tests.conftest import VN

CALENDAR = WorkingCalendar(tz=VN)


class Platform:
    """Answers each send with the next scripted outcome, and notes the clock at each."""

    def __init__(self, clock: ManualClock, outcomes: list[SendOutcome]) -> None:
        self.clock = clock
        self.outcomes = outcomes
        self.sent_at: list[datetime] = []

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        self.sent_at.append(self.clock.now())
        return self.outcomes.pop(0) if self.outcomes else Sent("1")


def plan_one(db: Database, due_at: datetime) -> None:
    with db.session() as session:
        account = ChannelAccount(
            channel="telegram",
            external_user_id="7",
            chat_id="7",
            created_at=due_at,
            last_seen_at=due_at,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key="reminder:1:due",
                    account_id=account.id,
                    kind="reminder",
                    text="x",
                    due_at=due_at,
                )
            ],
            now=due_at,
        )


def dispatcher(db: Database, clock: ManualClock, platform: Platform) -> Dispatcher:
    return Dispatcher(
        db=db,
        clock=clock,
        senders={"telegram": platform},
        worker="w",
        per_chat_interval=0,
        calendar=CALENDAR,
    )


def row(db: Database) -> OutboxMessage:
    with db.session() as session:
        found = session.scalars(select(OutboxMessage)).one()
        session.expunge(found)
        return found


async def test_nothing_is_claimed_in_quiet_hours_even_when_due(db: Database) -> None:
    clock = ManualClock(datetime(2026, 12, 7, 21, 0, tzinfo=VN))
    plan_one(db, clock.now() - timedelta(minutes=5))
    platform = Platform(clock, [])
    assert (await dispatcher(db, clock, platform).run_once()).claimed == 0
    clock.set(datetime(2026, 12, 8, 6, 59, tzinfo=VN))
    assert (await dispatcher(db, clock, platform).run_once()).claimed == 0
    clock.set(datetime(2026, 12, 8, 7, 0, tzinfo=VN))
    assert (await dispatcher(db, clock, platform).run_once()).sent == 1
    assert platform.sent_at == [datetime(2026, 12, 8, 7, 0, tzinfo=VN)]


async def test_a_retry_that_would_fall_at_night_waits_for_the_working_morning(
    db: Database,
) -> None:
    # Saturday 20:59:50: a 429 asking for 30 s would land at 21:00:20, and Sunday is off.
    clock = ManualClock(datetime(2026, 12, 5, 20, 59, 50, tzinfo=VN))
    plan_one(db, clock.now())
    platform = Platform(clock, [RetryLater("429", timedelta(seconds=30))])
    assert (await dispatcher(db, clock, platform).run_once()).retried == 1
    waiting = row(db)
    assert waiting.state == OutboxState.PENDING
    assert waiting.due_at == datetime(2026, 12, 7, 7, 30, tzinfo=VN)  # Monday morning
