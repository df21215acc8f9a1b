"""What a branch's figures are computed from: one query per kind of fact (the units, their
chairs, the tasks, the assignments, the replies), never one per unit, so that a branch of a
thousand units costs five statements.

Rows are plain tuples (frozen dataclasses), not ORM objects: fifty thousand assignments
loaded as ORM objects would cost more than the whole summary may.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import CTE, exists, literal, or_, select
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col

from storage.models import (
    AccountState,
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    Person,
    Progress,
    Reply,
    Role,
    Task,
    Unit,
)
from storage.task_change_tables import TaskState
from storage.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class ChairRow:
    """A unit's current chair from the roster, and whether the bot can write to them."""

    unit_id: int
    name: str
    phone: str | None  # E.164
    registered: bool


class AssignmentRow(NamedTuple):
    """An assignment's state; `given_then` / `done_then`: whether it had been given, and
    reported done, by the moment compared with (a week before, for the rate's change). A
    named tuple: fifty thousand of them are made straight from the database's rows."""

    id: int
    task_id: int
    unit_id: int
    progress: str
    percent: int | None
    done_at: datetime | None
    last_reply_at: datetime | None
    given_then: bool  # 0/1 on SQLite
    done_then: bool
    deadline_at: datetime | None = None  # the unit's own, after an extension


@dataclass(frozen=True, slots=True)
class ReplyRow:
    """A reply that matters to a summary: the latest of its assignment, or one with a figure."""

    assignment_id: int
    progress: str
    note: str | None
    number: int | None
    received_at: datetime
    latest: bool


def _tree(root_id: int) -> CTE:
    """The ids of a unit and everything below it, at any depth."""
    tree = select(col(Unit.id).label("id")).where(col(Unit.id) == root_id).cte("tree", True)
    return tree.union_all(select(col(Unit.id)).where(col(Unit.parent_id) == tree.c.id))


def branch_units(session: Session, *, root_id: int) -> list[UnitRow]:
    """The root and every unit below it that is not archived, by code."""
    tree = _tree(root_id)
    rows = session.execute(
        select(col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.level), col(Unit.parent_id))
        .where(col(Unit.id).in_(select(tree.c.id)), col(Unit.archived_at).is_(None))
        .order_by(col(Unit.code))
    ).all()
    return [UnitRow(*row) for row in rows]


def branch_chairs(session: Session, *, root_id: int) -> dict[int, ChairRow]:
    """Per unit of the branch with a current chair: the chair (the latest appointed), and
    whether they have an active account (registered with the bot and not blocked)."""
    tree = _tree(root_id)
    reachable = exists().where(
        col(ChannelAccount.person_id) == col(Person.id),
        col(ChannelAccount.state) == AccountState.ACTIVE,
    )
    rows = session.execute(
        select(col(Appointment.unit_id), col(Person.full_name), col(Person.phone), reachable)
        .join(Person, col(Person.id) == col(Appointment.person_id))
        .where(
            col(Appointment.unit_id).in_(select(tree.c.id)),
            col(Appointment.role) == Role.CHAIR,
            col(Appointment.ended_at).is_(None),
        )
        .order_by(col(Appointment.started_at), col(Appointment.id))
    ).all()
    chairs: dict[int, ChairRow] = {}
    for unit_id, name, phone, registered in rows:
        before = chairs.get(unit_id)
        # Two current chairs (a hand-over in progress): the later one is shown, and the unit
        # counts as registered when either can be reached.
        chairs[unit_id] = ChairRow(
            unit_id, name, phone, bool(registered) or (before is not None and before.registered)
        )
    return chairs


def branch_tasks(
    session: Session,
    *,
    root_id: int,
    since: datetime,
    directive_ids: Sequence[int] | None = None,
    task_ids: Sequence[int] | None = None,
) -> list[tuple[Task, Directive]]:
    """The tasks assigned to units of the branch whose directive is still open there (some
    assignment not done, or one done since `since`), by directive and item. The directive's
    document (text and file) is left unread."""
    tree = _tree(root_id)
    in_branch = col(Assignment.unit_id).in_(select(tree.c.id))
    active_tasks = select(col(Assignment.task_id)).where(
        in_branch,
        or_(col(Assignment.progress) != Progress.DONE, col(Assignment.done_at) >= since),
    )
    open_directives = select(col(Task.directive_id)).where(col(Task.id).in_(active_tasks))
    assigned = select(col(Assignment.task_id)).where(in_branch)
    query = (
        select(Task, Directive)
        .join(Directive, col(Directive.id) == col(Task.directive_id))
        .where(
            col(Directive.is_draft).is_(False),
            col(Task.state) != TaskState.CANCELLED,  # withdrawn: gone from the summaries
            col(Directive.id).in_(open_directives),
            col(Task.id).in_(assigned),
        )
        .options(defer(_column(Directive.source_text)), defer(_column(Directive.source_file)))
        .order_by(col(Directive.id), col(Task.item))
    )
    if directive_ids is not None:
        query = query.where(col(Directive.id).in_(list(directive_ids)))
    if task_ids is not None:
        query = query.where(col(Task.id).in_(list(task_ids)))
    return [(task, directive) for task, directive in session.execute(query).all()]


