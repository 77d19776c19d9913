"""Enforcement: handovers, enforcement cases, inhibitions, removal plans, detention and
lighter measures, facility locks, the monitor's feedback.

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
    op.create_table(
        "handovers",
        sa.Column("handover_id", sa.String(64), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("handed_over_at", UtcDateTime(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False, index=True),
        sa.Column("missing", sa.JSON, nullable=False),
        sa.Column("enforcement_case_id", sa.String(64), nullable=True),
    )
    op.create_table(
        "enforcement_cases",
        sa.Column("enforcement_case_id", sa.String(64), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False, unique=True),
        sa.Column("handover_id", sa.String(64), nullable=False, unique=True),
        sa.Column("application_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_ref", sa.String(64), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("nationality", sa.String(3), nullable=False),
        sa.Column("vulnerabilities", sa.JSON, nullable=False),
        sa.Column("destination_country", sa.String(3), nullable=False),
        sa.Column("enforceable_on", sa.Date, nullable=False),
        sa.Column("lapses_on", sa.Date, nullable=False),
        sa.Column("responsible_department", sa.String(32), nullable=False, index=True),
        sa.Column("accepted_at", UtcDateTime(), nullable=False),
        sa.Column("suspended", sa.Boolean, nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_reason", sa.String(32), nullable=True),
        sa.Column("package", sa.JSON, nullable=False),
    )
    op.create_table(
        "inhibitions",
        sa.Column("inhibition_id", sa.String(64), primary_key=True),
        sa.Column("application_id", sa.String(64), nullable=False, index=True),
        sa.Column("court", sa.String(64), nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("lifted_on", sa.Date, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
    )
    op.create_table(
        "removal_plans",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("enforcement_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("return_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_ref", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("destination_country", sa.String(3), nullable=False),
        sa.Column("transit_countries", sa.JSON, nullable=False),
        sa.Column("readmission_basis", sa.String(64), nullable=False),
        sa.Column("transport", sa.String(32), nullable=False),
        sa.Column("escort_level", sa.String(32), nullable=False),
        sa.Column("planned_departure", UtcDateTime(), nullable=False, index=True),
        sa.Column("responsible_department", sa.String(32), nullable=False, index=True),
        sa.Column("measure", sa.String(32), nullable=False),
        sa.Column("vulnerabilities", sa.JSON, nullable=False),
        sa.Column("precautions", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("executed_at", UtcDateTime(), nullable=True),
        sa.Column("use_of_force", sa.Boolean, nullable=True),
        sa.Column("restraints_used", sa.JSON, nullable=True),
        sa.Column("incidents", sa.JSON, nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
        sa.Column("at_departure", sa.Boolean, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_table(
        "detentions",
        sa.Column("detention_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("enforcement_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("return_case_id", sa.String(64), nullable=False),
        sa.Column("facility", sa.String(32), nullable=False, index=True),
        sa.Column("ground", sa.String(32), nullable=False),
        sa.Column("ordered_at", UtcDateTime(), nullable=False),
        sa.Column("review_due_on", sa.Date, nullable=False),
        sa.Column("reviews", sa.JSON, nullable=False),
        sa.Column("minor", sa.Boolean, nullable=False),
        sa.Column("unaccompanied_minor_reason", sa.Text, nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
    )
    op.create_table(
        "lighter_measures",
        sa.Column("measure_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("enforcement_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ordered_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
    )
    op.create_table(
        "facility_locks",
        sa.Column("facility", sa.String(32), primary_key=True),
    )
    op.create_table(
        "monitor_feedback",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("notice_id", sa.String(64), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=True),
        sa.Column("acknowledged_at", UtcDateTime(), nullable=True),
        sa.Column("late", sa.JSON, nullable=True),
        sa.Column("missing_notice_at", UtcDateTime(), nullable=True),
        sa.Column("decision", sa.JSON, nullable=True),
        sa.Column("reports", sa.JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "monitor_feedback",
        "facility_locks",
        "lighter_measures",
        "detentions",
        "removal_plans",
        "inhibitions",
        "enforcement_cases",
        "handovers",
    ):
        op.drop_table(table)
