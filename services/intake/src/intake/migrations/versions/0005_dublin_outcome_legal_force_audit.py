"""How a Dublin transfer ended, the legal force and deciding authority of a decision, and the
personal-data audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.plumbing_migrations import downgrade_audit, upgrade_audit

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as applications:
        applications.add_column(sa.Column("transfer_receiving_state", sa.String(3), nullable=True))
        applications.add_column(sa.Column("transferred_on", sa.Date(), nullable=True))
        applications.add_column(sa.Column("transfer_responsible_from", sa.Date(), nullable=True))
    with op.batch_alter_table("decisions") as decisions:
        decisions.add_column(sa.Column("legal_force_on", sa.Date(), nullable=True))
        decisions.add_column(sa.Column("decided_by", sa.String(64), nullable=True))
    upgrade_audit()


def downgrade() -> None:
    downgrade_audit()
    with op.batch_alter_table("decisions") as decisions:
        decisions.drop_column("decided_by")
        decisions.drop_column("legal_force_on")
    with op.batch_alter_table("applications") as applications:
        applications.drop_column("transfer_responsible_from")
        applications.drop_column("transferred_on")
        applications.drop_column("transfer_receiving_state")
