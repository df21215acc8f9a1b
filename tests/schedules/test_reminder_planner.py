"""The reminder planner against a real database (SQLite and PostgreSQL): which rows a pass
writes, when they are due, what they say, and what it leaves alone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from schedules.answer_buttons import answer_choices
from schedules.calendar import WorkingCalendar
from schedules.ladder import LadderConfig, plan_ladder
from schedules.reminders import HOW_TO_ANSWER, PlanResult, plan_reminders
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, OutboxState, Progress
from storage.outbox import skip_pending
from tests.conftest import VN
from tests.factories import Branch, build_branch, give_task

CALENDAR = WorkingCalendar(tz=VN)
CREATED = datetime(2026, 11, 20, 9, 0, tzinfo=VN)  # Friday
DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=VN)  # Thursday


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def plan(db: Database, now: datetime, **scope: list[int]) -> PlanResult:
    with db.session() as session:
        return plan_reminders(session, now=now, zone=VN, calendar=CALENDAR, **scope)


def rows(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        found = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        session.expunge_all()
        return found


def steps_of(messages: Iterable[OutboxMessage], assignment_id: int) -> list[str]:
    prefix = f"reminder:{assignment_id}:"
    return [m.key.removeprefix(prefix) for m in messages if m.key.startswith(prefix)]


def setup(
    db: Database,
    *,
    units: int = 3,
    unregistered: int = 0,
    deadline: datetime = DEADLINE,
    created: datetime = CREATED,
    ladder: dict[str, object] | None = None,
) -> tuple[Branch, int, list[int]]:
    with db.session() as session:
        branch = build_branch(session, units=units, now=created, unregistered=unregistered)
        task_id, assignment_ids = give_task(
            session, branch, deadline=deadline, now=created, ladder=ladder
        )
    return branch, task_id, assignment_ids


def set_progress(db: Database, assignment_id: int, progress: Progress, now: datetime) -> None:
    with db.session() as session:
        assignment = session.get(Assignment, assignment_id)
        assert assignment is not None
        assignment.progress = progress
        assignment.last_reply_at = now
        if progress == Progress.DONE:
            skip_pending(session, assignment_id=assignment_id, reason="reported done")


def test_each_step_goes_out_at_its_time_once_and_says_what_to_do(db: Database) -> None:
    _, _, assignment_ids = setup(db)
    first = assignment_ids[0]
    ladder = plan_ladder(deadline=DEADLINE, created_at=CREATED, calendar=CALENDAR)
    chair_steps = [step for step in ladder if step.audience == "chair"]
    assert [s.key for s in chair_steps] == [
        "before-7", "before-3", "before-last", "due", "late-1", "late-3", "late-7",
    ]  # fmt: skip

    assert not plan(db, CREATED)  # three weeks ahead: nothing yet
    for step in chair_steps:
        assert not plan(db, step.at - timedelta(minutes=20)), step.key  # not yet
        result = plan(db, step.at - timedelta(minutes=10))  # within the planning horizon
        assert result.rows == 3, step.key
        assert not plan(db, step.at - timedelta(minutes=5))  # idempotent
        assert not plan(db, step.at + timedelta(minutes=1))

    planned = rows(db)
    assert steps_of(planned, first) == [s.key for s in chair_steps]
    for message, step in zip(
        [m for m in planned if m.assignment_id == first], chair_steps, strict=True
    ):
        assert message.due_at == step.at  # on time, as the calendar put it
        assert message.choices == answer_choices(first)
        assert "CV 490/LĐLĐ, mục 3" in message.text
        assert "Báo cáo kết quả Tháng Công nhân năm 2026" in message.text
        assert "Đơn vị: CĐCS số 1" in message.text
        assert "Hạn: 10/12/2026" in message.text
        assert HOW_TO_ANSWER in message.text
        assert "gửi muộn" not in message.text
    texts = {m.key.split(":")[2]: m.text for m in planned if m.assignment_id == first}
    assert "(còn 7 ngày)" in texts["before-7"]
    assert "(hạn là hôm nay)" in texts["due"]
    assert "(đã quá hạn 1 ngày)" in texts["late-1"]
    assert texts["late-3"].startswith("⚠️ Nhắc việc quá hạn")
    for message in planned:
        local = message.due_at.astimezone(VN)
        assert CALENDAR.is_working_day(local.date()) and not CALENDAR.is_quiet(message.due_at)


def test_after_downtime_only_the_latest_step_goes_out_once_saying_it_is_late(
    db: Database,
) -> None:
    _, _, assignment_ids = setup(db, units=2)
    assert plan(db, at(3, 16, 55)).rows == 2  # before-7, due at 17:00, never dispatched
    # The bot is down from then until Thursday 10:00: before-3, before-last and due missed.
    result = plan(db, at(10, 10, 0))
    assert result.rows == 2
    planned = rows(db)
    for assignment_id in assignment_ids:
        assert steps_of(planned, assignment_id) == ["before-7", "due"]
    late = [m for m in planned if m.key.endswith(":due")]
    assert all(m.due_at == at(10, 10, 0) for m in late)
    assert all("Tin nhắc gửi muộn: lẽ ra đến anh/chị lúc 10/12/2026 07:30" in m.text for m in late)
    # The unsent older reminder is superseded rather than sent after the newer one.
    stale = [m for m in planned if m.key.endswith(":before-7")]
    assert {m.state for m in stale} == {OutboxState.SKIPPED}
    assert not plan(db, at(10, 10, 5))
    assert not plan(db, at(10, 16, 0))


def test_a_catch_up_found_at_night_waits_for_the_working_morning(db: Database) -> None:
    setup(db, units=1)
    assert plan(db, at(10, 22, 15)).rows == 1  # due (07:30) missed; now is quiet
    (message,) = rows(db)
    assert message.key.endswith(":due")
    assert message.due_at == at(11, 7, 30)
    assert "(đã quá hạn 1 ngày)" in message.text  # worded for when it will arrive


def test_a_deadline_closer_than_the_first_step_gets_the_steps_that_still_fit(
    db: Database,
) -> None:
    created = at(8, 10, 0)  # Tuesday, deadline Thursday 17:00: before-7 and before-3 are past
    _, _, assignment_ids = setup(db, units=1, created=created)
    result = plan(db, created, assignment_ids=assignment_ids)
    assert (result.rows, result.reachable) == (0, 1)
    for moment in (at(9, 7, 25), at(10, 7, 25), at(11, 7, 25)):
        plan(db, moment)
    assert steps_of(rows(db), assignment_ids[0]) == ["before-last", "due", "late-1"]


def test_a_deadline_later_the_same_day_is_reminded_at_once(db: Database) -> None:
    created = at(10, 10, 0)
    _, _, assignment_ids = setup(db, units=1, created=created)
    result = plan(db, created, assignment_ids=assignment_ids)
    assert result.rows == 1
    (message,) = rows(db)
    assert message.key == f"reminder:{assignment_ids[0]}:due"
    assert message.due_at == created
    assert "gửi muộn" not in message.text


def test_units_without_a_registered_chair_are_counted_not_planned(db: Database) -> None:
    branch, _, assignment_ids = setup(db, units=3, unregistered=1)
    result = plan(db, CREATED, assignment_ids=assignment_ids)
    assert result.reachable == 2
    assert plan(db, at(3, 16, 55)).rows == 2
    assert len(rows(db)) == 2
    # When the chair registers, a plan for that unit sends the current step, late.
    with db.session() as session:
        from storage.models import Appointment, ChannelAccount

        unit_id = branch.unit_ids[-1]
        chair = session.scalars(select(Appointment).where(Appointment.unit_id == unit_id)).one()
        session.add(
            ChannelAccount(
                channel="telegram",
                external_user_id="555",
                chat_id="555",
                person_id=chair.person_id,
                created_at=at(4, 9, 0),
                last_seen_at=at(4, 9, 0),
            )
        )
    assert plan(db, at(4, 9, 0), unit_ids=[unit_id]).rows == 1
    assert steps_of(rows(db), assignment_ids[-1]) == ["before-7"]


def test_a_unit_that_reported_done_gets_nothing_more(db: Database) -> None:
    _, _, assignment_ids = setup(db, units=2)
    assert plan(db, at(9, 7, 25)).rows == 2  # before-last, due at 07:30
    set_progress(db, assignment_ids[0], Progress.DONE, at(9, 7, 28))
    for moment in (at(10, 7, 25), at(11, 7, 25), at(14, 7, 25), at(18, 7, 25)):
        plan(db, moment)
    planned = rows(db)
    assert steps_of(planned, assignment_ids[0]) == ["before-last"]
    assert [m.state for m in planned if m.assignment_id == assignment_ids[0]] == [
        OutboxState.SKIPPED
    ]
    assert steps_of(planned, assignment_ids[1]) == [
        "before-last", "due", "late-1", "late-3", "late-7",
    ]  # fmt: skip


def test_a_blocked_unit_is_reminded_at_most_once_every_three_working_days(
    db: Database,
) -> None:
    daily = {"late_working_days": [1, 2, 3, 4, 5, 6, 7, 8], "escalate_after": None}
    _, _, (blocked, working) = setup(db, units=2, ladder=daily)
    set_progress(db, blocked, Progress.BLOCKED, at(10, 15, 0))  # «vướng: thiếu kinh phí»
    set_progress(db, working, Progress.IN_PROGRESS, at(10, 15, 0))
    config = LadderConfig.from_dict(daily)
    ladder = plan_ladder(deadline=DEADLINE, created_at=CREATED, calendar=CALENDAR, config=config)
    for step in ladder:
        if step.kind == "late":
            plan(db, step.at - timedelta(minutes=10))
    planned = rows(db)
    assert steps_of(planned, working) == [f"late-{n}" for n in range(1, 9)]  # nagged daily
    # Reported Thursday 10/12 15:00: left alone three working days, then every third one.
    assert steps_of(planned, blocked) == ["late-4", "late-7"]


def test_the_officer_hears_once_which_units_are_still_late(db: Database) -> None:
    _, task_id, assignment_ids = setup(db, units=4, unregistered=1)
    set_progress(db, assignment_ids[0], Progress.DONE, at(10, 9, 0))
    set_progress(db, assignment_ids[1], Progress.BLOCKED, at(10, 9, 0))
    ladder = plan_ladder(deadline=DEADLINE, created_at=CREATED, calendar=CALENDAR)
    escalate = next(step for step in ladder if step.audience == "officer")
    assert escalate.at == at(19, 7, 30)  # a working day after late-7 (Friday 18/12)
    assert plan(db, escalate.at - timedelta(minutes=10)).escalations == 1
    assert plan(db, escalate.at + timedelta(hours=1)).escalations == 0
    (message,) = [m for m in rows(db) if m.kind == "escalation"]
    assert message.key == f"escalation:{task_id}:escalate"
    assert message.due_at == escalate.at
    assert "CV 490/LĐLĐ, mục 3" in message.text
    assert "Còn 3 đơn vị chưa báo xong" in message.text
    assert "- CĐCS số 2: Vướng mắc" in message.text
    assert "- CĐCS số 3: Chưa báo cáo" in message.text
    assert "CĐCS số 1:" not in message.text
    assert "1 đơn vị chưa có chủ tịch đăng ký" in message.text


def test_no_escalation_when_every_unit_is_done(db: Database) -> None:
    _, _, assignment_ids = setup(db, units=2)
    for assignment_id in assignment_ids:
        set_progress(db, assignment_id, Progress.DONE, at(10, 9, 0))
    assert plan(db, at(31, 9, 0)) == PlanResult()
    assert rows(db) == []


@pytest.mark.parametrize("moment", [at(5, 23, 0), at(6, 10, 0), at(1, 9, 0, month=1, year=2027)])
def test_nothing_is_ever_due_at_night_or_on_a_day_off(db: Database, moment: datetime) -> None:
    """Missed steps found on a Saturday night, a Sunday or New Year's Day wait for work."""
    setup(db, units=1, deadline=at(4, 17, 0) if moment.month == 12 else DEADLINE)
    assert plan(db, moment)
    planned = rows(db)
    assert planned
    for message in planned:
        assert not CALENDAR.is_quiet(message.due_at)
        assert CALENDAR.is_working_day(message.due_at.astimezone(VN).date())
        assert message.due_at > moment


def test_an_officer_the_bot_cannot_reach_is_not_an_error(db: Database) -> None:
    with db.session() as session:
        branch = build_branch(session, units=2, now=CREATED, officer_chat=None)
        give_task(session, branch, deadline=DEADLINE, now=CREATED)
    result = plan(db, at(19, 9, 0))
    assert (result.rows, result.escalations) == (2, 0)  # the chairs' late-7, caught up
    assert {m.kind for m in rows(db)} == {"reminder"}
