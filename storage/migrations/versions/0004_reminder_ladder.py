"""reminder ladder: the steps the planning pass has written to the outbox

Revision ID: 0004_reminder_ladder
Revises: 0003_registration
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004_reminder_ladder"
down_revision: str | None = "0003_registration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column(
            "assignments_created_at", storage.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("step_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("planned_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "assignments_created_at", "step"),
    )
    with op.batch_alter_table("reminder_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_steps_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_steps_task_id"))
    op.drop_table("reminder_steps")
