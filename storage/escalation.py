"""What the planner reads to tell an officer about a task still late once its reminders are
over: which units are late, whether the message was already planned, and where to send it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, not_, select
from sqlmodel import Session, col

from storage.chair_reach import has_reachable_chair
from storage.models import AccountState, Assignment, ChannelAccount, OutboxMessage, Progress, Unit


@dataclass(frozen=True, slots=True)
class LateUnits:
    """The units of a task not done, for the officer: a few by name, and counts."""

    total: int
    without_chair: int
    listed: list[tuple[str, str]]  # (unit name, progress), the first few by unit code


def late_units(session: Session, *, task_id: int, limit: int) -> LateUnits:
    late = and_(
        col(Assignment.task_id) == task_id,
        col(Assignment.progress) != Progress.DONE,
        col(Unit.archived_at).is_(None),
    )
    base = (
        select(func.count())
        .select_from(Assignment)
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
    )
    total = int(session.scalar(base.where(late)) or 0)
    without = int(session.scalar(base.where(late, not_(has_reachable_chair()))) or 0)
    listed = session.execute(
        select(col(Unit.name), col(Assignment.progress))
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .where(late)
        .order_by(col(Unit.code))
        .limit(limit)
    ).all()
    return LateUnits(total, without, [(str(name), str(progress)) for name, progress in listed])


def outbox_key_exists(session: Session, *, key: str) -> bool:
    return (
        session.scalar(select(col(OutboxMessage.id)).where(col(OutboxMessage.key) == key))
        is not None
    )


def person_account_id(session: Session, *, person_id: int) -> int | None:
    """The person's active account used last, or None when the bot cannot reach them."""
    return session.scalar(
        select(col(ChannelAccount.id))
        .where(
            col(ChannelAccount.person_id) == person_id,
            col(ChannelAccount.state) == AccountState.ACTIVE,
        )
        .order_by(col(ChannelAccount.last_seen_at).desc(), col(ChannelAccount.id))
        .limit(1)
    )
