"""Who can be reminded of what: open assignments joined to the people answering for their
unit (`storage.answerers`: its registered chair and officers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from storage.answerers import answerer_accounts, copy_suffix, has_reachable_answerer
from storage.engine import rows_changed

# Re-exported: the planner (schedules/reminders.py) imports the escalation's queries from here.
from storage.escalation import LateUnits as LateUnits
from storage.escalation import late_units as late_units
from storage.escalation import outbox_key_exists as outbox_key_exists
from storage.escalation import person_account_id as person_account_id
from storage.models import (
    Assignment,
    Directive,
    OutboxMessage,
    OutboxState,
    Progress,
    ReminderStep,
    Task,
    Unit,
)
from storage.task_change_tables import TaskState
from storage.types import UTCDateTime

# -- the set-based planner's queries ---------------------------------------------------------
#
# The planner (schedules/reminders.py) computes a ladder once per task in Python and then
# asks for one step at a time over all of that task's open assignments: one INSERT … SELECT
# … ON CONFLICT DO NOTHING that writes their outbox rows, then one UPDATE that skips the
# older steps' rows they replace. Nothing here loops over assignments in Python.


@dataclass(frozen=True, slots=True)
class TaskGroup:
    """Open assignments of one task created at one moment and changed by the same change
    (`revision`, storage/task_changes.py): they share one ladder."""

    task: Task
    directive: Directive
    created_at: datetime
    revision: int = 0
    deadline_at: datetime | None = None  # the units' own deadline after an extension
    replanned_at: datetime | None = None  # the change that re-planned them

    @property
    def deadline(self) -> datetime | None:
        """The deadline the ladder counts to: the units' own, else the task's."""
        return self.deadline_at or self.task.deadline_at

    @property
    def ladder_start(self) -> datetime:
        """Steps before this are not sent: the creation, or the change that re-planned."""
        return self.replanned_at or self.created_at

    def step_key(self, key: str) -> str:
        """A step's key in the outbox: a changed task's new ladder gets new keys, so that
        the rows of the old one (sent or withdrawn) do not stand in its way."""
        return key if self.revision == 0 else f"{key}.r{self.revision}"


@dataclass(frozen=True, slots=True)
class StepRows:
    """What the rows of one step say; `{unit}` text goes between `text_head` and `text_tail`."""

    task_id: int
    created_at: datetime
    step_key: str
    revision: int
    step_at: datetime
    due_at: datetime
    text_head: str
    text_tail: str
    choices_parts: Sequence[str]  # the JSON of the buttons, split where the assignment id goes
    blocked_quiet_since: datetime  # a «vướng mắc» unit heard from after this is left alone
    # The buttons of an officer's copy (with «giao xuống»), split the same way; empty: the
    # chair's buttons.
    officer_choices_parts: Sequence[str] = ()


def _scope(
    query: Any, *, assignment_ids: Sequence[int] | None, unit_ids: Sequence[int] | None
) -> Any:
    if assignment_ids is not None:
        query = query.where(col(Assignment.id).in_(assignment_ids))
    if unit_ids is not None:
        query = query.where(col(Assignment.unit_id).in_(unit_ids))
    return query


def _open_assignment() -> ColumnElement[bool]:
    return and_(
        col(Assignment.progress) != Progress.DONE,
        col(Task.deadline_at).is_not(None),
        col(Task.state) == TaskState.OPEN,
    )


def open_task_groups(
    session: Session,
    *,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
) -> list[TaskGroup]:
    """Open tasks with a deadline and open assignments, split by the assignments' creation
    time and the change that last re-planned them."""
    query = _scope(
        select(
            col(Assignment.task_id),
            col(Assignment.created_at),
            col(Assignment.revision),
            func.max(col(Assignment.deadline_at)),
            func.max(col(Assignment.replanned_at)),
        )
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .where(_open_assignment())
        .group_by(col(Assignment.task_id), col(Assignment.created_at), col(Assignment.revision)),
        assignment_ids=assignment_ids,
        unit_ids=unit_ids,
    )
    groups = session.execute(query).all()
    task_ids = sorted({row[0] for row in groups})
    if not task_ids:
        return []
    tasks = {
        task.id: (task, directive)
        for task, directive in session.execute(
            select(Task, Directive)
            .join(Directive, col(Directive.id) == col(Task.directive_id))
            .where(col(Task.id).in_(task_ids))
        )
    }
    return [
        TaskGroup(*tasks[task_id], created_at, revision, deadline_at, replanned_at)
        for task_id, created_at, revision, deadline_at, replanned_at in sorted(
            groups, key=lambda row: (row[0], row[1], row[2])
        )
    ]


def count_reachable(
    session: Session,
    *,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
) -> int:
    """Open assignments (with a deadline) whose unit has someone answering for it whom the
    bot can write to (`storage.answerers`)."""
    query = _scope(
        select(func.count())
        .select_from(Assignment)
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .where(_open_assignment(), has_reachable_answerer()),
        assignment_ids=assignment_ids,
        unit_ids=unit_ids,
    )
    return int(session.scalar(query) or 0)


def plan_step(
    session: Session,
    *,
    rows: StepRows,
    now: datetime,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
) -> int:
    """Write one ladder step's rows (`reminder:{assignment}:{step}`) for a task's open
    assignments created at `rows.created_at`, in one INSERT … SELECT; returns how many
    were new (an existing key is left as it is).

    An assignment takes the step, once per person answering for its unit
    (`storage.answerers`: the chair, and each officer with `:p{person}` at the end of the
    key), when its unit is not archived, and it is not a «vướng mắc» unit heard from, or
    planned a reminder, since
    `rows.blocked_quiet_since`.
    """
    # Not a correlated EXISTS: on PostgreSQL that would rescan the rows this very INSERT
    # is adding. The blocked units' recent reminders are looked up once, then hashed.
    blocked = aliased(Assignment)
    recent_reminder = col(Assignment.id).in_(
        select(col(OutboxMessage.assignment_id))
        .join(blocked, col(blocked.id) == col(OutboxMessage.assignment_id))
        .where(
            col(blocked.task_id) == rows.task_id,
            col(blocked.progress) == Progress.BLOCKED,
            col(OutboxMessage.kind) == "reminder",
            col(OutboxMessage.state) != OutboxState.SKIPPED,
            col(OutboxMessage.created_at) > rows.blocked_quiet_since,
        )
    )
    blocked_recently = and_(
        col(Assignment.progress) == Progress.BLOCKED,
        or_(col(Assignment.last_reply_at) > rows.blocked_quiet_since, recent_reminder),
    )
    pg = session.get_bind().dialect.name == "postgresql"
    assignment_text = cast(col(Assignment.id), String)
    key = literal("reminder:") + assignment_text + literal(f":{rows.step_key}")
    answerers = answerer_accounts(pg)
    key = key + copy_suffix(answerers.c.person_id)
    choices = _spliced(rows.choices_parts, assignment_text)
    if rows.officer_choices_parts:
        choices = case(
            (answerers.c.person_id.is_(None), choices),
            else_=_spliced(rows.officer_choices_parts, assignment_text),
        )
    source = _scope(
        select(
            key,
            answerers.c.account_id,
            literal("reminder"),
            literal(rows.text_head) + col(Unit.name) + literal(rows.text_tail),
            cast(choices, JSON) if pg else choices,
            literal(rows.due_at, UTCDateTime()),
            col(Assignment.id),
            literal(OutboxState.PENDING.value),
            literal(0),
            literal(now, UTCDateTime()),
        )
        .select_from(Assignment)
        .join(answerers, answerers.c.unit_id == col(Assignment.unit_id))
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .where(
            col(Assignment.task_id) == rows.task_id,
            col(Assignment.created_at) == rows.created_at,
            col(Assignment.revision) == rows.revision,
            col(Assignment.progress) != Progress.DONE,
            col(Unit.archived_at).is_(None),
            not_(blocked_recently),
        ),
        assignment_ids=assignment_ids,
        unit_ids=unit_ids,
    )
    insert = pg_insert if pg else sqlite_insert
    statement = (
        insert(OutboxMessage)
        .from_select(
            [
                "key",
                "account_id",
                "kind",
                "text",
                "choices",
                "due_at",
                "assignment_id",
                "state",
                "attempts",
                "created_at",
            ],
            source,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(OutboxMessage.id))
    )
    # rowcount is not reliable for INSERT … SELECT on every driver; the ids are.
    return len(session.execute(statement).all())


def _spliced(parts: Sequence[str], assignment_text: Any) -> Any:
    """The buttons' JSON with the assignment's id put back between its parts."""
    choices: Any = literal(parts[0])
    for part in parts[1:]:
        choices = choices + assignment_text + literal(part)
    return choices


def prepare_bulk_planning(session: Session) -> None:
    """Settings for this transaction only, on PostgreSQL: room to hash 150,000 chairs in
    memory, and no wait for the commit to reach the disk — a planning pass lost in a crash
    is simply planned again (it is idempotent, and its step records go with it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL synchronous_commit = off"))
        session.execute(text("SET LOCAL jit = off"))  # compiling costs more than it saves here


def planned_steps(
    session: Session, *, task_ids: Sequence[int]
) -> dict[tuple[int, datetime, int], datetime]:
    """Per (task, assignments' creation moment, revision), the time of the latest step the
    pass wrote. The revision is the suffix of a changed task's step keys (`TaskGroup.step_key`);
    a task has a handful of steps, so they are read and grouped here."""
    if not task_ids:
        return {}
    rows = session.execute(
        select(
            col(ReminderStep.task_id),
            col(ReminderStep.assignments_created_at),
            col(ReminderStep.step),
            col(ReminderStep.step_at),
        ).where(col(ReminderStep.task_id).in_(task_ids))
    ).all()
    latest: dict[tuple[int, datetime, int], datetime] = {}
    for task_id, created, step, step_at in rows:
        _, marked, revision = step.rpartition(".r")
        group = (task_id, created, int(revision) if marked and revision.isdigit() else 0)
        if group not in latest or step_at > latest[group]:
            latest[group] = step_at
    return latest


def record_step(
    session: Session,
    *,
    task_id: int,
    created_at: datetime,
    step: str,
    step_at: datetime,
    now: datetime,
) -> None:
    """Remember that the pass wrote this step for this group (once, whoever records it)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReminderStep)
        .values(
            task_id=task_id,
            assignments_created_at=created_at,
            step=step,
            step_at=step_at,
            planned_at=now,
        )
        .on_conflict_do_nothing(index_elements=["task_id", "assignments_created_at", "step"])
    )


def supersede_reminders(session: Session, *, task_id: int, before: datetime, keep: str) -> int:
    """Skip the task's reminders still pending from steps older than `before`, for the
    assignments that have a row of the newer step `keep`: it replaces them."""
    newer = aliased(OutboxMessage)
    # The chair's copy and each officer's (`:p{person}`) are planned by the same statement.
    newer_key = (
        literal("reminder:") + cast(col(OutboxMessage.assignment_id), String) + literal(f":{keep}")
    )
    has_newer = (
        select(col(newer.id))
        .where(
            col(newer.assignment_id) == col(OutboxMessage.assignment_id),
            or_(
                col(newer.key) == newer_key,
                col(newer.key).like(newer_key + literal(":p%")),
            ),
        )
        .exists()
    )
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.state) == OutboxState.PENDING,
            col(OutboxMessage.kind) == "reminder",
            col(OutboxMessage.due_at) < before,
            not_(col(OutboxMessage.key).endswith(f":{keep}")),
            not_(col(OutboxMessage.key).contains(f":{keep}:p")),
            col(OutboxMessage.assignment_id).in_(
                select(col(Assignment.id)).where(col(Assignment.task_id) == task_id)
            ),
            has_newer,
        )
        .values(state=OutboxState.SKIPPED, last_error="superseded by a newer reminder")
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def skip_done_reminders(session: Session, *, due_before: datetime) -> int:
    """Skip reminders about to go out (pending, due before `due_before`) whose assignment
    was reported done: a safety net, since the reply handler skips them as it records the
    reply. Driven by the pending rows (few), not by the done assignments (many)."""
    done = (
        select(col(Assignment.id))
        .where(
            col(Assignment.id) == col(OutboxMessage.assignment_id),
            col(Assignment.progress) == Progress.DONE,
        )
        .exists()
    )
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.state) == OutboxState.PENDING,
            col(OutboxMessage.due_at) < due_before,
            col(OutboxMessage.kind) == "reminder",
            done,
        )
        .values(state=OutboxState.SKIPPED, last_error="reported done")
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)
