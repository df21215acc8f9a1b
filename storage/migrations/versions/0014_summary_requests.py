"""summary requests: `/tuantong` renders in the weekly process, not in a handler's turn

Revision ID: 0014_summary_requests
Revises: 0013_inbound_bot_id
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0014_summary_requests"
down_revision: str | None = "0013_inbound_bot_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "summary_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["channel_accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_summary_requests_person_id", "summary_requests", ["person_id"])
    op.create_index("ix_summary_requests_done_at", "summary_requests", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_summary_requests_done_at", table_name="summary_requests")
    op.drop_index("ix_summary_requests_person_id", table_name="summary_requests")
    op.drop_table("summary_requests")
