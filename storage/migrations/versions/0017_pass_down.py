"""pass down: assignments linked to the assignment they were passed down from; the same
document taken in once per issuing branch

A district officer passes a task given to their unit on to their own units: the new
assignments name the district's assignment (`parent_assignment_id`), so both levels see the
children's progress. The duplicate-document check was global (`directives.source_sha256`
unique); a district could not take in the file it received from the province. It is now
unique per owning unit (owner_unit_id, source_sha256).

Revision ID: 0017_pass_down
Revises: 0016_task_changes
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_pass_down"
down_revision: str | None = "0016_task_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps constraints unnamed; batch mode names them by this convention.
SQLITE_NAMES = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}
NEW_KEY = ["owner_unit_id", "source_sha256"]


def upgrade() -> None:
    column = sa.Column("parent_assignment_id", sa.Integer(), nullable=True)
    if op.get_context().dialect.name == "postgresql":
        op.add_column("assignments", column)
        op.create_foreign_key(
            "assignments_parent_assignment_id_fkey",
            "assignments",
            "assignments",
            ["parent_assignment_id"],
            ["id"],
        )
        op.drop_constraint("directives_source_sha256_key", "directives", type_="unique")
        op.create_unique_constraint(
            "directives_owner_unit_id_source_sha256_key", "directives", NEW_KEY
        )
    else:
        with op.batch_alter_table(
            "assignments", recreate="always", naming_convention=SQLITE_NAMES
        ) as batch_op:
            batch_op.add_column(column)
            batch_op.create_foreign_key(
                "fk_assignments_parent_assignment_id_assignments",
                "assignments",
                ["parent_assignment_id"],
                ["id"],
            )
        with op.batch_alter_table(
            "directives", recreate="always", naming_convention=SQLITE_NAMES
        ) as batch_op:
            batch_op.drop_constraint("uq_directives_source_sha256", type_="unique")
            batch_op.create_unique_constraint("uq_directives_owner_unit_id_source_sha256", NEW_KEY)
    op.create_index("ix_assignments_parent_assignment_id", "assignments", ["parent_assignment_id"])


def downgrade() -> None:
    """Back to one copy of a document in the whole tree: only possible while no two branches
    took in the same file."""
    op.drop_index("ix_assignments_parent_assignment_id", table_name="assignments")
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(
            "directives_owner_unit_id_source_sha256_key", "directives", type_="unique"
        )
        op.create_unique_constraint("directives_source_sha256_key", "directives", ["source_sha256"])
        op.drop_constraint("assignments_parent_assignment_id_fkey", "assignments", "foreignkey")
        op.drop_column("assignments", "parent_assignment_id")
        return
    with op.batch_alter_table(
        "directives", recreate="always", naming_convention=SQLITE_NAMES
    ) as batch_op:
        batch_op.drop_constraint("uq_directives_owner_unit_id_source_sha256", type_="unique")
        batch_op.create_unique_constraint("uq_directives_source_sha256", ["source_sha256"])
    with op.batch_alter_table(
        "assignments", recreate="always", naming_convention=SQLITE_NAMES
    ) as batch_op:
        batch_op.drop_constraint(
            "fk_assignments_parent_assignment_id_assignments", type_="foreignkey"
        )
        batch_op.drop_column("parent_assignment_id")
