"""outbox without foreign keys on account_id and assignment_id

The planner writes a step's reminders for a whole country in one INSERT … SELECT that joins
the accounts and assignments it names; checking each new row's keys again cost a third of
the pass on PostgreSQL. Accounts and assignments are never deleted.

Revision ID: 0005_outbox_without_row_checks
Revises: 0004_reminder_ladder
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_outbox_without_row_checks"
down_revision: str | None = "0004_reminder_ladder"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps foreign keys unnamed; batch mode names them by this convention to drop them.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
DROPPED = (("account_id", "channel_accounts"), ("assignment_id", "assignments"))


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for column, _ in DROPPED:
            op.drop_constraint(f"outbox_{column}_fkey", "outbox", type_="foreignkey")
        return
    with op.batch_alter_table(
        "outbox", recreate="always", naming_convention=SQLITE_NAMES
    ) as batch_op:
        for column, referred in DROPPED:
            batch_op.drop_constraint(f"fk_outbox_{column}_{referred}", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        for column, referred in DROPPED:
            batch_op.create_foreign_key(f"outbox_{column}_fkey", referred, [column], ["id"])
