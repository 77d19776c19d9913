"""The monitor's domain: notices, enforcement facts, decisions, reports, webhooks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("notice_id", sa.String(64), primary_key=True),
        sa.Column("plan_id", sa.String(64), nullable=False, unique=True),
        sa.Column("return_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("responsible_department", sa.String(32), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("timeliness", sa.String(16), nullable=False),
        sa.Column("first_seen_event_type", sa.String(255), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=True),
        sa.Column("age_band", sa.String(16), nullable=True),
        sa.Column("minor", sa.Boolean, nullable=True),
        sa.Column("sex", sa.String(16), nullable=True),
        sa.Column("nationality", sa.String(3), nullable=True),
        sa.Column("destination_country", sa.String(3), nullable=True),
        sa.Column("transit_countries", sa.JSON, nullable=False),
        sa.Column("readmission_basis", sa.String(64), nullable=True),
        sa.Column("transport", sa.String(32), nullable=True),
        sa.Column("escort_level", sa.String(64), nullable=True),
        sa.Column("planned_departure", UtcDateTime(), nullable=True, index=True),
        sa.Column("measure", sa.String(32), nullable=True),
        sa.Column("vulnerabilities", sa.JSON, nullable=False),
        sa.Column("precautions", sa.JSON, nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("acknowledged_at", UtcDateTime(), nullable=True),
        sa.Column("schedule_known_at", UtcDateTime(), nullable=True),
        sa.Column("lead_time_working_days", sa.Integer, nullable=True),
        sa.Column("required_working_days", sa.Integer, nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("cancellation_reason", sa.String(64), nullable=True),
        sa.Column("abort_reason", sa.String(64), nullable=True),
        sa.Column("aborted_at_departure", sa.Boolean, nullable=True),
        sa.Column("use_of_force", sa.Boolean, nullable=True),
        sa.Column("restraints_used", sa.JSON, nullable=False),
        sa.Column("incidents", sa.JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "enforcement_cases",
        sa.Column("return_case_id", sa.String(64), primary_key=True),
        sa.Column("enforcement_case_id", sa.String(64), nullable=False),
        sa.Column("responsible_department", sa.String(32), nullable=False),
        sa.Column("accepted_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "detentions",
        sa.Column("detention_id", sa.String(64), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False, index=True),
        sa.Column("ground", sa.String(64), nullable=True),
        sa.Column("facility", sa.String(32), nullable=True),
        sa.Column("minor", sa.Boolean, nullable=True),
        sa.Column("ordered_at", UtcDateTime(), nullable=True),
        sa.Column("review_due_on", sa.Date, nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(64), nullable=True),
    )
    op.create_table(
        "monitoring_decisions",
        sa.Column("decision_id", sa.String(64), primary_key=True),
        sa.Column("notice_id", sa.String(64), sa.ForeignKey("notices.notice_id"), nullable=False, index=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("monitors", sa.JSON, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.UniqueConstraint("notice_id", "sequence", name="uq_monitoring_decisions_notice_sequence"),
    )
    op.create_table(
        "monitoring_reports",
        sa.Column("report_id", sa.String(64), primary_key=True),
        sa.Column(
            "notice_id", sa.String(64), sa.ForeignKey("notices.notice_id"), nullable=False, unique=True
        ),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("filed_by", sa.String(128), nullable=False),
        sa.Column("phases_observed", sa.JSON, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("recommendations", sa.JSON, nullable=False),
        sa.Column("published", sa.Boolean, nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("subscription_id", sa.String(64), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("secret", sa.String(256), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("position", SEQUENCE, primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "subscription_id",
            sa.String(64),
            sa.ForeignKey("webhook_subscriptions.subscription_id"),
            nullable=False,
        ),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    op.create_index(
        "ix_webhook_deliveries_queue",
        "webhook_deliveries",
        ["subscription_id", "plan_id", "status", "position"],
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("attempt_id", SEQUENCE, primary_key=True, autoincrement=True),
        sa.Column(
            "delivery_id",
            sa.String(64),
            sa.ForeignKey("webhook_deliveries.delivery_id"),
            nullable=False,
            index=True,
        ),
        sa.Column("attempted_at", UtcDateTime(), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("duration_ms", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("webhook_attempts")
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_queue", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
    op.drop_table("monitoring_reports")
    op.drop_table("monitoring_decisions")
    op.drop_table("detentions")
    op.drop_table("enforcement_cases")
    op.drop_table("notices")
