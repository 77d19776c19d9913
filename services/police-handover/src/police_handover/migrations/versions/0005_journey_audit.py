"""How a removal was carried out, the monitor's latest judgement and missing revisions, what the
Agency told about a case (travel, impediment applications), and the personal-data audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.plumbing_migrations import downgrade_audit, upgrade_audit
from handoff_plumbing.tables import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FEEDBACK_COLUMNS = (
    ("timeliness", sa.String(16)),
    ("acknowledged_revision", sa.Integer()),
    ("revision_missing", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("removal_plans") as plans:
        plans.add_column(sa.Column("carried_out_as", sa.JSON(), nullable=True))
    with op.batch_alter_table("monitor_feedback") as feedback:
        for name, kind in FEEDBACK_COLUMNS:
            feedback.add_column(sa.Column(name, kind, nullable=True))
    # What the monitor had said before this revision, as its latest judgement.
    op.execute("UPDATE monitor_feedback SET timeliness = 'on_time' WHERE notice_id IS NOT NULL")
    op.execute("UPDATE monitor_feedback SET timeliness = 'late' WHERE late IS NOT NULL")
    op.execute("UPDATE monitor_feedback SET timeliness = 'missing' WHERE missing_notice_at IS NOT NULL")
    op.create_table(
        "agency_notes",
        sa.Column("return_case_id", sa.String(64), primary_key=True),
        sa.Column("reference", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    upgrade_audit()


def downgrade() -> None:
    downgrade_audit()
    op.drop_table("agency_notes")
    with op.batch_alter_table("monitor_feedback") as feedback:
        for name, _ in reversed(FEEDBACK_COLUMNS):
            feedback.drop_column(name)
    with op.batch_alter_table("removal_plans") as plans:
        plans.drop_column("carried_out_as")
