"""The history of tasks that changed (`storage.task_changes`): beside the domain's tables,
imported by `storage.models` so that every table is on `SQLModel.metadata`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import utc_field


class TaskState(StrEnum):
    """Where a task stands: open until its officer cancels or closes it."""

    OPEN = "open"
    CANCELLED = "cancelled"  # withdrawn: gone from /viec, reminders and summaries
    CLOSED = "closed"  # ended: no more reminders; the summaries keep what was reported


class ChangeKind(StrEnum):
    TEXT = "text"  # the task's wording
    DEADLINE = "deadline"  # the deadline of every unit
    EXTEND = "extend"  # a later deadline for some units
    CANCEL = "cancel"
    CLOSE = "close"


class TaskChange(SQLModel, table=True):
    """One change an officer asked for: a draft while the preview waits for the officer's
    confirmation, then history (who changed what, when). `details` holds what the change
    is (`text`, `deadline`, `unit_ids`) and, once applied, what was there before."""

    __tablename__ = "task_changes"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    kind: str = Field(max_length=20)
    person_id: int = Field(foreign_key="people.id")
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_field()
    confirmed_at: datetime | None = utc_field(nullable=True)
    dropped_at: datetime | None = utc_field(nullable=True)  # the officer said no
