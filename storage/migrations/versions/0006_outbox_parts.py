"""outbox parts: how many parts of a long message the platform has accepted

A text longer than the platform's limit goes out in numbered parts; a retry after part k
must not send parts 1..k again, so the row remembers how far it got.

Revision ID: 0006_outbox_parts
Revises: 0005_outbox_without_row_checks
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_outbox_parts"
down_revision: str | None = "0005_outbox_without_row_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("parts_sent")
