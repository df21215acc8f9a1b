"""reply number bigint: a reported figure may be money in đồng, over 2,147,483,647

`thu 3 tỷ` is 3,000,000,000 đồng, which a PostgreSQL INTEGER cannot hold ("integer out of
range" ended the turn with the generic apology). SQLite's INTEGER already holds 64 bits, so
there the column is left as it is.

Revision ID: 0012_reply_number_bigint
Revises: 0011_broadcast_files
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_reply_number_bigint"
down_revision: str | None = "0011_broadcast_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("replies", "number", type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("replies", "number", type_=sa.Integer(), existing_type=sa.BigInteger())
