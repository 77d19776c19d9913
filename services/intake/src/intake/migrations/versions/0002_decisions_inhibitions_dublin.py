"""Decisions, residence permits, inhibitions, Dublin transfers; the applicant's sex.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("sex", sa.String(16), nullable=False, server_default="unknown"))
    op.add_column("applications", sa.Column("transfer_accepted_on", sa.Date, nullable=True))
    op.add_column("applications", sa.Column("dublin_status", sa.String(16), nullable=True))
    op.add_column("applications", sa.Column("transfer_ever_imprisoned", sa.Boolean, nullable=True))
    op.add_column("applications", sa.Column("transfer_ever_absconded", sa.Boolean, nullable=True))
    op.create_index("ix_applications_lodged_on", "applications", ["lodged_on"])
    op.create_table(
        "decisions",
        sa.Column("decision_id", sa.String(64), primary_key=True),
        sa.Column(
            "application_id",
            sa.String(64),
            sa.ForeignKey("applications.application_id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("removal_order", sa.String(32), nullable=True),
        sa.Column("immediate_enforcement", sa.Boolean, nullable=True),
        sa.Column("destination_country", sa.String(3), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("enforceable_on", sa.Date, nullable=True),
        sa.Column("appeal_waived", sa.Boolean, nullable=True),
        sa.Column("enforceability_recorded_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "residence_permits",
        sa.Column("permit_id", sa.String(64), primary_key=True),
        sa.Column(
            "decision_id", sa.String(64), sa.ForeignKey("decisions.decision_id"), nullable=False, unique=True
        ),
        sa.Column("permit_type", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("household_size", sa.Integer, nullable=False),
        sa.Column("household_age_bands", sa.JSON, nullable=False),
        sa.Column("needs_municipal_place", sa.Boolean, nullable=False),
        sa.Column("special_needs", sa.JSON, nullable=False),
    )
    op.create_table(
        "inhibitions",
        sa.Column("inhibition_id", sa.String(64), primary_key=True),
        sa.Column(
            "application_id", sa.String(64), sa.ForeignKey("applications.application_id"), nullable=False
        ),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("decision_id", sa.String(64), nullable=True),
        sa.Column("court", sa.String(64), nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("lifted_on", sa.Date, nullable=True),
        sa.Column("lifted_by", sa.String(64), nullable=True),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_inhibitions_application_id", "inhibitions", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_inhibitions_application_id", table_name="inhibitions")
    op.drop_table("inhibitions")
    op.drop_table("residence_permits")
    op.drop_table("decisions")
    op.drop_index("ix_applications_lodged_on", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("transfer_ever_absconded")
        batch.drop_column("transfer_ever_imprisoned")
        batch.drop_column("dublin_status")
        batch.drop_column("transfer_accepted_on")
        batch.drop_column("sex")
