"""Who can be reminded of what: open assignments joined to their unit's registered chair."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from storage.directives import AssignmentView
from storage.models import (
    AccountState,
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    Person,
    Progress,
    Role,
    Task,
    Unit,
)


@dataclass(frozen=True, slots=True)
class ReminderTarget:
    """An open assignment with a deadline, and the chair's account that will be reminded."""

    view: AssignmentView
    chair: Person
    account_id: int


def reminder_targets(
    session: Session,
    *,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
) -> list[ReminderTarget]:
    """Open assignments with a deadline whose unit has a chair with a reachable account.

    With several accounts (Telegram and Zalo), the one the chair used last is chosen.
    """
    query = (
        select(Assignment, Task, Directive, Unit, Person, ChannelAccount)
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Directive, col(Directive.id) == col(Task.directive_id))
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .join(
            Appointment,
            (col(Appointment.unit_id) == col(Unit.id))
            & (col(Appointment.role) == Role.CHAIR)
            & col(Appointment.ended_at).is_(None),
        )
        .join(Person, col(Person.id) == col(Appointment.person_id))
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Person.id))
        .where(
            col(Assignment.progress) != Progress.DONE,
            col(Task.deadline_at).is_not(None),
            col(Unit.archived_at).is_(None),
            col(ChannelAccount.state) == AccountState.ACTIVE,
        )
        .order_by(col(Assignment.id), col(ChannelAccount.last_seen_at).desc())
    )
    if assignment_ids is not None:
        query = query.where(col(Assignment.id).in_(assignment_ids))
    if unit_ids is not None:
        query = query.where(col(Assignment.unit_id).in_(unit_ids))
    targets: dict[int, ReminderTarget] = {}
    for assignment, task, directive, unit, person, account in session.execute(query):
        if assignment.id not in targets and account.id is not None:
            view = AssignmentView(assignment, task, directive, unit)
            targets[assignment.id] = ReminderTarget(view, person, account.id)
    return list(targets.values())
