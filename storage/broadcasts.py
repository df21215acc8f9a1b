"""Broadcasts: an officer's notice, its deliveries and their receipts (the audience is
resolved in `storage.broadcast_audience`). Every recipient gets one outbox row, keyed
`broadcast:{id}:{account}`, so a notice reaches each account once whatever happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlmodel import Session, SQLModel, col

from storage.broadcast_audience import Audience
from storage.models import (
    Appointment,
    Broadcast,
    BroadcastDelivery,
    BroadcastState,
    OutboxMessage,
    OutboxState,
    Person,
    Role,
    Unit,
)
from storage.outbox import NOTICE_KIND, PlannedMessage, enqueue

KIND = NOTICE_KIND
REPORT_KIND = "broadcast_report"
CANCELLED = "cancelled"


def delivery_key(broadcast_id: int, account_id: int) -> str:
    return f"broadcast:{broadcast_id}:{account_id}"


def report_key(broadcast_id: int) -> str:
    return f"broadcast-report:{broadcast_id}"


@dataclass(frozen=True, slots=True)
class Tally:
    """Where a broadcast's deliveries stand."""

    recipients: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0
    acknowledged: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def in_flight(self) -> int:
        return self.recipients - self.sent - self.failed - self.blocked - self.cancelled


# --- drafts -------------------------------------------------------------------------------


def create_draft(
    session: Session, *, person_id: int, account_id: int, text: str, now: datetime
) -> Broadcast:
    """A new draft notice (with an id); the officer's older drafts are dropped."""
    session.execute(
        delete(Broadcast).where(
            col(Broadcast.created_by_person_id) == person_id,
            col(Broadcast.state) == BroadcastState.DRAFT,
        )
    )
    broadcast = Broadcast(
        created_by_person_id=person_id,
        officer_account_id=account_id,
        scope="",
        text=text,
        created_at=now,
        state=BroadcastState.DRAFT,
    )
    session.add(broadcast)
    session.flush()
    return broadcast


def get(session: Session, *, broadcast_id: int) -> Broadcast | None:
    return session.get(Broadcast, broadcast_id)


def delete_draft(session: Session, *, broadcast_id: int) -> None:
    session.execute(
        delete(Broadcast).where(
            col(Broadcast.id) == broadcast_id, col(Broadcast.state) == BroadcastState.DRAFT
        )
    )


# --- sending ------------------------------------------------------------------------------


def launch(
    session: Session,
    *,
    broadcast: Broadcast,
    audience: Audience,
    scope: str,
    message_text: str,
    choices: list[list[dict[str, str]]] | None,
    now: datetime,
) -> int:
    """Confirm a draft: one delivery and one outbox row per recipient, due now. Returns
    how many rows were planned."""
    assert broadcast.id is not None
    broadcast_id = broadcast.id
    session.execute(
        insert(BroadcastDelivery),
        [
            {"broadcast_id": broadcast_id, "account_id": account_id, "unit_id": unit_id}
            for account_id, unit_id in audience.recipients.items()
        ],
    )
    planned = enqueue(
        session,
        messages=[
            PlannedMessage(
                key=delivery_key(broadcast_id, account_id),
                account_id=account_id,
                kind=KIND,
                text=message_text,
                due_at=now,
                choices=choices,
                broadcast_id=broadcast_id,
            )
            for account_id in audience.recipients
        ],
        now=now,
    )
    outbox_id = (
        select(col(OutboxMessage.id))
        .where(
            col(OutboxMessage.broadcast_id) == broadcast_id,
            col(OutboxMessage.account_id) == col(BroadcastDelivery.account_id),
        )
        .scalar_subquery()
    )
    session.execute(
        update(BroadcastDelivery)
        .where(col(BroadcastDelivery.broadcast_id) == broadcast_id)
        .values(outbox_id=outbox_id)
    )
    broadcast.scope = scope[:300]
    broadcast.state = BroadcastState.SENDING
    broadcast.units = audience.units
    broadcast.no_account = len(audience.no_account_unit_ids)
    broadcast.sent_at = now
    session.flush()
    return planned


