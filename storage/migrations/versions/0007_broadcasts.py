"""broadcasts: a draft row, its state, the officer who gets the report, and per delivery
its unit and final outcome

Revision ID: 0007_broadcasts
Revises: 0005_outbox_without_row_checks
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007_broadcasts"
down_revision: str | None = "0006_outbox_parts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(name: str) -> sa.Column[object]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("officer_account_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "state",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="done",
            )
        )
        batch_op.add_column(sa.Column("units", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("no_account", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(_utc("sent_at"))
        batch_op.add_column(_utc("cancelled_at"))
        batch_op.add_column(_utc("finished_at"))
        batch_op.create_foreign_key(
            "broadcasts_officer_account_id_fkey",
            "channel_accounts",
            ["officer_account_id"],
            ["id"],
        )
    with op.batch_alter_table("broadcast_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.create_foreign_key(
            "broadcast_deliveries_unit_id_fkey", "units", ["unit_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_broadcast_deliveries_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("broadcast_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_deliveries_account_id"))
        batch_op.drop_constraint("broadcast_deliveries_unit_id_fkey", type_="foreignkey")
        batch_op.drop_column("outcome")
        batch_op.drop_column("unit_id")
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_constraint("broadcasts_officer_account_id_fkey", type_="foreignkey")
        for column in (
            "finished_at",
            "cancelled_at",
            "sent_at",
            "no_account",
            "units",
            "state",
            "officer_account_id",
        ):
            batch_op.drop_column(column)
