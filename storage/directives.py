"""Directives, their tasks, and the assignments of tasks to units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, distinct, func, select
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col

from storage.models import Assignment, Directive, Progress, Task, Unit


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An assignment with what a message about it must name."""

    assignment: Assignment
    task: Task
    directive: Directive
    unit: Unit


def create_directive(
    session: Session,
    *,
    kind: str,
    subject: str,
    owner_unit_id: int,
    created_by_person_id: int,
    now: datetime,
    number: str | None = None,
    issuer: str | None = None,
    source: DirectiveSource | None = None,
    is_draft: bool = False,
) -> Directive:
    directive = Directive(
        kind=kind,
        number=number,
        issuer=issuer,
        subject=subject,
        owner_unit_id=owner_unit_id,
        created_by_person_id=created_by_person_id,
        created_at=now,
        is_draft=is_draft,
    )
    if source is not None:
        directive.issue_date = source.issue_date
        directive.source_text = source.text
        directive.source_file = source.file
        directive.source_file_name = source.file_name
        directive.source_sha256 = source.sha256
    session.add(directive)
    session.flush()
    return directive


@dataclass(frozen=True, slots=True)
class DirectiveSource:
    """What an officer sent: the text read, the file when there was one, and its sha256
    (of the file's bytes, or of the pasted text), which recognises the same document twice."""

    text: str
    sha256: str
    file: bytes | None = None
    file_name: str | None = None
    issue_date: date | None = None


def get_directive(session: Session, *, directive_id: int) -> Directive | None:
    return session.get(Directive, directive_id)


def find_by_sha256(session: Session, *, sha256: str) -> Directive | None:
    """The directive (or draft) made from the document with this sha256, if any."""
    return session.scalars(select(Directive).where(col(Directive.source_sha256) == sha256)).first()


def delete_draft(session: Session, *, directive_id: int) -> None:
    """Forget a draft the officer cancelled or replaced; a confirmed directive is kept."""
    directive = session.get(Directive, directive_id)
    if directive is not None and directive.is_draft:
        session.delete(directive)
        session.flush()


def confirm_draft(session: Session, *, directive: Directive, now: datetime) -> None:
    """The officer confirmed the reading: the draft becomes a directive, dated now (the day
    its tasks were given, not the day the document arrived)."""
    directive.is_draft = False
    directive.created_at = now
    session.flush()


def set_header(
    session: Session,
    *,
    directive: Directive,
    kind: str,
    number: str | None,
    issuer: str | None,
    subject: str,
    issue_date: date | None,
) -> None:
    """The header as the officer confirmed it (fields they filled or corrected in the draft)."""
    directive.kind = kind
    directive.number = number
    directive.issuer = issuer
    directive.subject = subject
    directive.issue_date = issue_date
    session.flush()


def directive_extent(session: Session, *, directive_id: int) -> tuple[int, int]:
    """How many tasks a directive has and how many units were assigned any of them."""
    tasks = session.scalar(
        select(func.count()).select_from(Task).where(col(Task.directive_id) == directive_id)
    )
    units = session.scalar(
        select(func.count(distinct(col(Assignment.unit_id))))
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .where(col(Task.directive_id) == directive_id)
    )
    return int(tasks or 0), int(units or 0)


def add_task(
    session: Session,
    *,
    directive_id: int,
    item: int,
    text: str,
    deadline_at: datetime | None,
    deadline_text: str | None = None,
    deadline_rule: str | None = None,
) -> Task:
    task = Task(
        directive_id=directive_id,
        item=item,
        text=text,
        deadline_at=deadline_at,
        deadline_text=deadline_text,
        deadline_rule=deadline_rule,
    )
    session.add(task)
    session.flush()
    return task


def assign(
    session: Session, *, task_id: int, unit_ids: Iterable[int], now: datetime
) -> list[Assignment]:
    """One assignment per unit; a unit already assigned the task is left as it is."""
    existing = set(
        session.scalars(select(col(Assignment.unit_id)).where(col(Assignment.task_id) == task_id))
    )
    created = [
        Assignment(task_id=task_id, unit_id=unit_id, created_at=now)
        for unit_id in dict.fromkeys(unit_ids)
        if unit_id not in existing
    ]
    session.add_all(created)
    session.flush()
    return created


def views_query() -> Select[Assignment, Task, Directive, Unit]:
    """Assignments with what names them; the directive's document (its text and file, maybe
    megabytes) is not needed for that and left unread until something asks for it."""
    return (
        select(Assignment, Task, Directive, Unit)
        .join(Task, col(Task.id) == col(Assignment.task_id))
        .join(Directive, col(Directive.id) == col(Task.directive_id))
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .options(defer(_column(Directive.source_text)), defer(_column(Directive.source_file)))
    )


def open_assignments(session: Session, *, unit_ids: Sequence[int]) -> list[AssignmentView]:
    """Assignments of these units not yet reported done, the nearest deadline first."""
    if not unit_ids:
        return []
    rows = session.execute(_open_query(), {"unit_ids": list(unit_ids)}).all()
    return [AssignmentView(*row) for row in rows]


def assignments_numbered(
    session: Session, *, unit_ids: Sequence[int], number: int
) -> list[AssignmentView]:
    """The assignments of these units a chair's `mục 3` or `việc 12` may name, done or not:
    item `number` of a numbered document, or the officer's own task shown as «Việc số
    `number`» (a directive without a number, named by its id)."""
    if not unit_ids:
        return []
    rows = session.execute(_numbered_query(), {"unit_ids": list(unit_ids), "number": number}).all()
    return [AssignmentView(*row) for row in rows]


def assignments_in(session: Session, *, unit_ids: Sequence[int]) -> list[AssignmentView]:
    """Every assignment of these units, grouped by task (for summaries)."""
    if not unit_ids:
        return []
    rows = session.execute(_all_query(), {"unit_ids": list(unit_ids)}).all()
    return [AssignmentView(*row) for row in rows]


def _column(attribute: object) -> QueryableAttribute[Any]:
    assert isinstance(attribute, QueryableAttribute), "a mapped column"
    return attribute


# Built once (every chair's reply runs one of them), the units bound at execution.
@cache
def _open_query() -> Select[Assignment, Task, Directive, Unit]:
    return (
        views_query()
        .where(
            col(Assignment.unit_id).in_(bindparam("unit_ids", expanding=True)),
            col(Assignment.progress) != Progress.DONE,
        )
        .order_by(col(Task.deadline_at).asc().nulls_last(), col(Assignment.id))
    )


@cache
def _numbered_query() -> Select[Assignment, Task, Directive, Unit]:
    number = bindparam("number", type_=Integer)
    return (
        views_query()
        .where(
            col(Assignment.unit_id).in_(bindparam("unit_ids", expanding=True)),
            (col(Task.item) == number) & col(Directive.number).is_not(None)
            | (col(Directive.id) == number) & col(Directive.number).is_(None),
        )
        .order_by(col(Assignment.id))
    )


@cache
def _all_query() -> Select[Assignment, Task, Directive, Unit]:
    return (
        views_query()
        .where(col(Assignment.unit_id).in_(bindparam("unit_ids", expanding=True)))
        .order_by(col(Directive.id), col(Task.item), col(Unit.code))
    )
