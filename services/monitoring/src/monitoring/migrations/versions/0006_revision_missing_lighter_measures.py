"""A removal that departed from its notice (the revision missing), and the lighter measures the Police
ordered.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as notices:
        notices.add_column(sa.Column("deviation", sa.JSON(), nullable=True))
    op.create_table(
        "lighter_measures",
        sa.Column("measure_id", sa.String(64), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ordered_at", UtcDateTime(), nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
    )
    op.create_index("ix_lighter_measures_return_case_id", "lighter_measures", ["return_case_id"])


def downgrade() -> None:
    op.drop_index("ix_lighter_measures_return_case_id", table_name="lighter_measures")
    op.drop_table("lighter_measures")
    with op.batch_alter_table("notices") as notices:
        notices.drop_column("deviation")
