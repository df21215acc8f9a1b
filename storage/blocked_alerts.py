"""The officer's gathered «vướng mắc» message: at most one outbox row per officer per hour,
holding every blocked reply since the last one sent.

The row's key is `blocked:{person}:{yyyymmddhh}` (the UTC hour it is due). A new blocked
reply is appended to the officer's row still pending; once that row is claimed for sending
(or sent), nothing more is appended to it and the reply starts the next row, due an hour
after the last one went out: nothing lost, nothing twice. The append is one UPDATE guarded
by `state = 'pending'`, so a dispatcher claiming the row at the same moment either takes the
text with the new line or leaves the line to the next row (PostgreSQL re-checks the guard
after the claim's lock; SQLite runs one writer at a time).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from storage.engine import rows_changed
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from storage.outbox import PlannedMessage, enqueue

log = logging.getLogger(__name__)

KIND = "blocked"
GAP = timedelta(hours=1)
ATTEMPTS = 5  # a concurrent writer can take the row or the key between two statements


def key_prefix(person_id: int) -> str:
    return f"blocked:{person_id}:"


def gather_blocked_alert(
    session: Session, *, person_id: int, account_id: int, header: str, line: str, now: datetime
) -> bool:
    """Add `line` to the officer's pending gathered message, or start the next one (with
    `header` first) due now or an hour after the last one sent. False when it could not be
    placed (only under a storm of concurrent writers; logged)."""
    for _ in range(ATTEMPTS):
        if _append(session, person_id=person_id, line=line):
            return True
        due = _next_due(session, person_id=person_id, now=now)
        message = PlannedMessage(
            key=key_prefix(person_id) + due.astimezone(UTC).strftime("%Y%m%d%H"),
            account_id=account_id,
            kind=KIND,
            text=f"{header}\n{line}",
            due_at=due,
        )
        if enqueue(session, messages=[message], now=now):
            return True
    log.warning("blocked alert for person %s not placed after %s attempts", person_id, ATTEMPTS)
    return False


def _mine(person_id: int) -> ColumnElement[bool]:
    """The officer's gathered rows (on any of their accounts)."""
    accounts = select(col(ChannelAccount.id)).where(col(ChannelAccount.person_id) == person_id)
    return (
        col(OutboxMessage.account_id).in_(accounts)
        & (col(OutboxMessage.kind) == KIND)
        & col(OutboxMessage.key).startswith(key_prefix(person_id), autoescape=True)
    )


def _append(session: Session, *, person_id: int, line: str) -> bool:
    pending = session.scalar(
        select(col(OutboxMessage.id))
        .where(_mine(person_id), col(OutboxMessage.state) == OutboxState.PENDING)
        .order_by(col(OutboxMessage.due_at))
        .limit(1)
    )
    if pending is None:
        return False
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == pending, col(OutboxMessage.state) == OutboxState.PENDING)
        .values(text=col(OutboxMessage.text) + "\n" + line)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) > 0


def _next_due(session: Session, *, person_id: int, now: datetime) -> datetime:
    """Now, or an hour after the officer's last gathered message went out (or will)."""
    last = session.execute(
        select(col(OutboxMessage.due_at), col(OutboxMessage.sent_at))
        .where(_mine(person_id), col(OutboxMessage.state) != OutboxState.SKIPPED)
        .order_by(col(OutboxMessage.due_at).desc())
        .limit(1)
    ).first()
    if last is None:
        return now
    due_at: datetime = last[0]
    sent_at: datetime | None = last[1]
    went = sent_at if sent_at is not None else max(due_at, now)
    # Strictly later hours: a row due in this hour's key already exists.
    return max(now, went + GAP, _next_hour(due_at))


def _next_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + GAP
