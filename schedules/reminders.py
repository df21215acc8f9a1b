"""Planning reminders: from open assignments' deadlines to outbox rows, set-based.

The ladder (`schedules.ladder`) says when each step of a task's reminders falls; it is
computed once per task (and creation moment of its assignments) in Python. Each step
that is due now, or within `PLAN_AHEAD`, then becomes one UPDATE and one INSERT … SELECT
over all of that task's open assignments (`storage.reminders.plan_step`): the cost of a
pass grows with the number of tasks, not with the number of units, and only the rows
about to be sent ever exist. See docs/reminders.md for the rules in people's terms.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.answer_buttons import answer_choices
from schedules.calendar import WorkingCalendar
from schedules.ladder import DEFAULT, LadderConfig, LadderStep, plan_ladder
from schedules.pass_down_rule import officer_choices
from schedules.wording import (
    PROGRESS_LABELS,
    days_left_phrase,
    format_date,
    format_moment,
    indicator_line,
    shorten,
    task_label,
)
from storage.models import Directive, Progress, Task
from storage.outbox import PlannedMessage, enqueue
from storage.reminders import (
    LateUnits,
    StepRows,
    TaskGroup,
    count_reachable,
    late_units,
    open_task_groups,
    outbox_key_exists,
    person_account_id,
    plan_step,
    planned_steps,
    prepare_bulk_planning,
    record_step,
    skip_done_reminders,
    supersede_reminders,
)

log = logging.getLogger(__name__)

# Steps falling within this much of now are written to the outbox now, due at their own
# time, so the dispatcher sends them on time whatever the planning interval.
PLAN_AHEAD = timedelta(minutes=15)
# A step found this long after its time was missed (the bot was down, or the chair just
# registered): it goes out at the next sendable moment and says it is late.
LATE_AFTER = timedelta(minutes=30)
# A unit whose latest report is «vướng mắc» gets at most one reminder per this many
# working days, counted from its report or its last reminder, whichever is later.
BLOCKED_PAUSE_WORKING_DAYS = 3
# Units named in an escalation; the rest are counted.
ESCALATION_NAMES = 30

HOW_TO_ANSWER = (
    "Anh/chị trả lời ngắn: «xong», «đang làm 60%» hoặc «vướng: lý do» "
    "(hoặc gõ số: 1 = xong, 2 60 = đang làm 60%, 3 lý do = vướng mắc)."
)

_ID_MARK = 918273645  # stands for the assignment id in the buttons' JSON template


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What one planning call did. True when it put new rows in the outbox."""

    rows: int = 0
    escalations: int = 0
    reachable: int = 0  # open assignments in scope whose chair the bot can write to

    def __bool__(self) -> bool:
        return self.rows + self.escalations > 0


@lru_cache(maxsize=8)
def default_calendar(zone: ZoneInfo) -> WorkingCalendar:
    """The default working calendar of a zone, built once (it caches its holidays)."""
    return WorkingCalendar(tz=zone)


def ladder_config(directive: Directive) -> LadderConfig:
    """The directive's own ladder, or the default when it has none or a broken one."""
    if not directive.reminder_config:
        return DEFAULT
    try:
        return LadderConfig.from_dict(directive.reminder_config)
    except (TypeError, ValueError) as error:
        log.warning("directive %s: ladder config ignored (%s)", directive.id, error)
        return DEFAULT


