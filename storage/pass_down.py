"""A task passed down the tree: the new assignments linked to the one they came from, and the
children's progress read back for both levels (docs/passing-down.md).

A district officer passes their unit's assignment on to units of their own branch: the
district becomes the owner of a copy of the directive's header (same kind, number and
subject, so the units below read `CV 490/LĐLĐ, mục 1` as the district did) with one task,
the same text with its own deadline, and one assignment per unit, each naming the parent
assignment in `parent_assignment_id`. The parent's progress is then read from its children.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.directives import AssignmentView, add_task, create_directive
from storage.models import Assignment, Progress
from storage.replies import reply_facts

# The task's `deadline_rule` when it was passed down: the deadline was set by the officer.
PASSED_DOWN_RULE = "passed-down"


@dataclass(frozen=True, slots=True)
class ChildrenProgress:
    """What the units below made of a passed-down assignment: «8/12 CĐCS xong»."""

    total: int
    done: int
    indicator_sum: int  # the latest figures the children reported, summed
    indicator_reported: int  # children that reported a figure


def pass_down(
    session: Session,
    *,
    parent: AssignmentView,
    unit_ids: Sequence[int],
    deadline_at: datetime,
    person_id: int,
    now: datetime,
) -> list[Assignment]:
    """Give the parent's task to these units with their own deadline, linked to the
    parent; units already given it from this parent are left as they are."""
    assert parent.assignment.id is not None and parent.unit.id is not None
    already = set(child_unit_ids(session, parent_assignment_id=parent.assignment.id))
    wanted = [unit_id for unit_id in dict.fromkeys(unit_ids) if unit_id not in already]
    if not wanted:
        return []
    source = parent.directive
    directive = create_directive(
        session,
        kind=source.kind,
        subject=source.subject,
        owner_unit_id=parent.unit.id,
        created_by_person_id=person_id,
        now=now,
        number=source.number,
        issuer=source.issuer,
    )
    directive.issue_date = source.issue_date
    directive.reminder_config = source.reminder_config
    assert directive.id is not None
    task = add_task(
        session,
        directive_id=directive.id,
        item=parent.task.item,
        text=parent.task.text,
        deadline_at=deadline_at,
        deadline_rule=PASSED_DOWN_RULE,
    )
    task.indicator_name = parent.task.indicator_name
    task.indicator_unit = parent.task.indicator_unit
    assert task.id is not None
    created = [
        Assignment(
            task_id=task.id,
            unit_id=unit_id,
            created_at=now,
            parent_assignment_id=parent.assignment.id,
        )
        for unit_id in wanted
    ]
    session.add_all(created)
    session.flush()
    return created


def child_unit_ids(session: Session, *, parent_assignment_id: int) -> list[int]:
    """The units a parent assignment was passed down to."""
    return list(
        session.scalars(
            select(col(Assignment.unit_id)).where(
                col(Assignment.parent_assignment_id) == parent_assignment_id
            )
        )
    )


def children_progress(
    session: Session,
    *,
    parent_ids: Iterable[int] | None = None,
    task_ids: Iterable[int] | None = None,
) -> dict[int, ChildrenProgress]:
    """Per parent assignment that was passed down — among `parent_ids`, or among the
    assignments of `task_ids` (one query however many; a summary asks this way) —: its
    children counted, done ones apart, and their latest indicator figures summed."""
    parent = aliased(Assignment)
    query = select(
        col(Assignment.parent_assignment_id), col(Assignment.id), col(Assignment.progress)
    )
    if task_ids is not None:
        tasks = list(task_ids)
        if not tasks:
            return {}
        query = query.join(parent, col(parent.id) == col(Assignment.parent_assignment_id)).where(
            col(parent.task_id).in_(tasks)
        )
        found = list(session.execute(query).all())
    else:
        ids = list(dict.fromkeys(parent_ids or ()))
        found = []
        for start in range(0, len(ids), 500):  # stay under the database's parameter limit
            found += session.execute(
                query.where(col(Assignment.parent_assignment_id).in_(ids[start : start + 500]))
            ).all()
    children: dict[int, list[tuple[int, str]]] = {}
    for parent_id, child_id, progress in found:
        if parent_id is not None and child_id is not None:
            children.setdefault(parent_id, []).append((child_id, progress))
    facts = reply_facts(
        session, assignment_ids=[child for rows in children.values() for child, _ in rows]
    )
    result = {}
    for parent_id, rows in children.items():
        figures = [facts[child].number for child, _ in rows if child in facts]
        numbers = [number for number in figures if number is not None]
        result[parent_id] = ChildrenProgress(
            total=len(rows),
            done=sum(1 for _, progress in rows if progress == Progress.DONE),
            indicator_sum=sum(numbers),
            indicator_reported=len(numbers),
        )
    return result
