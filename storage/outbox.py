"""The outbox: every message the bot will send is a row, so the database is the schedule.

A row is planned once (its key is unique), claimed by one worker for a lease, and then
marked sent, rescheduled or failed. A worker that dies while holding rows loses them only
until the lease runs out; another worker (or the restarted one) then takes them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Update, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col

from storage.engine import rows_changed
from storage.models import ChannelAccount, OutboxFile, OutboxMessage, OutboxState
from storage.outbox_files import NOTICE_KIND as NOTICE_KIND
from storage.outbox_files import FileKind as FileKind
from storage.outbox_files import OutgoingFile as OutgoingFile
from storage.outbox_files import load_broadcast_files, load_files, shared_file, store_files


@dataclass(frozen=True, slots=True)
class PlannedMessage:
    """A message to put in the outbox."""

    key: str
    account_id: int
    kind: str
    text: str
    due_at: datetime
    choices: list[list[dict[str, str]]] | None = None
    assignment_id: int | None = None
    broadcast_id: int | None = None
    file: OutgoingFile | None = None  # stored in `outbox_files`, sent with the text


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A claimed row with where to send it, detached from the session that claimed it."""

    id: int
    key: str
    channel: str
    chat_id: str
    account_id: int
    text: str
    choices: list[list[dict[str, str]]] | None
    attempts: int
    parts_sent: int = 0  # parts of a long text already accepted by the platform
    file: OutgoingFile | None = None
    broadcast_id: int | None = None
    # A request for this row had started under an earlier claim and no outcome was written
    # (its worker died mid-send): the platform may already have it (docs/reliability.md).
    in_doubt: bool = False


def enqueue(session: Session, *, messages: Sequence[PlannedMessage], now: datetime) -> int:
    """Insert the messages whose keys are new, with their files; returns how many were new.
    Re-planning the same state inserts nothing, whichever process does it."""
    if not messages:
        return 0
    rows: list[dict[str, Any]] = [
        {
            "key": m.key,
            "account_id": m.account_id,
            "kind": m.kind,
            "text": m.text,
            "choices": m.choices,
            "due_at": m.due_at,
            "assignment_id": m.assignment_id,
            "broadcast_id": m.broadcast_id,
            "state": OutboxState.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for m in messages
    ]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).on_conflict_do_nothing(index_elements=["key"])
    inserted = session.execute(
        statement.returning(col(OutboxMessage.id), col(OutboxMessage.key)), rows
    ).all()
    files = {m.key: m.file for m in messages if m.file is not None}
    if files:
        store_files(
            session, {message_id: files[key] for message_id, key in inserted if key in files}
        )
    return len(inserted)


def claim_due(
    session: Session, *, now: datetime, worker: str, lease: timedelta, limit: int
) -> list[ClaimedMessage]:
    """Reserve up to `limit` due rows for this worker, the oldest first.

    Due means pending and due, or held by a worker whose lease ran out. On PostgreSQL the
    rows are locked with SKIP LOCKED, so concurrent workers take disjoint sets; SQLite runs
    one writer at a time, which gives the same guarantee.
    """
    due = or_(
        and_(col(OutboxMessage.state) == OutboxState.PENDING, col(OutboxMessage.due_at) <= now),
        and_(
            col(OutboxMessage.state) == OutboxState.SENDING,
            col(OutboxMessage.lease_until) <= now,
        ),
    )
    candidates = (
        select(col(OutboxMessage.id))
        .where(due)
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
    ).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed_ids = list(
        session.scalars(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(candidates.scalar_subquery()))
            .values(
                state=OutboxState.SENDING,
                claimed_by=worker,
                lease_until=now + lease,
                attempts=col(OutboxMessage.attempts) + 1,
            )
            .returning(col(OutboxMessage.id))
        )
    )
    if not claimed_ids:
        return []
    rows = session.execute(
        select(OutboxMessage, ChannelAccount, col(OutboxFile.message_id))
        .join(ChannelAccount, col(ChannelAccount.id) == col(OutboxMessage.account_id))
        .outerjoin(OutboxFile, col(OutboxFile.message_id) == col(OutboxMessage.id))
        .where(col(OutboxMessage.id).in_(claimed_ids))
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
    ).all()
    files = load_files(session, [file_id for _, _, file_id in rows if file_id is not None])
    shared = load_broadcast_files(
        session,
        {
            message.broadcast_id
            for message, _, file_id in rows
            if file_id is None and message.kind == NOTICE_KIND and message.broadcast_id is not None
        },
    )
    return [
        ClaimedMessage(
            id=message.id,
            key=message.key,
            channel=account.channel,
            chat_id=account.chat_id,
            account_id=account.id,
            text=message.text,
            choices=message.choices,
            attempts=message.attempts,
            parts_sent=message.parts_sent,
            file=files.get(message.id) or shared_file(message, shared),
            broadcast_id=message.broadcast_id,
            in_doubt=message.sending_started_at is not None,
        )
        for message, account, _ in rows
        if message.id is not None and account.id is not None
    ]


