"""Passing a task down: the button under an officer's task notice, and the deadline proposed
for the units below (pure logic; docs/passing-down.md).

The deadline the units below get is proposed `LEAD_WORKING_DAYS` working days before the
unit's own, so that the unit has time to gather their answers and report up; the proposal is
shown with this rule, and the officer may type another date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from schedules.answer_buttons import answer_choices
from schedules.button_prefixes import ButtonPrefix
from schedules.calendar import WorkingCalendar
from schedules.numbers import parse_id

GIVE_DOWN_PREFIX = ButtonPrefix.GIVE_DOWN
GIVE_DOWN_LABEL = "⬇️ Giao xuống đơn vị trực thuộc"
# Working days the unit keeps for itself between its children's deadline and its own.
LEAD_WORKING_DAYS = 3


class PassDownAction:
    START = "s"  # the button under the task notice: `pd:s:{assignment}`
    CONFIRM = "ok"  # `pd:ok:{assignment}`
    CANCEL = "no"  # `pd:no:{assignment}`


ACTIONS = (PassDownAction.START, PassDownAction.CONFIRM, PassDownAction.CANCEL)


@dataclass(frozen=True, slots=True)
class ProposedDeadline:
    """The children's deadline proposed for a unit's deadline, with the rule in words."""

    day: date
    rule: str


def pass_down_data(action: str, assignment_id: int) -> str:
    return f"{GIVE_DOWN_PREFIX}:{action}:{assignment_id}"


def read_pass_down_data(rest: str) -> tuple[str, int] | None:
    """(action, assignment id) from the data after `pd:`; None for anything malformed."""
    action, _, number = rest.partition(":")
    assignment_id = parse_id(number)
    if action not in ACTIONS or assignment_id is None:
        return None
    return action, assignment_id


def officer_choices(assignment_id: int) -> list[list[dict[str, str]]]:
    """The buttons under an officer's copy of a task notice: the answer row, and «giao
    xuống» (on Zalo, numbered choices like the others)."""
    passing = {
        "label": GIVE_DOWN_LABEL,
        "data": pass_down_data(PassDownAction.START, assignment_id),
    }
    return [*answer_choices(assignment_id), [passing]]


def propose_deadline(
    own_deadline: datetime, calendar: WorkingCalendar, *, today: date
) -> ProposedDeadline:
    """`LEAD_WORKING_DAYS` working days before the unit's own deadline, never before the
    next working day (a task passed down late leaves the units below at least a day)."""
    own_day = calendar.local(own_deadline).date()
    day = calendar.add_working_days(own_day, -LEAD_WORKING_DAYS)
    rule = f"{LEAD_WORKING_DAYS} ngày làm việc trước hạn của đơn vị ({own_day:%d/%m/%Y})"
    floor = calendar.add_working_days(today, 1)
    if day < floor:
        day = min(floor, own_day)
        rule = f"hạn của đơn vị còn gần ({own_day:%d/%m/%Y}): ngày làm việc kế tiếp"
    return ProposedDeadline(day, rule)
