"""task changes: a task's state, a unit's own deadline, and the history of changes

An officer changes a task's text or deadline, extends it for some units, cancels or closes
it (storage/task_changes.py). The task gets a state; an assignment its own deadline when
extended, the revision of the change that re-planned its reminders and when that was; and
`task_changes` keeps each change, first as the draft the officer confirms.

Revision ID: 0016_task_changes
Revises: 0015_outbox_outcomes
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0016_task_changes"
down_revision: str | None = "0015_outbox_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=20), nullable=False, server_default="open")
        )
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("deadline_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("replanned_at", UTCDateTime(), nullable=True))
    op.create_table(
        "task_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("dropped_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_task_changes_task_id", "task_changes", ["task_id"])


def downgrade() -> None:
    op.drop_index("ix_task_changes_task_id", table_name="task_changes")
    op.drop_table("task_changes")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("replanned_at")
        batch.drop_column("revision")
        batch.drop_column("deadline_at")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("state")