def plan_reminders(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    assignment_ids: Sequence[int] | None = None,
    unit_ids: Sequence[int] | None = None,
    calendar: WorkingCalendar | None = None,
) -> PlanResult:
    """Plan what is due now (or soon) for these assignments or units: handlers call it right
    after creating assignments or registering a chair, the periodic pass without a scope.

    Idempotent: a step is planned once per assignment whoever runs this again.
    """
    calendar = calendar or default_calendar(zone)
    scoped = assignment_ids is not None or unit_ids is not None
    if not scoped:
        prepare_bulk_planning(session)
        skipped = skip_done_reminders(session, due_before=now + PLAN_AHEAD)
        if skipped:
            log.info("planner: %s pending reminders of done assignments skipped", skipped)
    groups = open_task_groups(session, assignment_ids=assignment_ids, unit_ids=unit_ids)
    # The full pass skips the steps it already wrote for a group; a scoped call (new
    # assignments, a chair who just registered) always writes for its few rows.
    done: dict[tuple[int, datetime, int], datetime] | None = (
        None
        if scoped
        else planned_steps(session, task_ids=sorted({_task_id(g.task) for g in groups}))
    )
    rows = 0
    for group in groups:
        rows += _plan_group(
            session,
            group=group,
            now=now,
            calendar=calendar,
            latest_planned=None
            if done is None
            else done.get((_task_id(group.task), group.created_at, group.revision)),
            record=done is not None,
            assignment_ids=assignment_ids,
            unit_ids=unit_ids,
        )
    escalations = 0
    if not scoped:
        earliest: dict[int, TaskGroup] = {}
        for group in groups:
            earliest.setdefault(_task_id(group.task), group)
        for group in earliest.values():
            escalations += _plan_escalation(session, group=group, now=now, calendar=calendar)
    reachable = (
        count_reachable(session, assignment_ids=assignment_ids, unit_ids=unit_ids) if scoped else 0
    )
    return PlanResult(rows=rows, escalations=escalations, reachable=reachable)


def steps_to_plan(steps: Sequence[LadderStep], *, now: datetime) -> list[LadderStep]:
    """The chair steps a pass at `now` materialises: those due within `PLAN_AHEAD`, or
    else the latest one already due (the catch-up rule: a newer step supersedes every
    older one, so after downtime only the latest goes out, and none goes out minutes
    before a newer one)."""
    chair = [step for step in steps if step.audience == "chair"]
    ahead = [step for step in chair if now < step.at <= now + PLAN_AHEAD]
    return ahead or [step for step in chair if step.at <= now][-1:]


def _plan_group(
    session: Session,
    *,
    group: TaskGroup,
    now: datetime,
    calendar: WorkingCalendar,
    latest_planned: datetime | None,
    record: bool,
    assignment_ids: Sequence[int] | None,
    unit_ids: Sequence[int] | None,
) -> int:
    task, directive = group.task, group.directive
    steps = _ladder(group, calendar)
    planned = 0
    for step in steps_to_plan(steps, now=now):
        if latest_planned is not None and step.at <= latest_planned:
            continue  # written by an earlier pass, or older than what it wrote
        late = step.at < now - LATE_AFTER
        due_at = step.at if step.at > now else calendar.next_sendable(now)
        head, tail = chair_text_parts(
            directive,
            task,
            step=step,
            due_at=due_at,
            late=late,
            calendar=calendar,
            deadline=group.deadline,
        )
        key = group.step_key(step.key)
        new = plan_step(
            session,
            rows=StepRows(
                task_id=_task_id(task),
                created_at=group.created_at,
                step_key=key,
                revision=group.revision,
                step_at=step.at,
                due_at=due_at,
                text_head=head,
                text_tail=tail,
                choices_parts=_choices_parts(),
                officer_choices_parts=_officer_choices_parts(),
                blocked_quiet_since=_blocked_quiet_since(step.at, calendar),
            ),
            now=now,
            assignment_ids=assignment_ids,
            unit_ids=unit_ids,
        )
        if new:
            log.info("task %s: step %s planned for %s assignments", task.id, key, new)
            superseded = supersede_reminders(
                session, task_id=_task_id(task), before=step.at, keep=key
            )
            if superseded:
                log.info("task %s: %s older reminders superseded", task.id, superseded)
        if record:
            record_step(
                session,
                task_id=_task_id(task),
                created_at=group.created_at,
                step=key,
                step_at=step.at,
                now=now,
            )
        planned += new
    return planned


def _ladder(group: TaskGroup, calendar: WorkingCalendar) -> list[LadderStep]:
    """The ladder of a task's assignments given (or last changed) at the same moment."""
    assert group.deadline is not None
    return plan_ladder(
        deadline=group.deadline,
        created_at=group.ladder_start,
        calendar=calendar,
        config=ladder_config(group.directive),
    )


