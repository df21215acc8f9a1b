"""The outbox's promises at the database level: planned once, claimed by one worker, taken
back after a lease runs out."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from storage import outbox
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def account(db: Database) -> int:
    with db.session() as session:
        row = ChannelAccount(
            channel="telegram", external_user_id="1", chat_id="1", created_at=NOW, last_seen_at=NOW
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def plan(db: Database, account_id: int, count: int) -> int:
    messages = [
        outbox.PlannedMessage(
            key=f"reminder:{i}:due",
            account_id=account_id,
            kind="reminder",
            text=f"#{i}",
            due_at=NOW,
        )
        for i in range(count)
    ]
    with db.session() as session:
        return outbox.enqueue(session, messages=messages, now=NOW)


def claim(db: Database, worker: str, now: datetime = NOW, limit: int = 10) -> list[str]:
    with db.session() as session:
        return [
            m.key
            for m in outbox.claim_due(session, now=now, worker=worker, lease=LEASE, limit=limit)
        ]


def test_planning_twice_adds_nothing(db: Database) -> None:
    account_id = account(db)
    assert plan(db, account_id, 5) == 5
    assert plan(db, account_id, 5) == 0
    assert len(claim(db, "w")) == 5


def test_two_workers_never_claim_the_same_row(db: Database) -> None:
    plan(db, account(db), 300)

    def drain(worker: str) -> list[str]:
        taken: list[str] = []
        while batch := claim(db, worker, limit=7):
            taken.extend(batch)
        return taken

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(drain, ["one", "two"])
    assert set(first).isdisjoint(second)
    assert len(first) + len(second) == 300


def test_a_claim_is_taken_back_after_its_lease(db: Database) -> None:
    plan(db, account(db), 1)
    assert claim(db, "crashed") == ["reminder:0:due"]
    assert claim(db, "other", now=NOW + LEASE - timedelta(seconds=1)) == []
    assert claim(db, "other", now=NOW + LEASE) == ["reminder:0:due"]


def test_a_late_worker_cannot_overwrite_the_new_owner(db: Database) -> None:
    plan(db, account(db), 1)
    with db.session() as session:
        (first,) = outbox.claim_due(session, now=NOW, worker="slow", lease=LEASE, limit=1)
    claim(db, "fast", now=NOW + LEASE)
    with db.session() as session:
        outbox.mark_sent(
            session, message_id=first.id, worker="slow", platform_message_id="9", now=NOW
        )
    with db.session() as session:
        row = session.get(OutboxMessage, first.id)
        assert row is not None
        assert row.claimed_by == "fast"
        assert row.platform_message_id is None
