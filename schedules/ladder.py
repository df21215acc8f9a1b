"""The reminder ladder: when each reminder of an assignment goes out, and which one after downtime.

Pure time logic only. The outbox keys its rows `reminder:{assignment}:{step.key}`, so a
step's key depends on the ladder configuration alone, never on the clock or on when the
assignment was created: re-planning the same assignment yields the same keys and adds
no rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Literal, get_args

from schedules.calendar import WorkingCalendar

__all__ = [
    "DEFAULT",
    "Audience",
    "LadderConfig",
    "LadderStep",
    "StepKind",
    "catch_up",
    "plan_ladder",
]

StepKind = Literal["before", "due", "late", "escalate"]
Audience = Literal["chair", "officer"]

_KINDS: frozenset[str] = frozenset(get_args(StepKind))


def _positive_days(name: str, value: object, *, descending: bool) -> tuple[int, ...]:
    """Validate a list of day offsets and put it in ladder order, duplicates removed."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be a list of whole days, got {value!r}")
    days: set[int] = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 1:
            raise ValueError(f"{name} must hold whole days >= 1, got {item!r}")
        days.add(item)
    return tuple(sorted(days, reverse=descending))


@dataclass(frozen=True)
class LadderConfig:
    """Which reminders an assignment gets; a directive may carry its own.

    - `before_days`: calendar days before the deadline (kept largest first).
    - `before_last_working_day`: one more on the morning of the last working day before
      the deadline's day.
    - `on_due_day`: the morning reminder of the deadline's day.
    - `late_working_days`: working days after the deadline's day (kept smallest first).
    - `escalate_after`: working days after the last configured late step (after the
      deadline's day when there is none) for the one message to the officer; None for
      no escalation.
    """

    before_days: tuple[int, ...] = (7, 3)
    before_last_working_day: bool = True
    on_due_day: bool = True
    late_working_days: tuple[int, ...] = (1, 3, 7)
    escalate_after: int | None = 1

    def __post_init__(self) -> None:
        # Normalise here so that two configs meaning the same ladder compare equal.
        object.__setattr__(
            self, "before_days", _positive_days("before_days", self.before_days, descending=True)
        )
        object.__setattr__(
            self,
            "late_working_days",
            _positive_days("late_working_days", self.late_working_days, descending=False),
        )
        for name in ("before_last_working_day", "on_due_day"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, got {getattr(self, name)!r}")
        escalate = self.escalate_after
        if escalate is not None and (
            isinstance(escalate, bool) or not isinstance(escalate, int) or escalate < 1
        ):
            raise ValueError(f"escalate_after must be whole days >= 1 or null, got {escalate!r}")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LadderConfig:
        """Build from a directive's small JSON-like dict; missing keys keep the defaults.

        Unknown keys are refused: a misspelt option silently ignored would be a ladder the
        officer did not ask for.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown ladder options: {', '.join(unknown)}")
        return cls(**data)  # type: ignore[arg-type]  # checked in __post_init__

    def to_dict(self) -> dict[str, object]:
        """The JSON-friendly form that `from_dict` reads back."""
        return {
            "before_days": list(self.before_days),
            "before_last_working_day": self.before_last_working_day,
            "on_due_day": self.on_due_day,
            "late_working_days": list(self.late_working_days),
            "escalate_after": self.escalate_after,
        }


DEFAULT = LadderConfig()


@dataclass(frozen=True)
class LadderStep:
    """One planned message: `key` names it in the outbox, `at` is when (aware, UTC)."""

    key: str
    at: datetime
    kind: StepKind

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown step kind {self.kind!r}")
        if self.at.tzinfo is None:
            raise ValueError("naive datetime: a step time must be timezone-aware")

    @property
    def audience(self) -> Audience:
        """Who reads it: the unit's chair, or the officer who owns the directive."""
        return "officer" if self.kind == "escalate" else "chair"


def plan_ladder(
    *,
    deadline: datetime,
    created_at: datetime,
    calendar: WorkingCalendar,
    config: LadderConfig = DEFAULT,
) -> list[LadderStep]:
    """The reminders of one assignment still to come, in time order (ties in ladder order).

    Times, with D the deadline's local date and "morning" the calendar's working morning:

    - `before-N`: the deadline minus N calendar days, then `calendar.next_sendable`.
    - `before-last`: the morning of the last working day before D.
    - `due`: the morning of D when D is a working day and the deadline is after the
      morning; otherwise the morning of the last working day before D.
    - `late-N`: the morning of the N-th working day after D.
    - `escalate`: `escalate_after` working days after the day of the last configured
      late step (after D when there is none), in the morning.

    Every time then goes through `calendar.next_sendable`. A "before" step that lands at
    or after the deadline, or at or after the `due` step, is dropped (a "days left"
    message after the "due today" one would confuse). Chair steps that land on the same
    moment keep only the later one in the ladder (before-7, before-3, before-last, due,
    late-…); the escalation goes to the officer and never displaces a chair step. Keys
    and times so far depend only on the deadline, the calendar and the config.

    Then against `created_at`:

    - a step strictly before `created_at` is skipped;
    - except that when the deadline is still ahead and no "before"/`due` step is left,
      the latest skipped one of them (usually `due`) is kept, moved to
      `calendar.next_sendable(created_at)`, provided that is still before the deadline:
      an assignment created on the deadline's day at 10:00 for 17:00 gets its `due`
      reminder at once rather than nothing until it is late;
    - a deadline already past at creation thus gets only the late steps still ahead and
      the escalation if it is still ahead. Nothing is re-timed after the deadline: a
      unit handed a task already late is chased by the late steps, and the officer who
      created it knowingly is not escalated to at once.
    """
    _require_aware(deadline, "deadline")
    _require_aware(created_at, "created_at")
    ladder = _full_ladder(deadline=deadline, calendar=calendar, config=config)

    order = {step.key: index for index, step in enumerate(ladder)}

    def in_time(step: LadderStep) -> tuple[datetime, int]:
        return (step.at, order[step.key])

    kept = [step for step in ladder if step.at >= created_at]
    pre_deadline = ("before", "due")
    if deadline > created_at and not any(step.kind in pre_deadline for step in kept):
        skipped = [step for step in ladder if step.kind in pre_deadline and step.at < created_at]
        when = calendar.next_sendable(created_at)
        if skipped and when < deadline:
            latest = max(skipped, key=in_time)
            kept.append(LadderStep(key=latest.key, at=when, kind=latest.kind))
    return sorted(kept, key=in_time)


def catch_up(
    steps: Sequence[LadderStep],
    *,
    now: datetime,
    already_sent: Collection[str],
    audience: Audience = "chair",
) -> LadderStep | None:
    """After downtime, the one step of `audience` to send now, or None.

    Among that audience's steps due at `now` (at <= now), only the latest counts: it is
    returned unless its key is in `already_sent`; every earlier due step is to be skipped,
    sent or not, since a newer reminder supersedes it. Call it once with "chair" and once
    with "officer": the escalation is caught up independently of the chair's reminders.
    The caller sends the result at `calendar.next_sendable(now)` and words it as late
    when `step.at < now`.
    """
    _require_aware(now, "now")
    latest: LadderStep | None = None
    for step in steps:
        if step.audience != audience or step.at > now:
            continue
        if latest is None or step.at >= latest.at:
            latest = step
    if latest is None or latest.key in already_sent:
        return None
    return latest


def _full_ladder(
    *, deadline: datetime, calendar: WorkingCalendar, config: LadderConfig
) -> list[LadderStep]:
    """Every step of the config for this deadline, in ladder order, before any created_at filter."""
    local_deadline = calendar.local(deadline)
    deadline_day = local_deadline.date()
    morning = calendar.next_sendable

    due_day = deadline_day
    if not calendar.is_working_day(due_day) or local_deadline.time() <= calendar.morning:
        due_day = calendar.last_working_day_before(deadline_day)
    due_at = morning(calendar.morning_of(due_day))

    chair: list[LadderStep] = []
    for days in config.before_days:
        at = morning(_days_earlier(local_deadline, days, calendar))
        chair.append(LadderStep(key=f"before-{days}", at=at, kind="before"))
    if config.before_last_working_day:
        at = morning(calendar.morning_of(calendar.last_working_day_before(deadline_day)))
        chair.append(LadderStep(key="before-last", at=at, kind="before"))
    if config.on_due_day:
        chair.append(LadderStep(key="due", at=due_at, kind="due"))

    before_limit = min(deadline, due_at) if config.on_due_day else deadline
    chair = [step for step in chair if step.kind != "before" or step.at < before_limit]

    for days in config.late_working_days:
        at = morning(calendar.morning_of(calendar.add_working_days(deadline_day, days)))
        chair.append(LadderStep(key=f"late-{days}", at=at, kind="late"))

    # Same moment: the later step in the ladder wins (it carries the fresher wording).
    taken: set[datetime] = set()
    ladder: list[LadderStep] = []
    for step in reversed(chair):
        if step.at not in taken:
            taken.add(step.at)
            ladder.append(step)
    ladder.reverse()

    if config.escalate_after is not None:
        last_late = config.late_working_days[-1] if config.late_working_days else 0
        base = calendar.add_working_days(deadline_day, last_late)
        at = morning(calendar.morning_of(calendar.add_working_days(base, config.escalate_after)))
        ladder.append(LadderStep(key="escalate", at=at, kind="escalate"))
    return ladder


def _days_earlier(local_moment: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    """The same local wall-clock time `days` calendar days earlier (safe across offset changes)."""
    earlier = local_moment.date() - timedelta(days=days)
    return datetime.combine(earlier, local_moment.time(), tzinfo=calendar.tz)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime for {name}: pass a timezone-aware moment")
