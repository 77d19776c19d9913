"""Initial schema: outbox, inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

from handoff_plumbing.tables import inbox_columns, outbox_columns

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("outbox", *outbox_columns())
    op.create_table("inbox", *inbox_columns())


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_table("outbox")
