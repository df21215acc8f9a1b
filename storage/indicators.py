"""A task's numeric indicator (chỉ tiêu): finding the task an officer names, and setting it."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Assignment, Directive, OutboxMessage, OutboxState, Task


def tasks_by_reference(
    session: Session, *, directive_id: int | None = None, number: str | None = None, item: int = 1
) -> list[tuple[Task, Directive]]:
    """Tasks named `Việc số {directive_id}` (an officer's own task) or `{number} mục {item}`
    (the number compared without case, e.g. `490/lđlđ`)."""
    query = (
        select(Task, Directive)
        .join(Directive, col(Directive.id) == col(Task.directive_id))
        .where(col(Directive.is_draft).is_(False))  # a /giaoviec not confirmed yet
    )
    if directive_id is not None:
        query = query.where(col(Directive.id) == directive_id, col(Directive.number).is_(None))
    else:
        assert number is not None
        query = query.where(col(Directive.number).is_not(None), col(Task.item) == item)
    rows = [(task, directive) for task, directive in session.execute(query).all()]
    if number is not None:
        wanted = number.casefold()
        rows = [row for row in rows if (row[1].number or "").casefold() == wanted]
    return rows


def set_indicator(session: Session, *, task: Task, name: str | None, unit: str | None) -> None:
    """Give the task an indicator (or remove it with `name=None`)."""
    task.indicator_name = name
    task.indicator_unit = unit if name else None
    session.flush()


def rewrite_pending_reminders(session: Session, *, task_id: int, line: str, marker: str) -> int:
    """Reminders planned before the indicator was set carry their text already: put `line`
    (or nothing, when empty) where a line starting with `marker` was, else before the last
    line (how to answer). Returns how many reminders changed."""
    rows = session.scalars(
        select(OutboxMessage)
        .join(Assignment, col(Assignment.id) == col(OutboxMessage.assignment_id))
        .where(
            col(Assignment.task_id) == task_id,
            col(OutboxMessage.state) == OutboxState.PENDING,
            col(OutboxMessage.kind) == "reminder",
        )
    ).all()
    for row in rows:
        lines = [kept for kept in row.text.split("\n") if not kept.startswith(marker)]
        if line:
            lines.insert(max(len(lines) - 1, 0), line)
        row.text = "\n".join(lines)
    session.flush()
    return len(rows)
