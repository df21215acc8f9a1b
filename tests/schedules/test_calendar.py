"""The working calendar as a chair lives it: no messages at night, on Sunday or over Tết."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
SAT_OFF = WorkingCalendar(saturday_off=True)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# -- holidays and days off --------------------------------------------------------------


def test_tet_2025_is_off_from_27_01_to_01_02_and_work_resumes_on_03_02() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in days(date(2025, 1, 27), date(2025, 2, 1)))
    assert CALENDAR.is_working_day(date(2025, 1, 25))  # the Saturday before Tết
    assert not CALENDAR.is_working_day(date(2025, 2, 2))  # Sunday
    assert CALENDAR.is_working_day(date(2025, 2, 3))
    assert CALENDAR.add_working_days(date(2025, 1, 25), 1) == date(2025, 2, 3)
    assert CALENDAR.last_working_day_before(date(2025, 2, 3)) == date(2025, 1, 25)


def test_tet_2026_is_off_from_16_02_to_20_02() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in days(date(2026, 2, 16), date(2026, 2, 20)))
    assert CALENDAR.is_working_day(date(2026, 2, 14))  # Saturday before
    assert CALENDAR.is_working_day(date(2026, 2, 21))  # Saturday after, a working day by default
    assert not SAT_OFF.is_working_day(date(2026, 2, 21))
    assert SAT_OFF.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_30_04_and_01_05_2025_are_off_with_02_05_substituted_for_saturday_26_04() -> None:
    for off in (date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)):
        assert not CALENDAR.is_working_day(off)
    assert CALENDAR.is_working_day(date(2025, 4, 29))
    assert CALENDAR.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 3)  # Saturday works
    # Where Saturdays are off, Saturday 26/04/2025 is still worked: it pays for 02/05.
    assert SAT_OFF.is_working_day(date(2025, 4, 26))
    assert not SAT_OFF.is_working_day(date(2025, 5, 3))
    assert SAT_OFF.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_national_day_2_9_takes_its_adjacent_day_with_it() -> None:
    assert not CALENDAR.is_working_day(date(2025, 9, 1))  # Monday next to Tuesday 2/9
    assert not CALENDAR.is_working_day(date(2025, 9, 2))
    assert CALENDAR.is_working_day(date(2025, 8, 30))  # Saturday
    assert CALENDAR.is_working_day(date(2025, 9, 3))
    assert CALENDAR.add_working_days(date(2025, 8, 30), 1) == date(2025, 9, 3)
    # 2026: Wednesday 2/9 with Tuesday 1/9, and Monday 31/08 swapped for Saturday 22/08.
    assert not any(CALENDAR.is_working_day(d) for d in days(date(2026, 8, 30), date(2026, 9, 2)))
    assert SAT_OFF.is_working_day(date(2026, 8, 22))


def test_sunday_is_off_and_saturday_is_configurable() -> None:
    sunday, saturday = date(2025, 3, 9), date(2025, 3, 8)
    assert not CALENDAR.is_working_day(sunday)
    assert CALENDAR.is_working_day(saturday)
    assert not SAT_OFF.is_working_day(saturday)
    assert WorkingCalendar(sunday_off=False).is_working_day(sunday)
    assert CALENDAR.add_working_days(date(2025, 3, 7), 2) == date(2025, 3, 10)
    assert SAT_OFF.add_working_days(date(2025, 3, 7), 2) == date(2025, 3, 11)


def test_counting_working_days_backwards_and_between() -> None:
    assert CALENDAR.add_working_days(date(2025, 2, 4), -2) == date(2025, 1, 25)
    assert CALENDAR.add_working_days(date(2025, 1, 29), 0) == date(2025, 1, 29)
    # From Friday 24/01/2025 to Tuesday 04/02/2025: Sat 25/01, Mon 03/02, Tue 04/02.
    assert CALENDAR.working_days_between(date(2025, 1, 24), date(2025, 2, 4)) == 3
    assert CALENDAR.working_days_between(date(2025, 2, 4), date(2025, 1, 24)) == -3
    assert CALENDAR.working_days_between(date(2025, 1, 24), date(2025, 1, 24)) == 0


# -- quiet hours and the next sendable moment -------------------------------------------


def test_quiet_hours_run_from_21_00_to_07_00_local() -> None:
    assert CALENDAR.is_quiet(vn(2025, 3, 5, 21, 0))
    assert not CALENDAR.is_quiet(vn(2025, 3, 5, 20, 59))
    assert CALENDAR.is_quiet(vn(2025, 3, 5, 6, 59))
    assert not CALENDAR.is_quiet(vn(2025, 3, 5, 7, 0))
    # 14:00 UTC is 21:00 in Hà Nội.
    assert CALENDAR.is_quiet(datetime(2025, 3, 5, 14, 0, tzinfo=UTC))


def test_a_message_at_06_59_waits_for_07_30_the_same_working_day() -> None:
    assert CALENDAR.next_sendable(vn(2025, 3, 5, 6, 59)) == vn(2025, 3, 5, 7, 30)


def test_a_message_at_21_00_on_friday_goes_on_saturday_or_monday_morning() -> None:
    friday_night = vn(2025, 3, 7, 21, 0)
    assert CALENDAR.next_sendable(friday_night) == vn(2025, 3, 8, 7, 30)
    assert SAT_OFF.next_sendable(friday_night) == vn(2025, 3, 10, 7, 30)


def test_a_message_on_sunday_afternoon_waits_for_monday_morning() -> None:
    assert CALENDAR.next_sendable(vn(2025, 3, 9, 15, 0)) == vn(2025, 3, 10, 7, 30)


def test_a_message_at_23_00_on_the_eve_of_tet_goes_on_the_first_morning_after_tet() -> None:
    assert CALENDAR.next_sendable(vn(2025, 1, 28, 23, 0)) == vn(2025, 2, 3, 7, 30)
    assert CALENDAR.next_sendable(vn(2025, 1, 25, 23, 0)) == vn(2025, 2, 3, 7, 30)
    assert CALENDAR.next_sendable(vn(2026, 2, 16, 23, 0)) == vn(2026, 2, 21, 7, 30)
    assert SAT_OFF.next_sendable(vn(2026, 2, 16, 23, 0)) == vn(2026, 2, 23, 7, 30)


def test_a_moment_already_fine_is_kept_and_given_back_in_utc() -> None:
    moment = vn(2025, 3, 5, 14, 15)
    sendable = CALENDAR.next_sendable(moment)
    assert sendable == moment
    assert sendable.tzinfo is UTC


def test_morning_and_local_dates() -> None:
    assert CALENDAR.morning_of(date(2025, 2, 3)) == datetime(2025, 2, 3, 0, 30, tzinfo=UTC)
    # 18:00 UTC on 04/03 is already 01:00 on 05/03 in Việt Nam.
    late_utc = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)
    assert CALENDAR.local(late_utc) == vn(2025, 3, 5, 1, 0)
    assert CALENDAR.format_date(late_utc) == "05/03/2025"
    assert CALENDAR.format_date(date(2020, 12, 20)) == "20/12/2020"
    assert not CALENDAR.is_working_day(datetime(2025, 3, 8, 17, 30, tzinfo=UTC))  # Sunday 00:30


def test_other_quiet_hours_and_morning() -> None:
    calendar = WorkingCalendar(quiet_start=time(20, 0), quiet_end=time(8, 0), morning=time(8, 0))
    assert calendar.is_quiet(vn(2025, 3, 5, 7, 45))
    assert calendar.next_sendable(vn(2025, 3, 5, 20, 0)) == vn(2025, 3, 6, 8, 0)
    with pytest.raises(ValueError, match="morning"):
        WorkingCalendar(morning=time(6, 30))


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2025, 3, 5, 10, 0)  # noqa: DTZ001 - the point of the test
    for call in (
        CALENDAR.is_quiet,
        CALENDAR.next_sendable,
        CALENDAR.local,
        CALENDAR.format_date,
        CALENDAR.is_working_day,
        CALENDAR.morning_of,
    ):
        with pytest.raises(ValueError, match="naive"):
            call(naive)


# -- properties -------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2027, 12, 31, 23, 59),  # noqa: DTZ001
    timezones=st.just(VN),
)


@settings(max_examples=200, deadline=None)
@given(moment=moments, saturday_off=st.booleans())
def test_next_sendable_never_lands_at_night_or_on_a_day_off(
    moment: datetime, saturday_off: bool
) -> None:
    calendar = SAT_OFF if saturday_off else CALENDAR
    sendable = calendar.next_sendable(moment)
    assert sendable >= moment
    assert not calendar.is_quiet(sendable)
    assert calendar.is_working_day(sendable)
    assert calendar.next_sendable(sendable) == sendable
    if sendable != moment:
        assert calendar.local(sendable).time() == time(7, 30)
        assert sendable - moment < timedelta(days=12)  # Tết is the longest break


@settings(max_examples=200, deadline=None)
@given(start=moments, n=st.integers(min_value=-30, max_value=30))
def test_counting_working_days_there_and_back(start: datetime, n: int) -> None:
    day = start.date()
    target = CALENDAR.add_working_days(day, n)
    if n:
        assert CALENDAR.is_working_day(target)
    assert CALENDAR.working_days_between(day, target) == n
    if CALENDAR.is_working_day(day):
        assert CALENDAR.add_working_days(target, -n) == day
