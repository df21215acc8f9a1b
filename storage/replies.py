"""Progress replies: every one kept, the latest one deciding the assignment's progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Insert, Select, Update, bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col

from storage.directives import AssignmentView, views_query
from storage.models import Assignment, Directive, Progress, Reply, Task, Unit


@dataclass(frozen=True, slots=True)
class ReplyFacts:
    """What an assignment's replies say beyond its progress: the reason of the latest reply
    when that one is blocked, and the latest figure reported for the task's indicator."""

    blocked_reason: str | None = None
    number: int | None = None


def record_reply(
    session: Session,
    *,
    assignment: Assignment,
    account_id: int,
    person_id: int,
    raw_text: str,
    progress: Progress,
    now: datetime,
    inbound_id: int | None = None,
    percent: int | None = None,
    number: int | None = None,
    note: str | None = None,
    attachment_file_id: str | None = None,
) -> int:
    """Keep the reply and make it the assignment's state; the new reply's id. An in-progress
    reply without a percent (`kết nạp 12`) keeps the percent reported before, so a figure does
    not erase it.

    Every chair's reply runs this: one INSERT and one UPDATE built once, and the assignment
    object is given the values written (it is not read back, nor flushed again)."""
    assert assignment.id is not None
    if progress == Progress.DONE:
        new_percent: int | None = 100
    elif percent is not None or progress != Progress.IN_PROGRESS:
        new_percent = percent
    elif assignment.progress != Progress.IN_PROGRESS:
        new_percent = None
    else:
        new_percent = assignment.percent
    values = {
        "progress": progress,
        "percent": new_percent,
        "last_reply_at": now,
        "done_at": now if progress == Progress.DONE else None,
    }
    session.flush()  # changes made to the assignment before go first (a no-op when none)
    connection = session.connection()
    reply_id = connection.execute(
        _insert_reply(),
        {
            "assignment_id": assignment.id,
            "account_id": account_id,
            "person_id": person_id,
            "inbound_id": inbound_id,
            "raw_text": raw_text,
            "progress": progress,
            "percent": percent,
            "number": number,
            "note": note,
            "attachment_file_id": attachment_file_id,
            "received_at": now,
        },
    ).scalar_one()
    connection.execute(
        _update_assignment(),
        {"target_id": assignment.id, **{f"new_{key}": value for key, value in values.items()}},
    )
    for key, value in values.items():
        set_committed_value(assignment, key, value)
    return int(reply_id)


@cache
def _insert_reply() -> Insert:
    table = SQLModel.metadata.tables[Reply.__tablename__]
    return insert(table).returning(table.c.id)


@cache
def _update_assignment() -> Update:
    table = SQLModel.metadata.tables[Assignment.__tablename__]
    return (
        update(table)
        .where(table.c.id == bindparam("target_id"))
        .values({key: bindparam(f"new_{key}") for key in _REPLY_DECIDES})
    )


_REPLY_DECIDES = ("progress", "percent", "last_reply_at", "done_at")


def assignment_view(session: Session, *, assignment_id: int) -> AssignmentView | None:
    """One assignment with its task, directive and unit (None when it does not exist)."""
    row = session.execute(_view_query(), {"view_assignment_id": assignment_id}).first()
    return AssignmentView(*row) if row is not None else None


@cache
def _view_query() -> Select[Assignment, Task, Directive, Unit]:
    # Built once: every press of a reminder's answer button runs it.
    return views_query().where(col(Assignment.id) == bindparam("view_assignment_id"))


def last_replied_assignment_id(
    session: Session, *, person_id: int, unit_ids: Sequence[int]
) -> int | None:
    """The assignment this person last replied about, among these units (for a correction)."""
    if not unit_ids:
        return None
    return session.scalar(
        select(col(Reply.assignment_id))
        .join(Assignment, col(Assignment.id) == col(Reply.assignment_id))
        .where(col(Reply.person_id) == person_id, col(Assignment.unit_id).in_(unit_ids))
        .order_by(col(Reply.received_at).desc(), col(Reply.id).desc())
        .limit(1)
    )


def replies_of(session: Session, *, assignment_id: int) -> list[Reply]:
    """The history of an assignment, oldest first."""
    return list(
        session.scalars(
            select(Reply)
            .where(col(Reply.assignment_id) == assignment_id)
            .order_by(col(Reply.received_at), col(Reply.id))
        )
    )


def reply_facts(session: Session, *, assignment_ids: Sequence[int]) -> dict[int, ReplyFacts]:
    """Per assignment with replies: the blocked reason and the latest indicator figure."""
    facts: dict[int, ReplyFacts] = {}
    ids = list(assignment_ids)
    for start in range(0, len(ids), 500):  # stay under the database's parameter limit
        rows = session.execute(
            select(
                col(Reply.assignment_id), col(Reply.progress), col(Reply.note), col(Reply.number)
            )
            .where(col(Reply.assignment_id).in_(ids[start : start + 500]))
            .order_by(col(Reply.assignment_id), col(Reply.received_at), col(Reply.id))
        ).all()
        for assignment_id, progress, note, number in rows:
            before = facts.get(assignment_id, ReplyFacts())
            facts[assignment_id] = ReplyFacts(
                blocked_reason=(note or "") if progress == Progress.BLOCKED else None,
                number=number if number is not None else before.number,
            )
    return facts
