"""An assignment's status in the words officers report with, from its progress and dates.

One pure function decides it, so the summary, `/viec` and any report agree:

- done by the deadline (or with no deadline): hoàn thành đúng hạn; done after: quá hạn;
- blocked: vướng mắc, whatever the date (the officer must act on the reason);
- otherwise, past the deadline: quá hạn chưa hoàn thành;
- otherwise, never replied: chưa báo cáo; replied (in progress, or not started yet):
  đang thực hiện (trong hạn).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from schedules.progress_labels import PROGRESS_LABELS
from storage.models import Progress


class Status(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    NO_REPORT = "no_report"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        """The officer's words for this status."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Status.DONE_LATE: "Hoàn thành quá hạn",
    Status.IN_PROGRESS: "Đang thực hiện (trong hạn)",
    Status.OVERDUE: "Quá hạn chưa hoàn thành",
    Status.NO_REPORT: PROGRESS_LABELS[Progress.OPEN],
    Status.BLOCKED: PROGRESS_LABELS[Progress.BLOCKED],
}
# The order statuses are counted and listed in.
STATUS_ORDER = (
    Status.DONE_ON_TIME,
    Status.DONE_LATE,
    Status.IN_PROGRESS,
    Status.BLOCKED,
    Status.OVERDUE,
    Status.NO_REPORT,
)


def assignment_status(
    *, progress: str, done_at: datetime | None, deadline: datetime | None, now: datetime
) -> Status:
    """The status of one assignment at `now` (see the module's rules)."""
    if progress == Progress.DONE:
        if deadline is None or done_at is None or done_at <= deadline:
            return Status.DONE_ON_TIME
        return Status.DONE_LATE
    if progress == Progress.BLOCKED:
        return Status.BLOCKED
    if deadline is not None and now > deadline:
        return Status.OVERDUE
    if progress == Progress.OPEN:
        return Status.NO_REPORT
    return Status.IN_PROGRESS
