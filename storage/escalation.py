"""What the planner reads to tell an officer about a task still late once its reminders are
over: which units are late, whether the message was already planned, and where to send it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, not_, or_, select
from sqlmodel import Session, col

from storage.answerers import has_reachable_answerer
from storage.models import Assignment, OutboxMessage, Progress, Unit
from storage.reach import person_account_id as person_account_id


@dataclass(frozen=True, slots=True)
class LateUnits:
    """The units of a task not done, for the officer: a few by name, and counts."""

    total: int
    without_chair: int
    listed: list[tuple[str, str]]  # (unit name, progress), the first few by unit code


def late_units(
    session: Session, *, task_id: int, limit: int, deadline: datetime | None = None
) -> LateUnits:
    """The task's units not done; with `deadline`, not those extended past it (their own
    deadline is still ahead: storage/task_changes.py)."""
    late = and_(
        col(Assignment.task_id) == task_id,
        col(Assignment.progress) != Progress.DONE,
        col(Unit.archived_at).is_(None),
    )
    if deadline is not None:
        late = and_(
            late,
            or_(col(Assignment.deadline_at).is_(None), col(Assignment.deadline_at) <= deadline),
        )
    base = (
        select(func.count())
        .select_from(Assignment)
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
    )
    total = int(session.scalar(base.where(late)) or 0)
    without = int(session.scalar(base.where(late, not_(has_reachable_answerer()))) or 0)
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
