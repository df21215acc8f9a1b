"""Tasks that change: the officer's draft, applying it, and withdrawing what the old task
planned. Every write of a change is here (handlers decide, storage writes).

A change that moves a deadline or rewords the task gives the open assignments it touches a
new revision and a new ladder start (`replanned_at`): the planner then builds their ladder
again from the change, under keys with the revision's suffix, and the old ladder's pending
rows are withdrawn here, in the same transaction, so none of them goes out after it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from storage.chair_reach import chair_accounts
from storage.engine import rows_changed
from storage.models import (
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    OutboxMessage,
    OutboxState,
    Progress,
    Role,
    Task,
    Unit,
)
from storage.reach import person_account_id
from storage.task_change_tables import ChangeKind, TaskChange, TaskState

WITHDRAWN = "withdrawn: the task changed"


class _Keep:
    """For `_replan`: each assignment keeps its own deadline."""


KEEP = _Keep()


def draft(
    session: Session,
    *,
    task_id: int,
    kind: ChangeKind,
    person_id: int,
    details: dict[str, Any],
    now: datetime,
) -> TaskChange:
    """A change the officer has seen in a preview and not confirmed yet."""
    change = TaskChange(
        task_id=task_id, kind=kind, person_id=person_id, details=details, created_at=now
    )
    session.add(change)
    session.flush()
    return change


def get_change(session: Session, *, change_id: int) -> TaskChange | None:
    return session.get(TaskChange, change_id)


def drop(session: Session, *, change: TaskChange, now: datetime) -> None:
    """The officer said no: the draft stays, marked, and changes nothing."""
    change.dropped_at = now
    session.flush()


def history(session: Session, *, task_id: int) -> list[TaskChange]:
    """The confirmed changes of a task, oldest first."""
    return list(
        session.scalars(
            select(TaskChange)
            .where(col(TaskChange.task_id) == task_id, col(TaskChange.confirmed_at).is_not(None))
            .order_by(col(TaskChange.confirmed_at), col(TaskChange.id))
        )
    )


def open_assignments(
    session: Session, *, task_id: int, unit_ids: Sequence[int] | None = None
) -> list[Assignment]:
    """The task's assignments not reported done (of these units when given)."""
    query = select(Assignment).where(
        col(Assignment.task_id) == task_id, col(Assignment.progress) != Progress.DONE
    )
    if unit_ids is not None:
        query = query.where(col(Assignment.unit_id).in_(list(unit_ids)))
    return list(session.scalars(query.order_by(col(Assignment.id))))


def assigned_units(session: Session, *, task_id: int) -> list[Unit]:
    """The units the task was given to, by code."""
    return list(
        session.scalars(
            select(Unit)
            .join(Assignment, col(Assignment.unit_id) == col(Unit.id))
            .where(col(Assignment.task_id) == task_id)
            .order_by(col(Unit.code))
        )
    )


def lock_task(session: Session, *, task: Task, change: TaskChange) -> None:
    """Hold the task's row until the turn commits and read it and the draft again: changes
    of one task confirmed at once (two officers, or one tapping twice) take turns, each
    revision is the last one plus one, and the second sees what the first did. SQLite has
    one writer at a time anyway."""
    session.refresh(task, with_for_update=True)
    session.refresh(change)


def apply(session: Session, *, change: TaskChange, task: Task, now: datetime) -> list[Assignment]:
    """Carry out a confirmed change; returns the open assignments it touched (whose chairs
    are told). The old values go into the change's details: the history says what was."""
    assert task.id is not None
    details = dict(change.details)
    unit_ids = details.get("unit_ids")
    touched = open_assignments(session, task_id=task.id, unit_ids=unit_ids)
    kind = ChangeKind(change.kind)
    if kind == ChangeKind.TEXT:
        details["before"] = task.text
        task.text = str(details["text"])
        _replan(session, task_id=task.id, assignments=touched, deadline=KEEP, now=now)
    elif kind == ChangeKind.DEADLINE:
        details["before"] = task.deadline_at.isoformat() if task.deadline_at else None
        task.deadline_at = datetime.fromisoformat(str(details["deadline"]))
        _replan(session, task_id=task.id, assignments=touched, deadline=None, now=now)
    elif kind == ChangeKind.EXTEND:
        details["before"] = {
            str(a.unit_id): (a.deadline_at or task.deadline_at or now).isoformat() for a in touched
        }
        deadline = datetime.fromisoformat(str(details["deadline"]))
        _replan(session, task_id=task.id, assignments=touched, deadline=deadline, now=now)
    else:
        details["before"] = task.state
        task.state = TaskState.CANCELLED if kind == ChangeKind.CANCEL else TaskState.CLOSED
        withdraw(session, task_id=task.id, assignment_ids=[_id(a) for a in touched])
    change.details = details
    change.confirmed_at = now
    session.flush()
    return touched


