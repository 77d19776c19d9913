"""Initial schema: applications, outbox, inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime, inbox_columns, outbox_columns

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("outbox", *outbox_columns())
    op.create_table("inbox", *inbox_columns())
    op.create_table(
        "applications",
        sa.Column("application_id", sa.String(64), primary_key=True),
        sa.Column("person_ref", sa.String(64), nullable=False, unique=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("full_name", sa.String(255), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("nationality", sa.String(3), nullable=False),
        sa.Column("lodged_on", sa.Date, nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("eurodac_hit", sa.Boolean, nullable=False),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("vulnerabilities", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("applications")
    op.drop_table("inbox")
    op.drop_table("outbox")
