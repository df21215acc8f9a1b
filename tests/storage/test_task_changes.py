"""Withdrawing an old ladder: a reminder a dispatcher claimed but has not started sending
is refused to it at the start (no stale reminder after a change), one already on its way is
left; the history says what was there before."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from schedules.reminders import plan_reminders
from storage import outbox, task_changes
from storage.engine import Database
from storage.models import OutboxMessage, OutboxState, Task
from storage.task_change_tables import ChangeKind, TaskState
from tests.conftest import VN
from tests.factories import build_branch, give_task

NOW = datetime(2026, 12, 7, 16, 58, tzinfo=VN)


def test_a_claimed_reminder_not_yet_started_is_withdrawn(db: Database) -> None:
    with db.session() as session:
        branch = build_branch(session, units=3, now=NOW - timedelta(days=20), officer_chat=None)
        task_id, _ = give_task(
            session,
            branch,
            deadline=datetime(2026, 12, 10, 17, tzinfo=VN),
            now=NOW - timedelta(days=20),
        )
        assert plan_reminders(session, now=NOW, zone=VN).rows == 3
    with db.session() as session:  # a dispatcher claims all three; one request starts
        claimed = outbox.claim_due(
            session,
            now=NOW + timedelta(minutes=2),
            worker="w",
            lease=timedelta(minutes=2),
            limit=10,
        )
        assert len(claimed) == 3
        first = claimed[0].id
        assert outbox.mark_started(
            session, message_ids=[first], worker="w", now=NOW + timedelta(minutes=2)
        ) == {first}
    with db.session() as session:  # the officer cancels the task
        task = session.get(Task, task_id)
        assert task is not None
        change = task_changes.draft(
            session, task_id=task_id, kind=ChangeKind.CANCEL, person_id=branch.officer_id,
            details={}, now=NOW,
        )  # fmt: skip
        touched = task_changes.apply(session, change=change, task=task, now=NOW)
        assert len(touched) == 3
    with db.session() as session:  # the other two are refused to the dispatcher
        others = [m.id for m in claimed[1:]]
        assert (
            outbox.mark_started(
                session, message_ids=others, worker="w", now=NOW + timedelta(minutes=3)
            )
            == set()
        )
        states = dict(session.execute(select(OutboxMessage.id, OutboxMessage.state)).all())
        assert states[first] == OutboxState.SENDING
        assert [states[i] for i in others] == [OutboxState.SKIPPED] * 2
        assert session.get_one(Task, task_id).state == TaskState.CANCELLED
        (kept,) = task_changes.history(session, task_id=task_id)
        assert kept.details["before"] == "open" and kept.confirmed_at is not None
