"""inbound messages keyed by the bot as well: (channel, bot_id, update_id)

Update ids are numbered per bot and restart with a new token or a new Bot API server; keyed
by (channel, update_id) alone, a database that outlives its bot took every new message for
one already handled. Rows stored before this revision keep an empty bot id: they stay valid
and unique, and only an update of the old bot re-delivered across the upgrade is not
recognised (it is handled once more).

Revision ID: 0013_inbound_bot_id
Revises: 0012_reply_number_bigint
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_inbound_bot_id"
down_revision: str | None = "0012_reply_number_bigint"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps unique constraints unnamed; batch mode names them by this convention.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
OLD_KEY = ("channel", "update_id")
NEW_KEY = ("channel", "bot_id", "update_id")


def upgrade() -> None:
    column = sa.Column("bot_id", sa.String(length=64), nullable=False, server_default="")
    if op.get_context().dialect.name == "postgresql":
        op.add_column("inbound_messages", column)
        op.drop_constraint(
            "inbound_messages_channel_update_id_key", "inbound_messages", type_="unique"
        )
        op.create_unique_constraint(
            "inbound_messages_channel_bot_id_update_id_key", "inbound_messages", list(NEW_KEY)
        )
        return
    with op.batch_alter_table(
        "inbound_messages", recreate="always", naming_convention=SQLITE_NAMES
    ) as batch_op:
        batch_op.add_column(column)
        batch_op.drop_constraint("uq_inbound_messages_channel_update_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_inbound_messages_channel_bot_id_update_id", list(NEW_KEY)
        )


def downgrade() -> None:
    """Back to (channel, update_id): only possible while no update id repeats across bots."""
    with op.batch_alter_table(
        "inbound_messages", recreate="auto", naming_convention=SQLITE_NAMES
    ) as batch_op:
        if op.get_context().dialect.name == "postgresql":
            batch_op.drop_constraint("inbound_messages_channel_bot_id_update_id_key", "unique")
            batch_op.create_unique_constraint("inbound_messages_channel_update_id_key", OLD_KEY)
        else:
            batch_op.drop_constraint("uq_inbound_messages_channel_bot_id_update_id", "unique")
            batch_op.create_unique_constraint("uq_inbound_messages_channel_update_id", OLD_KEY)
        batch_op.drop_column("bot_id")
