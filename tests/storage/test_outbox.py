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


def test_a_started_send_is_in_doubt_until_its_outcome_is_written(db: Database) -> None:
    plan(db, account(db), 3)
    with db.session() as session:
        a, b, c = outbox.claim_due(session, now=NOW, worker="w", lease=LEASE, limit=3)
        # Only the rows this worker still holds are marked (and may then be sent).
        assert outbox.mark_started(session, message_ids=[a.id, b.id], worker="w", now=NOW) == {
            a.id,
            b.id,
        }
        assert outbox.mark_started(session, message_ids=[c.id], worker="x", now=NOW) == set()
        assert outbox.count_in_doubt(session) == 2
        outbox.mark_sent(session, message_id=a.id, worker="w", platform_message_id="1", now=NOW)
        outbox.mark_retry(session, message_id=b.id, worker="w", due_at=NOW, error="500")
        assert outbox.count_in_doubt(session) == 0
    # The retried row is claimed again as an ordinary one; a row a dead worker had started
    # comes back marked in doubt.
    with db.session() as session:
        (retried,) = outbox.claim_due(session, now=NOW, worker="w", lease=LEASE, limit=3)
        assert (retried.id, retried.in_doubt) == (b.id, False)
        outbox.mark_started(session, message_ids=[b.id], worker="w", now=NOW)
    with db.session() as session:
        taken = outbox.claim_due(session, now=NOW + LEASE, worker="v", lease=LEASE, limit=3)
        assert {(m.id, m.in_doubt) for m in taken} == {(b.id, True), (c.id, False)}


def test_a_renewed_lease_keeps_other_workers_off(db: Database) -> None:
    plan(db, account(db), 1)
    with db.session() as session:
        (held,) = outbox.claim_due(session, now=NOW, worker="w", lease=LEASE, limit=1)
        renewed = outbox.renew_leases(
            session, message_ids=[held.id], worker="w", until=NOW + 2 * LEASE
        )
        assert renewed == 1
        assert outbox.renew_leases(session, message_ids=[held.id], worker="x", until=NOW) == 0
    assert claim(db, "other", now=NOW + LEASE) == []
    assert claim(db, "other", now=NOW + 2 * LEASE) == ["reminder:0:due"]
