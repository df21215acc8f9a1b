"""outbox outcomes: when the send request of a claimed row started

The dispatcher writes it just before the request goes to the platform, and each outcome as
it happens; a row still "sending" with this set after its worker died is "in doubt": the
platform may have taken it, so sending it again may give a second copy. The dispatcher
counts those at start-up and when it takes them over (docs/reliability.md).

Revision ID: 0015_outbox_outcomes
Revises: 0014_summary_requests
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0015_outbox_outcomes"
down_revision: str | None = "0014_summary_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sending_started_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("sending_started_at")
