"""The dispatcher writes each outcome as it happens (issue 16): a row is marked sent while
the rest of its batch is still going out, a write the database refused is tried again
(never left to the lease), the lease of rows still sending is renewed, the rows whose
request started and whose outcome is unknown never outnumber the send slots, and the rows
left in doubt by a dead worker are reported in one line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from schedules.clock import ManualClock
from schedules.dispatcher import Dispatcher, SendOutcome, Sent
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from storage.outbox import ClaimedMessage, PlannedMessage, claim_due, enqueue, mark_started
from tests.conftest import VN

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=VN)
PATIENCE = 180.0  # bounds a failure only


def plan(db: Database, count: int) -> list[int]:
    """`count` chairs with one message each, due now; the rows' ids."""
    with db.session() as session:
        accounts = [
            ChannelAccount(
                channel="telegram",
                external_user_id=str(n),
                chat_id=str(n),
                created_at=NOW,
                last_seen_at=NOW,
            )
            for n in range(count)
        ]
        session.add_all(accounts)
        session.flush()
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key=f"reminder:{a.id}:due",
                    account_id=a.id,
                    kind="reminder",
                    text=f"tin {a.chat_id}",
                    due_at=NOW,
                )
                for a in accounts
                if a.id is not None
            ],
            now=NOW,
        )
        return [row.id for row in session.scalars(select(OutboxMessage)) if row.id is not None]


def rows(db: Database) -> dict[int, OutboxMessage]:
    with db.session() as session:
        found = list(session.scalars(select(OutboxMessage)))
        for row in found:
            session.expunge(row)
        return {row.id: row for row in found if row.id is not None}


async def until(check: Callable[[], bool]) -> None:
    """Wait for another task's work to show in the database; the bound only ends a failure."""
    deadline = asyncio.get_running_loop().time() + PATIENCE
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition never reached"
        await asyncio.sleep(0.01)


class FlakyDatabase(Database):
    """A database whose next `fail` sessions raise as a cut connection does."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine)
        self.fail = 0
        self.failed = 0

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self.fail > 0:
            self.fail -= 1
            self.failed += 1
            raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))
        with super().session() as session:
            yield session


def dispatcher(db: Database, clock: ManualClock, platform: object, **options: object) -> Dispatcher:
    return Dispatcher(
        db=db,
        clock=clock,
        senders={"telegram": platform},
        worker="w",
        per_chat_interval=0,
        **options,
    )


async def test_each_outcome_is_written_while_the_batch_is_still_sending(db: Database) -> None:
    first, second = plan(db, 2)
    release = asyncio.Event()

    class Platform:
        async def send(self, message: ClaimedMessage) -> SendOutcome:
            if message.id == second:
                await release.wait()
            return Sent("1")

    run = asyncio.create_task(dispatcher(db, ManualClock(NOW), Platform()).run_once())
    await until(lambda: rows(db)[first].state == OutboxState.SENT)
    waiting = rows(db)[second]
    assert waiting.state == OutboxState.SENDING
    assert waiting.sending_started_at == NOW  # its request has started: it is in doubt
    release.set()
    assert (await run).sent == 2
    assert {row.state for row in rows(db).values()} == {OutboxState.SENT}


async def test_a_refused_outcome_write_is_retried_not_left_to_the_lease(db: Database) -> None:
    plan(db, 6)
    flaky = FlakyDatabase(db)
    accepted: list[int] = []

    class Platform:
        async def send(self, message: ClaimedMessage) -> SendOutcome:
            accepted.append(message.id)
            flaky.fail = 3  # the next writes (this outcome, the next start) meet a cut
            return Sent(str(message.id))

    report = await dispatcher(flaky, ManualClock(NOW), Platform()).run_once()
    assert report.sent == 6
    assert flaky.failed >= 3
    assert sorted(accepted) == sorted(rows(db))  # each sent once
    assert {row.state for row in rows(db).values()} == {OutboxState.SENT}


async def test_the_lease_of_a_row_still_sending_is_renewed(db: Database) -> None:
    (row_id,) = plan(db, 1)
    clock = ManualClock(NOW)
    lease = timedelta(seconds=0.3)  # renewed every 0.1 s of real time
    release = asyncio.Event()

    class Platform:
        async def send(self, message: ClaimedMessage) -> SendOutcome:
            clock.advance(timedelta(minutes=5))  # far past the lease taken at the claim
            await release.wait()
            return Sent("1")

    run = asyncio.create_task(dispatcher(db, clock, Platform(), lease=lease).run_once())
    await until(lambda: rows(db)[row_id].lease_until == clock.now() + lease)
    with db.session() as session:  # another worker finds the row still held
        assert claim_due(session, now=clock.now(), worker="other", lease=lease, limit=5) == []
    release.set()
    assert (await run).sent == 1


async def test_rows_started_and_not_settled_never_outnumber_the_send_slots(
    db: Database,
) -> None:
    plan(db, 40)
    seen: list[int] = []

    class Platform:
        async def send(self, message: ClaimedMessage) -> SendOutcome:
            with db.session() as session:
                seen.append(
                    len(
                        session.scalars(
                            select(OutboxMessage.id).where(
                                OutboxMessage.state == OutboxState.SENDING,
                                col(OutboxMessage.sending_started_at).is_not(None),
                            )
                        ).all()
                    )
                )
            await asyncio.sleep(0)  # let the other slots start meanwhile
            return Sent("1")

    report = await dispatcher(db, ManualClock(NOW), Platform(), max_in_flight=4).run_once()
    assert report.sent == 40
    print(f"\nin doubt at a send, most seen: {max(seen)} (bound: 4 slots)")
    assert 1 <= max(seen) <= 4


async def test_rows_left_in_doubt_are_reported_in_one_line(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    plan(db, 3)
    lease = timedelta(minutes=2)
    with db.session() as session:  # a worker claimed them, started two sends, and died
        claimed = claim_due(session, now=NOW, worker="dead", lease=lease, limit=5)
        mark_started(session, message_ids=[m.id for m in claimed[:2]], worker="dead", now=NOW)
    accepted: list[ClaimedMessage] = []

    class Platform:
        async def send(self, message: ClaimedMessage) -> SendOutcome:
            accepted.append(message)
            return Sent("1")

    clock = ManualClock(NOW + timedelta(seconds=30))
    restarted = dispatcher(db, clock, Platform(), lease=lease)
    with caplog.at_level(logging.WARNING, logger="schedules.dispatcher"):
        assert (await restarted.run_once()).claimed == 0  # their lease still runs
        clock.advance(lease)
        assert (await restarted.run_once()).sent == 3
    lines = [r for r in caplog.records if "in doubt" in r.getMessage()]
    assert len(lines) == 2  # at start-up, and when taken over
    assert all("2 message(s) in doubt" in r.getMessage() for r in lines)
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in lines)
    assert sorted(m.in_doubt for m in accepted) == [False, True, True]
