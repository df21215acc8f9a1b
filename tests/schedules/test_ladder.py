"""The reminder ladder as a chair and an officer see it: which reminders come, and when."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.calendar import WorkingCalendar
from schedules.ladder import DEFAULT, LadderConfig, LadderStep, catch_up, plan_ladder

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
SAT_OFF = WorkingCalendar(saturday_off=True)
DEFAULT_KEYS = ["before-7", "before-3", "before-last", "due", "late-1", "late-3", "late-7"]


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def schedule(steps: list[LadderStep]) -> list[tuple[str, str]]:
    """The ladder as an officer would read it: key and local time."""
    return [(s.key, s.at.astimezone(VN).strftime("%d/%m/%Y %H:%M")) for s in steps]


def plan(deadline: datetime, created_at: datetime, **kwargs: object) -> list[LadderStep]:
    calendar = kwargs.pop("calendar", CALENDAR)
    assert isinstance(calendar, WorkingCalendar)
    config = kwargs.pop("config", DEFAULT)
    assert isinstance(config, LadderConfig)
    return plan_ladder(deadline=deadline, created_at=created_at, calendar=calendar, config=config)


# Thursday 18/12/2025 at 17:00, handed out on Monday 01/12.
DEADLINE = vn(2025, 12, 18, 17, 0)
FAR_AHEAD = [
    ("before-7", "11/12/2025 17:00"),
    ("before-3", "15/12/2025 17:00"),
    ("before-last", "17/12/2025 07:30"),
    ("due", "18/12/2025 07:30"),
    ("late-1", "19/12/2025 07:30"),
    ("late-3", "22/12/2025 07:30"),  # Fri 19, Sat 20, (Sunday), Mon 22
    ("late-7", "26/12/2025 07:30"),
    ("escalate", "27/12/2025 07:30"),
]


def test_default_ladder_for_a_deadline_far_ahead() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 1, 9, 0))
    assert schedule(steps) == FAR_AHEAD
    assert [s.kind for s in steps] == ["before"] * 3 + ["due"] + ["late"] * 3 + ["escalate"]
    assert [s.audience for s in steps] == ["chair"] * 7 + ["officer"]


def test_with_saturdays_off_the_overdue_steps_skip_saturdays() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 1, 9, 0), calendar=SAT_OFF)
    assert schedule(steps)[-4:] == [
        ("late-1", "19/12/2025 07:30"),
        ("late-3", "23/12/2025 07:30"),
        ("late-7", "29/12/2025 07:30"),
        ("escalate", "30/12/2025 07:30"),
    ]


def test_a_deadline_in_tet_is_reminded_before_the_break_and_chased_after_it() -> None:
    # Thursday 30/01/2025 is the 2nd day of Tết. The "before-3" moment (Mon 27/01) falls
    # in Tết, would move past the deadline and is dropped; "before-last" (Sat 25/01)
    # collapses into "due", which is the last working morning before the holiday.
    steps = plan(vn(2025, 1, 30, 17, 0), vn(2025, 1, 2, 9, 0))
    assert schedule(steps) == [
        ("before-7", "23/01/2025 17:00"),
        ("due", "25/01/2025 07:30"),
        ("late-1", "03/02/2025 07:30"),
        ("late-3", "05/02/2025 07:30"),
        ("late-7", "10/02/2025 07:30"),
        ("escalate", "11/02/2025 07:30"),
    ]


def test_a_deadline_on_national_day_is_due_the_saturday_before() -> None:
    # Tuesday 02/09/2025 (with Monday 01/09 off too). before-3 is Saturday 30/08 17:00,
    # after that morning's "due" reminder, so it is dropped rather than sent out of order.
    steps = plan(vn(2025, 9, 2, 17, 0), vn(2025, 8, 1, 9, 0))
    assert schedule(steps) == [
        ("before-7", "26/08/2025 17:00"),
        ("due", "30/08/2025 07:30"),
        ("late-1", "03/09/2025 07:30"),
        ("late-3", "05/09/2025 07:30"),
        ("late-7", "10/09/2025 07:30"),
        ("escalate", "11/09/2025 07:30"),
    ]


def test_a_deadline_2_days_ahead_gets_the_steps_that_still_fit() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 16, 10, 0))
    assert schedule(steps) == FAR_AHEAD[2:]


def test_a_deadline_later_the_same_day_gets_its_due_reminder_at_once() -> None:
    created = vn(2025, 12, 18, 10, 0)
    steps = plan(DEADLINE, created)
    assert schedule(steps) == [("due", "18/12/2025 10:00"), *FAR_AHEAD[4:]]


def test_a_task_handed_out_at_night_for_the_next_morning_has_no_time_for_a_reminder() -> None:
    # Created 22:00, deadline 08:00 next day: the first sendable moment (07:30) is before
    # the deadline, so the chair hears about it at 07:30.
    steps = plan(vn(2025, 12, 18, 8, 0), vn(2025, 12, 17, 22, 0))
    assert schedule(steps)[0] == ("due", "18/12/2025 07:30")
    # Deadline 07:15: 07:30 is already too late, the ladder starts with the late steps.
    steps = plan(vn(2025, 12, 18, 7, 15), vn(2025, 12, 17, 22, 0))
    assert schedule(steps)[0] == ("late-1", "19/12/2025 07:30")


def test_a_deadline_already_past_gets_only_the_overdue_steps_still_ahead() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 23, 10, 0))
    assert schedule(steps) == FAR_AHEAD[-2:]
    # Long past: nothing left for anyone, the weekly summary shows the unit as late.
    assert plan(DEADLINE, vn(2026, 1, 15, 10, 0)) == []


def test_a_deadline_at_17_00_is_due_that_morning_one_at_07_00_the_working_day_before() -> None:
    evening = plan(vn(2025, 12, 18, 17, 0), vn(2025, 12, 1))
    early = plan(vn(2025, 12, 18, 7, 0), vn(2025, 12, 1))
    at_morning = plan(vn(2025, 12, 18, 7, 30), vn(2025, 12, 1))
    assert dict(schedule(evening))["due"] == "18/12/2025 07:30"
    assert dict(schedule(early))["due"] == "17/12/2025 07:30"
    assert dict(schedule(at_morning))["due"] == "17/12/2025 07:30"
    # The 07:00 deadline's last-working-day reminder is the due reminder itself; its
    # before-N reminders keep the deadline's hour, 07:00 being just out of quiet hours.
    assert schedule(early)[:3] == [
        ("before-7", "11/12/2025 07:00"),
        ("before-3", "15/12/2025 07:00"),
        ("due", "17/12/2025 07:30"),
    ]
    night = plan(vn(2025, 12, 18, 6, 0), vn(2025, 12, 1))
    assert schedule(night)[0] == ("before-7", "11/12/2025 07:30")
    # The overdue count starts from the deadline's day either way.
    assert dict(schedule(early))["late-1"] == "19/12/2025 07:30"


def test_a_deadline_after_tet_2026_gets_no_reminder_during_the_holiday() -> None:
    # Monday 23/02/2026 at 07:00: due the Saturday before; before-7 (16/02) and before-3
    # (20/02) fall in Tết and would land on that same Saturday, so only "due" stays.
    steps = plan(vn(2026, 2, 23, 7, 0), vn(2026, 2, 1))
    assert schedule(steps)[:2] == [("due", "21/02/2026 07:30"), ("late-1", "24/02/2026 07:30")]


def test_steps_that_land_together_keep_the_later_one() -> None:
    # Saturdays off: before-3 of a Tuesday 17:00 deadline is Saturday 17:00, moved to
    # Monday 07:30, where before-last already is: only before-last remains.
    steps = plan(vn(2025, 12, 16, 17, 0), vn(2025, 12, 1), calendar=SAT_OFF)
    assert schedule(steps)[:3] == [
        ("before-7", "09/12/2025 17:00"),
        ("before-last", "15/12/2025 07:30"),
        ("due", "16/12/2025 07:30"),
    ]


# -- configuration ----------------------------------------------------------------------


def test_a_directive_can_carry_its_own_ladder() -> None:
    config = LadderConfig.from_dict(
        {
            "before_days": [3, 10],
            "before_last_working_day": False,
            "late_working_days": [2],
            "escalate_after": 2,
        }
    )
    assert config.before_days == (10, 3)
    steps = plan(DEADLINE, vn(2025, 12, 1), config=config)
    assert schedule(steps) == [
        ("before-10", "08/12/2025 17:00"),
        ("before-3", "15/12/2025 17:00"),
        ("due", "18/12/2025 07:30"),
        ("late-2", "20/12/2025 07:30"),
        ("escalate", "23/12/2025 07:30"),
    ]
    assert LadderConfig.from_dict(config.to_dict()) == config


def test_a_partial_dict_keeps_the_defaults_and_null_turns_escalation_off() -> None:
    assert LadderConfig.from_dict({}) == DEFAULT
    quiet_officer = LadderConfig.from_dict({"escalate_after": None})
    keys = [s.key for s in plan(DEADLINE, vn(2025, 12, 1), config=quiet_officer)]
    assert keys == DEFAULT_KEYS
    no_overdue = LadderConfig.from_dict({"late_working_days": []})
    steps = plan(DEADLINE, vn(2025, 12, 1), config=no_overdue)
    assert schedule(steps)[-2:] == [("due", "18/12/2025 07:30"), ("escalate", "19/12/2025 07:30")]


@pytest.mark.parametrize(
    "bad",
    [
        {"before_day": [7]},
        {"before_days": [0]},
        {"before_days": [-3]},
        {"before_days": "7"},
        {"late_working_days": [True]},
        {"on_due_day": "yes"},
        {"escalate_after": 0},
    ],
)
def test_a_malformed_ladder_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        LadderConfig.from_dict(bad)


def test_keys_depend_only_on_the_config() -> None:
    full = plan(DEADLINE, vn(2025, 12, 1))
    assert [s.key for s in full] == [*DEFAULT_KEYS, "escalate"]
    assert plan(DEADLINE, vn(2025, 12, 1)) == full  # re-planning adds nothing new
    for created in (vn(2025, 12, 12), vn(2025, 12, 16, 10), vn(2025, 12, 18, 10), vn(2025, 12, 20)):
        later = plan(DEADLINE, created)
        assert {s.key for s in later} <= {s.key for s in full}


# -- no step at night or on a day off, whatever the dates -------------------------------

deadlines = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2027, 12, 31, 23, 59),  # noqa: DTZ001
    timezones=st.just(VN),
)


@settings(max_examples=300, deadline=None)
@given(
    deadline=deadlines,
    created_minutes_before=st.integers(min_value=-20 * 24 * 60, max_value=40 * 24 * 60),
    saturday_off=st.booleans(),
)
def test_no_step_in_quiet_hours_or_on_a_day_off(
    deadline: datetime, created_minutes_before: int, saturday_off: bool
) -> None:
    calendar = SAT_OFF if saturday_off else CALENDAR
    created = deadline - timedelta(minutes=created_minutes_before)
    steps = plan(deadline, created, calendar=calendar)
    for step in steps:
        assert not calendar.is_quiet(step.at), step
        assert calendar.is_working_day(step.at), step
        assert step.at >= created, step
        if step.kind in ("before", "due"):
            assert step.at < deadline, step
        else:
            assert step.at > deadline, step
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    keys = [s.key for s in steps]
    assert len(keys) == len(set(keys))
    assert set(keys) <= {s.key for s in plan(deadline, deadline - timedelta(days=60))}
    if deadline > created and calendar.next_sendable(created) < deadline:
        assert any(s.kind in ("before", "due") for s in steps)  # never silent before it


configs = st.builds(
    LadderConfig,
    before_days=st.lists(st.integers(min_value=1, max_value=20), max_size=4).map(tuple),
    before_last_working_day=st.booleans(),
    on_due_day=st.booleans(),
    late_working_days=st.lists(st.integers(min_value=1, max_value=15), max_size=4).map(tuple),
    escalate_after=st.none() | st.integers(min_value=1, max_value=5),
)


@settings(max_examples=150, deadline=None)
@given(
    deadline=deadlines,
    created_minutes_before=st.integers(min_value=-20 * 24 * 60, max_value=40 * 24 * 60),
    config=configs,
)
def test_any_directive_ladder_stays_in_working_hours_and_in_order(
    deadline: datetime, created_minutes_before: int, config: LadderConfig
) -> None:
    created = deadline - timedelta(minutes=created_minutes_before)
    steps = plan(deadline, created, config=config)
    for step in steps:
        assert not CALENDAR.is_quiet(step.at), step
        assert CALENDAR.is_working_day(step.at), step
        assert (step.at < deadline) == (step.kind in ("before", "due")), step
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    assert len({s.key for s in steps}) == len(steps)
    chair_moments = [s.at for s in steps if s.audience == "chair"]
    assert len(set(chair_moments)) == len(chair_moments)


# -- after downtime ---------------------------------------------------------------------


def test_after_downtime_only_the_latest_missed_reminder_goes_out() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 1))
    # The bot was down from 10/12 to 23/12: before-7 … late-3 all fell due.
    now = vn(2025, 12, 23, 9, 0)
    picked = catch_up(steps, now=now, already_sent=set())
    assert picked is not None
    assert (picked.key, picked.at < now) == ("late-3", True)
    assert catch_up(steps, now=now, already_sent={"before-7", "late-3"}) is None


def test_a_stale_missed_reminder_is_not_sent_after_a_newer_one() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 1))
    assert catch_up(steps, now=vn(2025, 12, 19, 8), already_sent={"late-1"}) is None
    assert catch_up(steps, now=vn(2025, 12, 1), already_sent=set()) is None


def test_the_escalation_is_caught_up_apart_from_the_chair_reminders() -> None:
    steps = plan(DEADLINE, vn(2025, 12, 1))
    now = vn(2026, 1, 5, 9, 0)
    chair = catch_up(steps, now=now, already_sent={"late-7"})
    officer = catch_up(steps, now=now, already_sent={"late-7"}, audience="officer")
    assert chair is None
    assert officer is not None
    assert officer.key == "escalate"
    assert catch_up(steps, now=now, already_sent={"escalate"}, audience="officer") is None
    before_escalation = vn(2025, 12, 26, 9, 0)
    assert catch_up(steps, now=before_escalation, already_sent=(), audience="officer") is None


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2025, 12, 18, 17, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="naive"):
        plan(naive, vn(2025, 12, 1))
    with pytest.raises(ValueError, match="naive"):
        plan(DEADLINE, naive)
    with pytest.raises(ValueError, match="naive"):
        catch_up([], now=naive, already_sent=())
