"""weekly summary: an officer may turn the pushed weekly summary off

Revision ID: 0009_weekly_summary
Revises: 0008_outbox_files
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_weekly_summary"
down_revision: str | None = "0008_outbox_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("weekly_summary_off", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("weekly_summary_off")