def _replan(
    session: Session,
    *,
    task_id: int,
    assignments: Sequence[Assignment],
    deadline: datetime | _Keep | None,
    now: datetime,
) -> None:
    """New revisions for these assignments, their ladder counted again from now; the old
    ladder's pending rows withdrawn. `deadline` is the units' own deadline from now on (None:
    the task's; KEEP: each keeps its own, as a new text does). Units left with different
    deadlines get different revisions: the planner takes a revision's assignments as one
    group with one ladder."""
    latest = session.scalar(
        select(func.max(col(Assignment.revision))).where(col(Assignment.task_id) == task_id)
    )
    revisions: dict[datetime | None, int] = {}
    for assignment in assignments:
        if not isinstance(deadline, _Keep):
            assignment.deadline_at = deadline
        own = assignment.deadline_at
        revisions.setdefault(own, int(latest or 0) + len(revisions) + 1)
        assignment.revision = revisions[own]
        assignment.replanned_at = now
    session.flush()
    withdraw(session, task_id=task_id, assignment_ids=[_id(a) for a in assignments])


def withdraw(session: Session, *, task_id: int, assignment_ids: Sequence[int]) -> int:
    """Skip the reminders still pending for these assignments, and the task's pending
    escalation (it would name units whose deadline moved). Returns how many."""
    withdrawn = 0
    if assignment_ids:
        withdrawn += rows_changed(
            session.execute(
                update(OutboxMessage)
                .where(
                    _not_yet_sent(),
                    col(OutboxMessage.kind) == "reminder",
                    col(OutboxMessage.assignment_id).in_(list(assignment_ids)),
                )
                .values(state=OutboxState.SKIPPED, lease_until=None, last_error=WITHDRAWN)
                .execution_options(synchronize_session=False)
            )
        )
    withdrawn += rows_changed(
        session.execute(
            update(OutboxMessage)
            .where(
                _not_yet_sent(),
                col(OutboxMessage.key).startswith(f"escalation:{task_id}:"),
            )
            .values(state=OutboxState.SKIPPED, lease_until=None, last_error=WITHDRAWN)
            .execution_options(synchronize_session=False)
        )
    )
    return withdrawn


def _not_yet_sent() -> ColumnElement[bool]:
    """Pending, or claimed by a dispatcher whose send request has not started: a claimed row
    withdrawn here is refused to its dispatcher when it writes the start (the compare-and-set
    of `storage.outbox.mark_started`), so it is not sent. A request already started cannot be
    called back; that is at most the dispatcher's send slots, sent just before the change."""
    return or_(
        col(OutboxMessage.state) == OutboxState.PENDING,
        and_(
            col(OutboxMessage.state) == OutboxState.SENDING,
            col(OutboxMessage.sending_started_at).is_(None),
        ),
    )


def accounts_to_tell(
    session: Session, *, unit_ids: Sequence[int], except_person_id: int | None
) -> list[int]:
    """One account per person to tell of a change to these units' work: each unit's chair
    the bot can reach, and the officers appointed to the unit itself; not the officer who
    made the change (they got the answer)."""
    if not unit_ids:
        return []
    pg = session.get_bind().dialect.name == "postgresql"
    chairs = chair_accounts(pg)
    accounts = dict.fromkeys(
        session.scalars(
            select(chairs.c.account_id).where(chairs.c.unit_id.in_(list(unit_ids)))
        ).all()
    )
    officers = session.scalars(
        select(col(Appointment.person_id))
        .where(
            col(Appointment.unit_id).in_(list(unit_ids)),
            col(Appointment.role) == Role.OFFICER,
            col(Appointment.ended_at).is_(None),
        )
        .distinct()
    ).all()
    skip = (
        set()
        if except_person_id is None
        else set(_person_accounts(session, person_id=except_person_id))
    )
    for person_id in officers:
        if (account_id := person_account_id(session, person_id=person_id)) is not None:
            accounts[account_id] = None
    return [account_id for account_id in accounts if account_id not in skip]


def _person_accounts(session: Session, *, person_id: int) -> list[int]:
    return list(
        session.scalars(
            select(col(ChannelAccount.id)).where(col(ChannelAccount.person_id) == person_id)
        )
    )


def _id(assignment: Assignment) -> int:
    assert assignment.id is not None
    return assignment.id


def lock_given_draft(session: Session, *, directive: Directive) -> None:
    """Hold a /giaoviec draft's row and read it again: a confirmation tapped twice at once
    gives the task once (the second sees it is no draft any more)."""
    session.refresh(directive, with_for_update=True)


def draft_task(session: Session, *, directive_id: int) -> Task | None:
    """The one task of an officer's /giaoviec draft."""
    return session.scalars(select(Task).where(col(Task.directive_id) == directive_id)).first()


def discard_given_draft(session: Session, *, directive_id: int) -> None:
    """Forget a /giaoviec draft the officer said no to: its task, then the directive."""
    directive = session.get(Directive, directive_id)
    if directive is None or not directive.is_draft:
        return
    for task in session.scalars(select(Task).where(col(Task.directive_id) == directive_id)):
        session.delete(task)
    session.flush()
    session.delete(directive)
    session.flush()
