"""Broadcasts at the database level: each kind of audience resolved in one query over a
branch of 2,000 units; a notice planned once per account; the delivery report planned
exactly once, only when nothing is left in flight; a cancel stops what was not sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, text, update
from sqlmodel import Session, col

from schedules.broadcast_report import record_final
from storage import broadcast_audience, broadcasts, outbox
from storage.engine import Database
from storage.models import (
    AccountState,
    Assignment,
    Broadcast,
    BroadcastDelivery,
    BroadcastState,
    ChannelAccount,
    OutboxMessage,
    OutboxState,
    Progress,
    Unit,
)
from tests.factories import Branch, build_branch, give_task

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
UNITS = 2000
UNREGISTERED = 100
LEASE = timedelta(minutes=2)


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session's connection runs inside the block."""
    seen: list[str] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def seeded(db: Database, units: int = UNITS, unregistered: int = UNREGISTERED) -> Branch:
    with db.session() as session:
        return build_branch(session, units=units, now=NOW, unregistered=unregistered)


def test_each_audience_is_one_query_over_a_large_branch(db: Database) -> None:
    branch = seeded(db)
    with db.session() as session:
        task_id, assignment_ids = give_task(
            session, branch, deadline=NOW + timedelta(days=9), now=NOW
        )
        session.execute(
            update(Assignment)
            .where(col(Assignment.id).in_(assignment_ids[:500]))
            .values(progress=Progress.DONE)
        )
        # A chair who blocked the bot is not reachable: counted with those with no account.
        first_chat = str(min(branch.chat_ids.values()))
        session.execute(
            update(ChannelAccount)
            .where(col(ChannelAccount.chat_id) == first_chat)
            .values(state=AccountState.UNREACHABLE)
        )
    roots = [branch.parent_id]
    with db.session() as session:
        cases = {
            "branch": {},
            "level": {"level": "CĐCS"},
            "units": {"unit_ids": branch.unit_ids[:10]},
            "late": {"task_id": task_id},
        }
        found = {}
        for kind, extra in cases.items():
            with statements(session) as seen:
                found[kind] = broadcast_audience.resolve(
                    session, root_ids=roots, kind=kind, **extra
                )
            assert len(seen) == 1, kind
    reachable = UNITS - UNREGISTERED - 1
    assert (found["branch"].units, len(found["branch"].recipients)) == (UNITS, reachable)
    assert len(found["branch"].no_account_unit_ids) == UNREGISTERED + 1
    assert found["level"].unit_ids == found["branch"].unit_ids
    assert (found["units"].units, len(found["units"].recipients)) == (10, 9)
    assert (found["late"].units, len(found["late"].recipients)) == (1500, 1500 - UNREGISTERED)


def test_units_outside_the_branch_are_not_in_any_audience(db: Database) -> None:
    branch = seeded(db, units=5, unregistered=0)
    with db.session() as session:
        other = Unit(code="KHAC-1", name="CĐCS huyện khác", created_at=NOW, updated_at=NOW)
        session.add(other)
        session.flush()
        assert other.id is not None
        mixed = [*branch.unit_ids[:2], other.id, branch.parent_id]  # the officer's own too
        roots = [branch.parent_id]
        found = broadcast_audience.resolve(session, root_ids=roots, kind="units", unit_ids=mixed)
        listed = {unit.id for unit in broadcast_audience.branch_units(session, root_ids=roots)}
    assert set(found.unit_ids) == set(branch.unit_ids[:2])
    assert listed == set(branch.unit_ids)


def launched(db: Database, branch: Branch) -> int:
    with db.session() as session:
        assert branch.officer_account_id is not None
        draft = broadcasts.create_draft(
            session,
            person_id=branch.officer_id,
            account_id=branch.officer_account_id,
            text="Họp",
            now=NOW,
        )
        found = broadcast_audience.resolve(session, root_ids=[branch.parent_id], kind="branch")
        planned = broadcasts.launch(
            session,
            broadcast=draft,
            audience=found,
            scope="mọi đơn vị",
            message_text="📢 Họp",
            choices=None,
            now=NOW,
        )
        assert planned == len(found.recipients)
        assert draft.id is not None
        return draft.id


def claim(db: Database, worker: str, limit: int) -> list[outbox.ClaimedMessage]:
    with db.session() as session:
        return outbox.claim_due(session, now=NOW, worker=worker, lease=LEASE, limit=limit)