def _held(message_id: int, worker: str) -> Any:
    return and_(
        col(OutboxMessage.id) == message_id,
        col(OutboxMessage.state) == OutboxState.SENDING,
        col(OutboxMessage.claimed_by) == worker,
    )


def mark_started(
    session: Session, *, message_ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """Note that the send requests of these rows start now, before they go out, so that a
    worker dying mid-send leaves them visibly in doubt. Returns the rows still held by this
    worker: a row another worker took over (a lease lost in a long outage) is not sent."""
    if not message_ids:
        return set()
    rows = session.connection().execute(
        _mark_started_statement(),
        {"held_ids": list(message_ids), "held_worker": worker, "started_now": now},
    )
    return set(rows.scalars())


@cache
def _mark_started_statement() -> Update:
    """Core, built once: it runs before every send (the ORM's update costs more per call)."""
    return (
        _update_held()
        .values(sending_started_at=bindparam("started_now"))
        .returning(_outbox_table().c.id)
    )


def renew_leases(
    session: Session, *, message_ids: Sequence[int], worker: str, until: datetime
) -> int:
    """Extend the lease of rows this worker still holds (a batch still sending): no other
    worker takes a row over while its holder is alive. Returns how many were extended."""
    if not message_ids:
        return 0
    result = session.connection().execute(
        _update_held().values(lease_until=bindparam("renew_until")),
        {"held_ids": list(message_ids), "held_worker": worker, "renew_until": until},
    )
    return rows_changed(result)


def count_in_doubt(session: Session) -> int:
    """Rows whose send request started and whose outcome was never written: sent by a live
    worker right now, or left by one that died mid-send (they may arrive twice)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                col(OutboxMessage.state) == OutboxState.SENDING,
                col(OutboxMessage.sending_started_at).is_not(None),
            )
        )
        or 0
    )


def _outbox_table() -> Any:
    return SQLModel.metadata.tables[OutboxMessage.__tablename__]


def _update_held() -> Update:
    """UPDATE of the rows `held_ids` still held by `held_worker` (bound at execution)."""
    table = _outbox_table()
    return update(table).where(
        table.c.id.in_(bindparam("held_ids", expanding=True)),
        table.c.state == OutboxState.SENDING.value,
        table.c.claimed_by == bindparam("held_worker"),
    )


def mark_sent(
    session: Session,
    *,
    message_id: int,
    worker: str,
    platform_message_id: str,
    now: datetime,
    parts: int = 1,
) -> None:
    """The row's last part (of `parts`) was accepted: the row is sent (`mark_sent_many` for
    one row: one statement for both)."""
    mark_sent_many(session, sent=[(message_id, platform_message_id, parts)], worker=worker, now=now)


def mark_parts_sent(session: Session, *, message_id: int, worker: str, parts_sent: int) -> bool:
    """Record that the first `parts_sent` parts of a long row were accepted, while the row is
    still held, so that a retry or another worker goes on from the next part. False when the
    lease was lost (another worker holds the row now)."""
    result = session.execute(
        update(OutboxMessage).where(_held(message_id, worker)).values(parts_sent=parts_sent)
    )
    return rows_changed(result) > 0


def mark_sent_many(
    session: Session, *, sent: Sequence[tuple[int, str, int]], worker: str, now: datetime
) -> None:
    """`mark_sent` for a batch of (row id, platform message id, parts) in one executemany: the
    record step of a 2,000-chair broadcast spent most of its time in single UPDATEs."""
    if not sent:
        return
    session.connection().execute(
        _mark_sent_statement(),
        [
            {
                "sent_id": message_id,
                "sent_worker": worker,
                "sent_platform_id": platform_message_id,
                "sent_now": now,
                "sent_parts": parts,
            }
            for message_id, platform_message_id, parts in sent
        ],
    )


@cache
def _mark_sent_statement() -> Update:
    table = SQLModel.metadata.tables[OutboxMessage.__tablename__]
    return (
        update(table)
        .where(
            table.c.id == bindparam("sent_id"),
            table.c.state == OutboxState.SENDING.value,
            table.c.claimed_by == bindparam("sent_worker"),
        )
        .values(
            state=OutboxState.SENT.value,
            sent_at=bindparam("sent_now"),
            platform_message_id=bindparam("sent_platform_id"),
            parts_sent=bindparam("sent_parts"),
            lease_until=None,
            last_error=None,
        )
    )


def mark_retry(
    session: Session, *, message_id: int, worker: str, due_at: datetime, error: str
) -> None:
    session.execute(
        update(OutboxMessage)
        .where(_held(message_id, worker))
        .values(
            state=OutboxState.PENDING,
            due_at=due_at,
            lease_until=None,
            sending_started_at=None,  # the next claim is not in doubt
            last_error=error[:500],
        )
    )


def mark_failed(session: Session, *, message_id: int, worker: str, error: str) -> None:
    session.execute(
        update(OutboxMessage)
        .where(_held(message_id, worker))
        .values(state=OutboxState.FAILED, lease_until=None, last_error=error[:500])
    )


def mark_withdrawn(session: Session, *, message_id: int, worker: str, reason: str) -> None:
    """A claimed row that will not be sent after all (its broadcast was stopped)."""
    session.execute(
        update(OutboxMessage)
        .where(_held(message_id, worker))
        .values(state=OutboxState.SKIPPED, lease_until=None, last_error=reason[:500])
    )


def skip_pending(session: Session, *, assignment_id: int, reason: str) -> int:
    """Cancel what is still planned for an assignment (its unit reported done).

    Every «xong» runs this: a Core UPDATE built once, which leaves the session's objects
    alone (no outbox row is loaded in a reply's turn)."""
    result = session.connection().execute(
        _skip_pending_statement(),
        {"skip_assignment_id": assignment_id, "skip_reason": reason[:500]},
    )
    return rows_changed(result)


@cache
def _skip_pending_statement() -> Update:
    table = SQLModel.metadata.tables[OutboxMessage.__tablename__]
    return (
        update(table)
        .where(
            table.c.assignment_id == bindparam("skip_assignment_id"),
            table.c.state == OutboxState.PENDING.value,
        )
        .values(state=OutboxState.SKIPPED.value, last_error=bindparam("skip_reason"))
    )


def last_sent_reminder(
    session: Session, *, account_id: int, since: datetime
) -> OutboxMessage | None:
    """The latest reminder sent to this account after `since` (to guess what a reply is about)."""
    return session.scalars(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.account_id) == account_id,
            col(OutboxMessage.state) == OutboxState.SENT,
            col(OutboxMessage.assignment_id).is_not(None),
            col(OutboxMessage.sent_at) >= since,
        )
        .order_by(col(OutboxMessage.sent_at).desc())
        .limit(1)
    ).first()
