"""The personal-data audit trail: every disclosure of a household's full details to a municipality.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

from handoff_plumbing.plumbing_migrations import downgrade_audit, upgrade_audit

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    upgrade_audit()


def downgrade() -> None:
    downgrade_audit()
