"""Request ids move to the HTTP edge: the idempotency_keys table; the aggregates forget them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

A request id given before this revision is no longer recognised (a retry across the
upgrade would register again); the columns held no answer to replay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(255), primary_key=True),
        sa.Column("request_id", sa.String(128), primary_key=True),
        sa.Column("operation", sa.String(512), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    for table in ("applications", "decisions", "inhibitions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("request_id")


def downgrade() -> None:
    for table in ("applications", "decisions", "inhibitions"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("request_id", sa.String(128), nullable=True))
            batch.create_unique_constraint(f"uq_{table}_request_id", ["request_id"])
    op.drop_table("idempotency_keys")
