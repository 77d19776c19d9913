"""Monitoring's own database tables (only this service touches them).

What the monitor stores about a person is limited to what monitoring needs: the
pseudonymous reference, age band and minor flag, sex, nationality, destination and route,
transport, dates, department, vulnerability categories, precaution status and detention
status. No names, dates of birth or document numbers: the events it reads do not carry
them, and no column here could hold them by design.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT.
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")

notices = Table(
    "notices",
    metadata,
    Column("notice_id", String(64), primary_key=True),
    Column("plan_id", String(64), nullable=False, unique=True),
    Column("return_case_id", String(64), nullable=False, index=True),
    Column("responsible_department", String(32), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("timeliness", String(16), nullable=False),
    Column("first_seen_event_type", String(255), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("person_ref", String(64), nullable=True),
    Column("age_band", String(16), nullable=True),
    Column("minor", Boolean, nullable=True),
    Column("sex", String(16), nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("destination_country", String(3), nullable=True),
    Column("transit_countries", JSON, nullable=False),
    Column("readmission_basis", String(64), nullable=True),
    Column("transport", String(32), nullable=True),
    Column("escort_level", String(64), nullable=True),
    Column("planned_departure", UtcDateTime(), nullable=True, index=True),
    Column("measure", String(32), nullable=True),
    Column("vulnerabilities", JSON, nullable=False),
    Column("precautions", JSON, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("acknowledged_at", UtcDateTime(), nullable=True),
    Column("schedule_known_at", UtcDateTime(), nullable=True),
    Column("lead_time_working_days", Integer, nullable=True),
    Column("required_working_days", Integer, nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("cancellation_reason", String(64), nullable=True),
    Column("abort_reason", String(64), nullable=True),
    Column("aborted_at_departure", Boolean, nullable=True),
    Column("use_of_force", Boolean, nullable=True),
    Column("restraints_used", JSON, nullable=False),
    Column("incidents", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # A removal carried out or aborted other than the last notice said (null: as notified).
    Column("deviation", JSON, nullable=True),
)

enforcement_cases = Table(
    "enforcement_cases",
    metadata,
    Column("return_case_id", String(64), primary_key=True),
    Column("enforcement_case_id", String(64), nullable=False),
    Column("responsible_department", String(32), nullable=False),
    Column("accepted_at", UtcDateTime(), nullable=False),
)

detentions = Table(
    "detentions",
    metadata,
    Column("detention_id", String(64), primary_key=True),
    Column("return_case_id", String(64), nullable=False, index=True),
    Column("ground", String(64), nullable=True),
    Column("facility", String(32), nullable=True),
    Column("minor", Boolean, nullable=True),
    Column("ordered_at", UtcDateTime(), nullable=True),
    Column("review_due_on", Date, nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(64), nullable=True),
)

lighter_measures = Table(
    "lighter_measures",
    metadata,
    Column("measure_id", String(64), primary_key=True),
    Column("return_case_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("ordered_at", UtcDateTime(), nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(32), nullable=True),
)

monitoring_decisions = Table(
    "monitoring_decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("notice_id", String(64), ForeignKey("notices.notice_id"), nullable=False, index=True),
    Column("plan_id", String(64), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("monitors", JSON, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("sequence", Integer, nullable=False),
    UniqueConstraint("notice_id", "sequence", name="uq_monitoring_decisions_notice_sequence"),
)

monitoring_reports = Table(
    "monitoring_reports",
    metadata,
    Column("report_id", String(64), primary_key=True),
    Column("notice_id", String(64), ForeignKey("notices.notice_id"), nullable=False, unique=True),
    Column("plan_id", String(64), nullable=False),
    Column("filed_at", UtcDateTime(), nullable=False),
    Column("filed_by", String(128), nullable=False),
    Column("phases_observed", JSON, nullable=False),
    Column("findings", JSON, nullable=False),
    Column("recommendations", JSON, nullable=False),
    Column("published", Boolean, nullable=False),
    Column("published_at", UtcDateTime(), nullable=True),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("subscription_id", String(64), primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("deleted_at", UtcDateTime(), nullable=True),
)

webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("secret_id", String(64), primary_key=True),
    Column(
        "subscription_id",
        String(64),
        ForeignKey("webhook_subscriptions.subscription_id"),
        nullable=False,
        index=True,
    ),
    Column("secret", String(256), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("retired_at", UtcDateTime(), nullable=True),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("position", SEQUENCE, primary_key=True, autoincrement=True),
    Column("delivery_id", String(64), nullable=False, unique=True),
    Column(
        "subscription_id",
        String(64),
        ForeignKey("webhook_subscriptions.subscription_id"),
        nullable=False,
    ),
    Column("plan_id", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_webhook_deliveries_queue", "subscription_id", "plan_id", "status", "position"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("attempt_id", SEQUENCE, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        String(64),
        ForeignKey("webhook_deliveries.delivery_id"),
        nullable=False,
        index=True,
    ),
    Column("attempted_at", UtcDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
)

outbox, inbox = define_plumbing_tables(metadata)
idempotency_keys = define_idempotency_table(metadata)