def _plan_escalation(
    session: Session, *, group: TaskGroup, now: datetime, calendar: WorkingCalendar
) -> int:
    """One message to the officer who owns the directive, once the ladder is over and
    units are still late."""
    task, directive = group.task, group.directive
    steps = _ladder(group, calendar)
    step = next((s for s in steps if s.audience == "officer"), None)
    if step is None or step.at > now + PLAN_AHEAD:
        return 0
    key = f"escalation:{task.id}:{group.step_key(step.key)}"
    if outbox_key_exists(session, key=key):
        return 0
    account_id = person_account_id(session, person_id=directive.created_by_person_id)
    if account_id is None:
        log.info("task %s: escalation due but the officer has no reachable account", task.id)
        return 0
    late = late_units(
        session, task_id=_task_id(task), limit=ESCALATION_NAMES, deadline=group.deadline
    )
    if late.total == 0:
        return 0
    due_at = step.at if step.at > now else calendar.next_sendable(now)
    return enqueue(
        session,
        messages=[
            PlannedMessage(
                key=key,
                account_id=account_id,
                kind="escalation",
                text=escalation_text(directive, task, late=late, due_at=due_at, calendar=calendar),
                due_at=due_at,
            )
        ],
        now=now,
    )


def chair_text_parts(
    directive: Directive,
    task: Task,
    *,
    step: LadderStep,
    due_at: datetime,
    late: bool,
    calendar: WorkingCalendar,
    deadline: datetime | None = None,
) -> tuple[str, str]:
    """The reminder's text around the unit's name (which the database fills in); `deadline`
    is the units' own when it was extended for them."""
    deadline = deadline or task.deadline_at
    assert deadline is not None
    zone = calendar.tz
    title = "⚠️ Nhắc việc quá hạn" if step.kind == "late" else "🔔 Nhắc việc"
    head = f"{title} — {task_label(directive, task)}\nĐơn vị: "
    lines = [
        "",
        f"Nội dung: {shorten(task.text)}",
        f"Hạn: {format_date(deadline, zone)} ({days_left_phrase(deadline, due_at, zone)})",
    ]
    if late:
        lines.append(f"(Tin nhắc gửi muộn: lẽ ra đến anh/chị lúc {format_moment(step.at, zone)}.)")
    lines.append(f"{indicator_line(task)}{HOW_TO_ANSWER}")
    return head, "\n".join(lines)


def escalation_text(
    directive: Directive,
    task: Task,
    *,
    late: LateUnits,
    due_at: datetime,
    calendar: WorkingCalendar,
) -> str:
    """For the officer: which units are still late, and how many the bot cannot reach."""
    assert task.deadline_at is not None
    zone = calendar.tz
    lines = [
        f"⚠️ Đơn vị chưa hoàn thành — {task_label(directive, task)}",
        f"Nội dung: {shorten(task.text)}",
        f"Hạn: {format_date(task.deadline_at, zone)} "
        f"({days_left_phrase(task.deadline_at, due_at, zone)})",
        f"Còn {late.total} đơn vị chưa báo xong:",
    ]
    lines += [
        f"- {name}: {PROGRESS_LABELS.get(Progress(progress), progress)}"
        for name, progress in late.listed
    ]
    if late.total > len(late.listed):
        lines.append(f"… và {late.total - len(late.listed)} đơn vị khác.")
    if late.without_chair:
        lines.append(
            f"Trong đó {late.without_chair} đơn vị chưa có chủ tịch đăng ký với bot "
            "(hoặc đã chặn bot) nên bot không nhắc được."
        )
    lines.append("Gõ /tonghop để xem tổng hợp.")
    return "\n".join(lines)


def _blocked_quiet_since(step_at: datetime, calendar: WorkingCalendar) -> datetime:
    """The same local time `BLOCKED_PAUSE_WORKING_DAYS` working days before the step."""
    local = calendar.local(step_at)
    day = calendar.add_working_days(local.date(), -BLOCKED_PAUSE_WORKING_DAYS)
    return datetime.combine(day, local.time(), tzinfo=calendar.tz).astimezone(UTC)


@lru_cache(maxsize=1)
def _choices_parts() -> tuple[str, ...]:
    """The answer buttons' JSON, cut where the assignment id goes."""
    return tuple(json.dumps(answer_choices(_ID_MARK), ensure_ascii=False).split(str(_ID_MARK)))


@lru_cache(maxsize=1)
def _officer_choices_parts() -> tuple[str, ...]:
    """The buttons of an officer's copy (with «giao xuống»), cut the same way."""
    return tuple(json.dumps(officer_choices(_ID_MARK), ensure_ascii=False).split(str(_ID_MARK)))


def _task_id(task: Task) -> int:
    assert task.id is not None
    return task.id
