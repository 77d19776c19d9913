"""Intake's own database tables (only intake touches them).

No deadline is stored: each one is computed by the domain model from the dates below and
the configured rules, so a change of the rules applies to every case at once.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, MetaData, String, Table

from handoff_plumbing.audit import define_audit_tables
from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

applications = Table(
    "applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("person_ref", String(64), nullable=False, unique=True),
    Column("full_name", String(255), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("lodged_on", Date, nullable=False, index=True),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("eurodac_hit", Boolean, nullable=False),
    Column("documents", JSON, nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
    Column("sex", String(16), nullable=False, server_default="unknown"),
    # Dublin transfer: the acceptance, the person's status now and the statuses had since the
    # acceptance (an extension of the time limit, once earned, stays).
    Column("transfer_accepted_on", Date, nullable=True),
    Column("dublin_status", String(16), nullable=True),
    Column("transfer_ever_imprisoned", Boolean, nullable=True),
    Column("transfer_ever_absconded", Boolean, nullable=True),
    # How the transfer ended: carried out (the receiving state is responsible), or its time
    # limit passed (this state is responsible from the day after).
    Column("transfer_receiving_state", String(3), nullable=True),
    Column("transferred_on", Date, nullable=True),
    Column("transfer_responsible_from", Date, nullable=True),
)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column(
        "application_id", String(64), ForeignKey("applications.application_id"), nullable=False, unique=True
    ),
    Column("decided_on", Date, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("removal_order", String(32), nullable=True),
    Column("immediate_enforcement", Boolean, nullable=True),
    Column("destination_country", String(3), nullable=True),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("enforceable_on", Date, nullable=True),
    Column("appeal_waived", Boolean, nullable=True),
    Column("enforceability_recorded_at", UtcDateTime(), nullable=True),
    Column("legal_force_on", Date, nullable=True),
    Column("decided_by", String(64), nullable=True),
)

residence_permits = Table(
    "residence_permits",
    metadata,
    Column("permit_id", String(64), primary_key=True),
    Column("decision_id", String(64), ForeignKey("decisions.decision_id"), nullable=False, unique=True),
    Column("permit_type", String(16), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("household_size", Integer, nullable=False),
    Column("household_age_bands", JSON, nullable=False),
    Column("needs_municipal_place", Boolean, nullable=False),
    Column("special_needs", JSON, nullable=False),
)

inhibitions = Table(
    "inhibitions",
    metadata,
    Column("inhibition_id", String(64), primary_key=True),
    Column(
        "application_id", String(64), ForeignKey("applications.application_id"), nullable=False, index=True
    ),
    Column("decision_id", String(64), nullable=True),
    Column("court", String(64), nullable=False),
    Column("ordered_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("lifted_on", Date, nullable=True),
    Column("lifted_by", String(64), nullable=True),
    Column("lifted_at", UtcDateTime(), nullable=True),
)

outbox, inbox = define_plumbing_tables(metadata)
idempotency_keys = define_idempotency_table(metadata)
audit_trail = define_audit_tables(metadata)
