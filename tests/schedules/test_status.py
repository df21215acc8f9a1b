"""The status vocabulary officers report with, decided by one pure function."""

from __future__ import annotations

from datetime import datetime

import pytest

from schedules.status import STATUS_ORDER, Status, assignment_status
from storage.models import Progress
from tests.conftest import VN

DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=VN)
BEFORE = datetime(2026, 12, 9, 9, 0, tzinfo=VN)
AFTER = datetime(2026, 12, 11, 9, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("progress", "done_at", "deadline", "now", "expected"),
    [
        (Progress.DONE, BEFORE, DEADLINE, AFTER, Status.DONE_ON_TIME),
        (Progress.DONE, DEADLINE, DEADLINE, AFTER, Status.DONE_ON_TIME),  # at the deadline
        (Progress.DONE, AFTER, DEADLINE, AFTER, Status.DONE_LATE),
        (Progress.DONE, AFTER, None, AFTER, Status.DONE_ON_TIME),  # no deadline, never late
        (Progress.IN_PROGRESS, None, DEADLINE, BEFORE, Status.IN_PROGRESS),
        (Progress.NOT_STARTED, None, DEADLINE, BEFORE, Status.IN_PROGRESS),
        (Progress.IN_PROGRESS, None, DEADLINE, AFTER, Status.OVERDUE),
        (Progress.NOT_STARTED, None, DEADLINE, AFTER, Status.OVERDUE),
        (Progress.OPEN, None, DEADLINE, BEFORE, Status.NO_REPORT),
        (Progress.OPEN, None, DEADLINE, AFTER, Status.OVERDUE),
        (Progress.OPEN, None, None, AFTER, Status.NO_REPORT),
        (Progress.IN_PROGRESS, None, None, AFTER, Status.IN_PROGRESS),
        (Progress.BLOCKED, None, DEADLINE, BEFORE, Status.BLOCKED),
        (Progress.BLOCKED, None, DEADLINE, AFTER, Status.BLOCKED),
    ],
)
def test_assignment_status(
    progress: Progress,
    done_at: datetime | None,
    deadline: datetime | None,
    now: datetime,
    expected: Status,
) -> None:
    assert assignment_status(progress=progress, done_at=done_at, deadline=deadline, now=now) == (
        expected
    )


def test_the_officers_words() -> None:
    assert [status.label for status in STATUS_ORDER] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện (trong hạn)",
        "Vướng mắc",
        "Quá hạn chưa hoàn thành",
        "Chưa báo cáo",
    ]
