"""Request ids move to the HTTP edge: the idempotency_keys table replaces command_requests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

A request id given before this revision is no longer recognised: command_requests kept
what a request created, not the answer it got, which is what the edge now replays.
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
    op.drop_table("command_requests")


def downgrade() -> None:
    op.create_table(
        "command_requests",
        sa.Column("request_id", sa.String(128), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("item_ref", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.drop_table("idempotency_keys")