def lock(session: Session, *, broadcast_id: int) -> Broadcast | None:
    """The broadcast, locked until the transaction ends (PostgreSQL): two workers that
    finish its last rows at once settle it one after the other, and the second sees the
    first's rows."""
    query = select(Broadcast).where(col(Broadcast.id) == broadcast_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).first()


def record_outcomes(session: Session, *, outcomes: Sequence[tuple[int, str]]) -> set[int]:
    """Note the final outcome (sent, failed, blocked) of outbox rows that carry a broadcast;
    returns the broadcasts touched."""
    touched: set[int] = set()
    by_outcome: dict[str, list[int]] = {}
    for outbox_id, outcome in outcomes:
        by_outcome.setdefault(outcome, []).append(outbox_id)
    for outcome, ids in by_outcome.items():
        result = session.execute(
            update(BroadcastDelivery)
            .where(col(BroadcastDelivery.outbox_id).in_(ids))
            .values(outcome=outcome)
            .returning(col(BroadcastDelivery.broadcast_id))
        )
        touched.update(result.scalars())
    return touched


def cancelled_among(session: Session, *, broadcast_ids: Collection[int]) -> set[int]:
    """Which of these broadcasts were stopped (the dispatcher withdraws their claimed rows)."""
    if not broadcast_ids:
        return set()
    return set(
        session.scalars(
            select(col(Broadcast.id)).where(
                col(Broadcast.id).in_(broadcast_ids),
                col(Broadcast.state) == BroadcastState.CANCELLED,
            )
        )
    )


def cancel(session: Session, *, broadcast: Broadcast, now: datetime) -> int:
    """Stop a broadcast that is sending: its planned rows are skipped, and the rows a
    dispatcher holds are withdrawn by it before they are sent (`schedules.withdrawals`).
    Returns how many planned rows were stopped here."""
    assert broadcast.id is not None
    skipped = list(
        session.scalars(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.broadcast_id) == broadcast.id,
                col(OutboxMessage.kind) == KIND,
                col(OutboxMessage.state) == OutboxState.PENDING,
            )
            .values(state=OutboxState.SKIPPED, last_error="broadcast cancelled")
            .returning(col(OutboxMessage.id))
        )
    )
    if skipped:
        session.execute(
            update(BroadcastDelivery)
            .where(col(BroadcastDelivery.outbox_id).in_(skipped))
            .values(outcome=CANCELLED)
        )
    broadcast.state = BroadcastState.CANCELLED
    broadcast.cancelled_at = now
    session.flush()
    return len(skipped)


def tally(session: Session, *, broadcast_ids: Sequence[int]) -> dict[int, Tally]:
    """Per broadcast: recipients, outcomes, acknowledgements (one grouped query)."""
    if not broadcast_ids:
        return {}
    rows = session.execute(
        select(
            col(BroadcastDelivery.broadcast_id),
            col(BroadcastDelivery.outcome),
            func.count(),
            func.count(col(BroadcastDelivery.acknowledged_at)),
        )
        .where(col(BroadcastDelivery.broadcast_id).in_(list(broadcast_ids)))
        .group_by(col(BroadcastDelivery.broadcast_id), col(BroadcastDelivery.outcome))
    ).all()
    counts: dict[int, Counter[str]] = {b: Counter() for b in broadcast_ids}
    acks: Counter[int] = Counter()
    for broadcast_id, outcome, number, acknowledged in rows:
        counts[broadcast_id][outcome or ""] += number
        acks[broadcast_id] += acknowledged
    return {
        b: Tally(
            recipients=sum(c.values()),
            sent=c["sent"],
            failed=c["failed"],
            blocked=c["blocked"],
            cancelled=c[CANCELLED],
            acknowledged=acks[b],
            outcomes=c,
        )
        for b, c in counts.items()
    }


