"""webhooks: the shared sending pace of all bot processes, and published files

Several processes behind one HTTPS address share the platform's sending rate (send_pace)
and serve the files any of them published (public_files).

Revision ID: 0010_webhooks
Revises: 0009_weekly_summary
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0010_webhooks"
down_revision: str | None = "0009_weekly_summary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("next_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )
    op.create_table(
        "public_files",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index("ix_public_files_expires_at", "public_files", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_public_files_expires_at", table_name="public_files")
    op.drop_table("public_files")
    op.drop_table("send_pace")