def finish(db: Database, worker: str, rows: list[outbox.ClaimedMessage], outcome: str) -> None:
    with db.session() as session:
        for row in rows:
            if outcome == "sent":
                outbox.mark_sent(
                    session, message_id=row.id, worker=worker, platform_message_id="1", now=NOW
                )
            else:
                outbox.mark_failed(session, message_id=row.id, worker=worker, error=outcome)
        record_final(session, outcomes=[(row.key, row.id, outcome) for row in rows], now=NOW)


def reports(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(col(OutboxMessage.kind) == "broadcast_report")
            )
        )


def test_the_report_comes_once_when_the_last_row_ends(db: Database) -> None:
    branch = seeded(db, units=6, unregistered=1)
    broadcast_id = launched(db, branch)
    first = claim(db, "w1", 3)
    second = claim(db, "w2", 10)
    assert len(first) == 3 and len(second) == 2
    finish(db, "w1", first, "sent")
    assert reports(db) == []  # two rows are still being sent
    finish(db, "w2", second[:1], "blocked")
    finish(db, "w2", second[1:], "failed")
    [report] = reports(db)
    assert report.key == f"broadcast-report:{broadcast_id}"
    assert report.account_id == branch.officer_account_id
    for line in ("Đã gửi: 3", "Gửi lỗi: 1", "Đã chặn bot: 1", "Chưa có tài khoản: 1 đơn vị"):
        assert line in report.text
    with db.session() as session:  # a repeat (another worker, a replay) plans nothing
        record_final(session, outcomes=[(second[1].key, second[1].id, "failed")], now=NOW)
        broadcast = session.get(Broadcast, broadcast_id)
        assert broadcast is not None and broadcast.state == BroadcastState.DONE
    assert len(reports(db)) == 1


def test_cancel_skips_the_planned_rows_and_reports_after_those_in_flight(db: Database) -> None:
    branch = seeded(db, units=5, unregistered=0)
    broadcast_id = launched(db, branch)
    in_flight = claim(db, "w1", 2)
    with db.session() as session:
        broadcast = broadcasts.lock(session, broadcast_id=broadcast_id)
        assert broadcast is not None
        assert broadcasts.cancel(session, broadcast=broadcast, now=NOW) == 3
    assert claim(db, "w2", 10) == []  # nothing left to send
    assert reports(db) == []
    finish(db, "w1", in_flight, "sent")
    [report] = reports(db)
    assert "Đã gửi: 2" in report.text
    assert "Đã dừng, không gửi: 3" in report.text
    with db.session() as session:
        skipped = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(col(OutboxMessage.state) == OutboxState.SKIPPED)
        )
        cancelled = session.scalar(
            select(func.count())
            .select_from(BroadcastDelivery)
            .where(col(BroadcastDelivery.outcome) == "cancelled")
        )
    assert (skipped, cancelled) == (3, 3)


def test_two_workers_ending_the_last_rows_at_once_plan_one_report(db: Database) -> None:
    """Worker 1 ends its row and settles, and holds its transaction open; worker 2 ends the
    other row and settles meanwhile. Without the lock on the broadcast, worker 2 would see
    worker 1's row still sending (and worker 1 saw worker 2's): no report at all. With it,
    worker 2 waits for worker 1's commit and then sees both rows sent. (SQLite has one
    writer at a time: worker 2 cannot even mark its row before worker 1 commits.)"""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two concurrent writers need PostgreSQL")
    branch = seeded(db, units=2, unregistered=0)
    launched(db, branch)
    rows = {worker: claim(db, worker, 1)[0] for worker in ("w1", "w2")}
    first_settled, second_done = threading.Event(), threading.Event()

    def end(worker: str, session: Session) -> None:
        row = rows[worker]
        outbox.mark_sent(
            session, message_id=row.id, worker=worker, platform_message_id="1", now=NOW
        )
        record_final(session, outcomes=[(row.key, row.id, "sent")], now=NOW)

    def first() -> None:
        with db.session() as session:
            end("w1", session)
            first_settled.set()
            deadline = time.monotonic() + 120  # bounds a failure only
            while not (second_done.is_set() or waiting_on_a_lock(db)):
                assert time.monotonic() < deadline
                time.sleep(0.01)

    def second() -> None:
        assert first_settled.wait(120)
        with db.session() as session:
            end("w2", session)
        second_done.set()

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(first), pool.submit(second)]:
            done.result()
    [report] = reports(db)
    assert "Đã gửi: 2" in report.text


def waiting_on_a_lock(db: Database) -> bool:
    """Whether another backend of this database is waiting for a row lock."""
    with db.engine.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
        )