def branch_assignments(
    session: Session, *, root_id: int, task_ids: Sequence[int], then: datetime
) -> list[AssignmentRow]:
    """The assignments of these tasks to units of the branch. Run on the connection, not
    through the ORM, and compared with `then` in SQL: tens of thousands of rows."""
    if not task_ids:
        return []
    tree = _tree(root_id)
    moment = literal(then, UTCDateTime())
    rows = (
        session.connection()
        .execute(
            select(
                col(Assignment.id),
                col(Assignment.task_id),
                col(Assignment.unit_id),
                col(Assignment.progress),
                col(Assignment.percent),
                col(Assignment.done_at),
                col(Assignment.last_reply_at),
                col(Assignment.created_at) <= moment,
                col(Assignment.done_at).is_not(None) & (col(Assignment.done_at) <= moment),
                col(Assignment.deadline_at),
            ).where(
                col(Assignment.unit_id).in_(select(tree.c.id)),
                col(Assignment.task_id).in_(list(task_ids)),
            )
        )
        .all()
    )
    return [AssignmentRow._make(row) for row in rows]


def branch_replies(session: Session, *, root_id: int, task_ids: Sequence[int]) -> list[ReplyRow]:
    """The replies on these tasks' assignments in the branch that a summary reads: the latest
    of each assignment when it has a note (the reason, when blocked) and every one with a
    figure; the rest of the history is left in the database. Oldest first."""
    if not task_ids:
        return []
    tree = _tree(root_id)
    latest = col(Reply.received_at) == col(Assignment.last_reply_at)
    rows = (
        session.connection()
        .execute(
            select(
                col(Reply.assignment_id),
                col(Reply.progress),
                col(Reply.note),
                col(Reply.number),
                col(Reply.received_at),
                latest,
            )
            .join(Assignment, col(Assignment.id) == col(Reply.assignment_id))
            .where(
                col(Assignment.unit_id).in_(select(tree.c.id)),
                col(Assignment.task_id).in_(list(task_ids)),
                or_(latest & col(Reply.note).is_not(None), col(Reply.number).is_not(None)),
            )
            .order_by(col(Reply.assignment_id), col(Reply.received_at), col(Reply.id))
        )
        .all()
    )
    return [ReplyRow(a, p, n, num, r, bool(x)) for a, p, n, num, r, x in rows]


def top_unit_ids(session: Session) -> list[int]:
    """The roots of the tree (units without a parent), for an administrator's summary."""
    return [
        unit_id
        for unit_id in session.scalars(
            select(col(Unit.id))
            .where(col(Unit.parent_id).is_(None), col(Unit.archived_at).is_(None))
            .order_by(col(Unit.code))
        )
        if unit_id is not None
    ]


@dataclass(frozen=True, slots=True)
class TaskRef:
    """What an officer may call a task by: its directive's id, kind and number, its item."""

    directive_id: int
    kind: str
    number: str | None
    task_id: int
    item: int


def tasks_in_branch(session: Session, *, root_id: int) -> list[TaskRef]:
    """Every task of a confirmed directive assigned in the branch, for finding the one (or
    the directive) an officer names."""
    tree = _tree(root_id)
    rows = session.execute(
        select(
            col(Directive.id),
            col(Directive.kind),
            col(Directive.number),
            col(Task.id),
            col(Task.item),
        )
        .join(Task, col(Task.directive_id) == col(Directive.id))
        .where(
            col(Directive.is_draft).is_(False),
            col(Task.state) != TaskState.CANCELLED,
            col(Task.id).in_(
                select(col(Assignment.task_id)).where(
                    col(Assignment.unit_id).in_(select(tree.c.id))
                )
            ),
        )
        .order_by(col(Directive.id), col(Task.item))
    ).all()
    return [TaskRef(*row) for row in rows]


def _column(attribute: object) -> QueryableAttribute[Any]:
    assert isinstance(attribute, QueryableAttribute), "a mapped column"
    return attribute
