"""Plumbing v2: parked outbox rows, dead letters kept for re-drive, operators' actions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from handoff_plumbing.plumbing_migrations import downgrade_v2, upgrade_v2

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    upgrade_v2()


def downgrade() -> None:
    downgrade_v2()
