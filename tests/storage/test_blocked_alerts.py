"""The officer's gathered «vướng mắc» rows: a line joins the row still pending; a row taken
for sending takes no more, and the line starts the next one, an hour after the last went."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.blocked_alerts import gather_blocked_alert
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState, Person
from storage.outbox import claim_due, mark_sent
from tests.conftest import VN

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
LEASE = timedelta(minutes=2)


def _officer(db: Database) -> tuple[int, int]:
    with db.session() as session:
        person = Person(full_name="Cán bộ", created_at=NINE)
        session.add(person)
        session.flush()
        account = ChannelAccount(
            channel="telegram",
            external_user_id="7",
            chat_id="7",
            person_id=person.id,
            created_at=NINE,
            last_seen_at=NINE,
        )
        session.add(account)
        session.flush()
        assert person.id is not None and account.id is not None
        return person.id, account.id


def _gather(db: Database, ids: tuple[int, int], line: str, now: datetime) -> None:
    with db.session() as session:
        assert gather_blocked_alert(
            session, person_id=ids[0], account_id=ids[1], header="H", line=line, now=now
        )


def _rows(db: Database) -> list[tuple[str, str, str, datetime]]:
    with db.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(row.key, row.text, row.state, row.due_at) for row in rows]


def _send(db: Database, now: datetime) -> list[str]:
    with db.session() as session:
        claimed = claim_due(session, now=now, worker="w", lease=LEASE, limit=10)
    with db.session() as session:
        for message in claimed:
            mark_sent(session, message_id=message.id, worker="w", platform_message_id="1", now=now)
    return [message.text for message in claimed]


def test_a_line_arriving_while_the_row_is_being_sent_goes_in_the_next(db: Database) -> None:
    ids = _officer(db)
    person = ids[0]
    _gather(db, ids, "A", NINE)
    with db.session() as session:  # the dispatcher takes the row …
        taken = claim_due(session, now=NINE, worker="w", lease=LEASE, limit=10)
    assert [message.text for message in taken] == ["H\nA"]
    _gather(db, ids, "B", NINE + timedelta(minutes=5))  # … while a new reason arrives
    with db.session() as session:
        mark_sent(session, message_id=taken[0].id, worker="w", platform_message_id="1", now=NINE)
    _gather(db, ids, "C", NINE + timedelta(minutes=30))  # joins B's row

    rows = _rows(db)
    assert [(key, text, state) for key, text, state, _ in rows] == [
        (f"blocked:{person}:2026120102", "H\nA", OutboxState.SENT),
        (f"blocked:{person}:2026120103", "H\nB\nC", OutboxState.PENDING),
    ]
    assert rows[1][3] == (NINE + timedelta(minutes=65)).astimezone(UTC)  # an hour after it went
    assert _send(db, NINE + timedelta(minutes=64)) == []
    assert _send(db, NINE + timedelta(minutes=65)) == ["H\nB\nC"]

    _gather(db, ids, "D", NINE + timedelta(hours=3))  # long after: due at once
    assert _send(db, NINE + timedelta(hours=3)) == ["H\nD"]
    assert sum(text.count("\n") for _, text, _, _ in _rows(db)) == 4  # A, B, C, D once each
