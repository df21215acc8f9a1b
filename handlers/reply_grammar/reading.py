"""What a reading of a reply line is: the status a chair reports, and everything else read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schedules.progress_labels import PROGRESS_LABELS

MAX_REPLY_CHARS = 1000
# A line not read is never stored, so this label is the grammar's own (see `ReplyStatus.label`).
UNREAD_LABEL = "Chưa rõ"
COURTESY_RULE = "courtesy"


class ReplyStatus(StrEnum):
    """A unit's state for one task, as the chair reports it."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """The words chairs and officers read for this status, the same as for a stored one."""
        if self is ReplyStatus.UNKNOWN:
            return UNREAD_LABEL
        return PROGRESS_LABELS[self]


@dataclass(frozen=True, slots=True)
class ReplyReading:
    """What one line says. `status` is unknown exactly when `error` is set."""

    status: ReplyStatus
    percent: int | None = None
    number: int | None = None
    of_target: int | None = None  # `8/10 chỉ tiêu`: `number` is 8 of this target
    note: str | None = None
    task_item: int | None = None
    document_number: str | None = None
    error: str | None = None
    rule: str = ""

    @property
    def is_confident(self) -> bool:
        """True when the reading may be stored as the unit's status."""
        return self.error is None and self.status is not ReplyStatus.UNKNOWN

    @property
    def is_courtesy(self) -> bool:
        """`cảm ơn`, `ok`, `dạ vâng`: nothing to store, and `error` is a polite answer."""
        return self.rule == COURTESY_RULE