def unsettled(session: Session, *, broadcast_id: int) -> int:
    """Outbox rows of the broadcast still planned or being sent."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                col(OutboxMessage.broadcast_id) == broadcast_id,
                col(OutboxMessage.kind) == KIND,
                col(OutboxMessage.state).in_([OutboxState.PENDING, OutboxState.SENDING]),
            )
        )
        or 0
    )


def finish(session: Session, *, broadcast: Broadcast, report_text: str, now: datetime) -> bool:
    """Put the one delivery report in the outbox (its key makes it once) and mark the
    broadcast done (a cancelled one stays cancelled). False when it was there already."""
    assert broadcast.id is not None
    if broadcast.state == BroadcastState.SENDING:
        broadcast.state = BroadcastState.DONE
    if broadcast.finished_at is None:
        broadcast.finished_at = now
    account_id = broadcast.officer_account_id
    if account_id is None:
        return False
    return bool(
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key=report_key(broadcast.id),
                    account_id=account_id,
                    kind=REPORT_KIND,
                    text=report_text,
                    due_at=now,
                    broadcast_id=broadcast.id,
                )
            ],
            now=now,
        )
    )


# --- reading back -------------------------------------------------------------------------


def recent(session: Session, *, person_id: int, limit: int = 5) -> list[Broadcast]:
    """The officer's latest notices that went out (drafts left out), newest first."""
    return list(
        session.scalars(
            select(Broadcast)
            .where(
                col(Broadcast.created_by_person_id) == person_id,
                col(Broadcast.state) != BroadcastState.DRAFT,
            )
            .order_by(col(Broadcast.id).desc())
            .limit(limit)
        )
    )


def not_acknowledged(session: Session, *, broadcast_id: int) -> list[tuple[str, str, str]]:
    """(unit code, unit name, chair's name) of the recipients who got the notice and have
    not acknowledged it, by code."""
    rows = session.execute(
        select(col(Unit.code), col(Unit.name), col(Person.full_name))
        .select_from(BroadcastDelivery)
        .join(Unit, col(Unit.id) == col(BroadcastDelivery.unit_id))
        .outerjoin(
            Appointment,
            (col(Appointment.unit_id) == col(Unit.id))
            & (col(Appointment.role) == Role.CHAIR)
            & col(Appointment.ended_at).is_(None),
        )
        .outerjoin(Person, col(Person.id) == col(Appointment.person_id))
        .where(
            col(BroadcastDelivery.broadcast_id) == broadcast_id,
            col(BroadcastDelivery.outcome) == "sent",
            col(BroadcastDelivery.acknowledged_at).is_(None),
        )
        .order_by(col(Unit.code))
    ).all()
    seen: dict[str, tuple[str, str, str]] = {}
    for code, name, chair in rows:
        seen.setdefault(code, (code, name, chair or ""))
    return list(seen.values())


def delivery_of(
    session: Session, *, broadcast_id: int, account_id: int
) -> BroadcastDelivery | None:
    return session.scalars(
        select(BroadcastDelivery).where(
            col(BroadcastDelivery.broadcast_id) == broadcast_id,
            col(BroadcastDelivery.account_id) == account_id,
        )
    ).first()


def acknowledge(session: Session, *, delivery: BroadcastDelivery, now: datetime) -> None:
    delivery.acknowledged_at = now
    session.flush()


def latest_message_notice(session: Session, *, account_id: int) -> int | None:
    """The broadcast whose notice is the last message the bot sent this account, if the
    last message sent was a notice (for a text-only `đã nhận` right after it). A chair's
    «1» runs it, so the statement is built once (docs/hot-path.md)."""
    row = session.connection().execute(_last_sent_statement(), {"last_account": account_id}).first()
    if row is None or row[0] != KIND or row[1] is None:
        return None
    return int(row[1])


@cache
def _last_sent_statement() -> Any:
    table = SQLModel.metadata.tables[OutboxMessage.__tablename__]
    return (
        select(table.c.kind, table.c.broadcast_id)
        .where(
            table.c.account_id == bindparam("last_account"),
            table.c.state == OutboxState.SENT.value,
        )
        .order_by(table.c.sent_at.desc(), table.c.id.desc())
        .limit(1)
    )


def latest_unacknowledged(session: Session, *, account_id: int) -> BroadcastDelivery | None:
    """The account's latest notice that reached it and is not acknowledged yet."""
    return session.scalars(
        select(BroadcastDelivery)
        .where(
            col(BroadcastDelivery.account_id) == account_id,
            col(BroadcastDelivery.outcome) == "sent",
            col(BroadcastDelivery.acknowledged_at).is_(None),
        )
        .order_by(col(BroadcastDelivery.id).desc())
        .limit(1)
    ).first()
