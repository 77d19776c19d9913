"""Resettlement's own database tables (only this service touches them).

Personal data (the names and particulars from the UNHCR form) live in ``case_members``
only; every other table is pseudonymous. Migration 0002 creates what is mapped here.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from handoff_plumbing.audit import define_audit_tables
from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

quotas = Table(
    "quotas",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("total_places", Integer, nullable=False),
    Column("emergency_reserve", Integer, nullable=False),
    Column("set_at", UtcDateTime(), nullable=False),
    Column("set_by", String(128), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("source", String(32), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("household_size", Integer, nullable=False),
    Column("age_bands", JSON, nullable=False),
    Column("needs", JSON, nullable=False),
    Column("hard_to_place", Boolean, nullable=False),
    Column("linked_case_ids", JSON, nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("quota_year", Integer, nullable=True, index=True),
    Column("submission_category", String(64), nullable=True),
    Column("unhcr_case_number", String(64), nullable=True),
    Column("selected_on", Date, nullable=True),
    Column("selection_decided_on", Date, nullable=True),
    Column("application_id", String(64), nullable=True, unique=True),
    Column("permit_id", String(64), nullable=True),
    Column("person_ref", String(64), nullable=True),
    Column("permit_valid_from", Date, nullable=True),
    Column("waiting_since", Date, nullable=True, index=True),
    Column("placement_id", String(64), nullable=True),
    Column("municipality_code", String(16), nullable=True),
    Column("county_code", String(16), nullable=True),
    Column("assigned_on", Date, nullable=True),
    Column("arrived_on", Date, nullable=True),
    Column("settled_on", Date, nullable=True),
)

case_members = Table(
    "case_members",
    metadata,
    Column("case_id", String(64), ForeignKey("cases.case_id"), primary_key=True),
    Column("member_no", Integer, primary_key=True, autoincrement=False),
    Column("age_band", String(16), nullable=False),
    Column("full_name", String(255), nullable=True),
    Column("date_of_birth", Date, nullable=True),
    Column("sex", String(16), nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("languages", JSON, nullable=False),
    Column("education", String(200), nullable=True),
)

agreements = Table(
    "agreements",
    metadata,
    Column("agreement_id", String(64), primary_key=True),
    Column("county_code", String(16), nullable=False, index=True),
    Column("municipality_code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("agreed_on", Date, nullable=False),
    Column("agreed_places", Integer, nullable=False),
    Column("assignable_places", Integer, nullable=False),
    Column("accessible_places", Integer, nullable=False),
    Column("dwellings", JSON, nullable=False),
    Column("specialist_care_access", Boolean, nullable=False),
    Column("receives_unaccompanied_minors", Boolean, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("revised_at", UtcDateTime(), nullable=False),
    Column("recorded_by", String(128), nullable=False),
    UniqueConstraint("municipality_code", "year", name="uq_agreements_municipality_year"),
)

placements = Table(
    "placements",
    metadata,
    Column("placement_id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("agreement_id", String(64), ForeignKey("agreements.agreement_id"), nullable=False, index=True),
    Column("county_code", String(16), nullable=False),
    Column("municipality_code", String(16), nullable=False, index=True),
    Column("run_id", String(64), nullable=True),
    Column("status", String(16), nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("accessible", Boolean, nullable=False),
    Column("dwelling", String(32), nullable=True),
    Column("profile", JSON, nullable=False),
    Column("offered_at", UtcDateTime(), nullable=False),
    Column("offered_by", String(128), nullable=False),
    Column("answer_due_on", Date, nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("decline_reason", String(64), nullable=True),
    Column("decline_reason_text", Text, nullable=True),
    Column("withdrawn_at", UtcDateTime(), nullable=True),
    Column("withdrawal_reason", Text, nullable=True),
    Column("confirmed_at", UtcDateTime(), nullable=True),
    Column("arrival_planned_on", Date, nullable=True),
    Column("arrived_on", Date, nullable=True),
    Column("settled_on", Date, nullable=True),
)

refused_declines = Table(
    "refused_declines",
    metadata,
    Column("attempt_id", String(64), primary_key=True),
    Column("placement_id", String(64), nullable=False, index=True),
    Column("case_id", String(64), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("municipality_code", String(16), nullable=False),
    Column("attempted_at", UtcDateTime(), nullable=False),
    Column("field", String(32), nullable=False),
    Column("ground", String(64), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("reason_text", Text, nullable=False),
)

matching_runs = Table(
    "matching_runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("county_code", String(16), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("ran_at", UtcDateTime(), nullable=False),
    Column("ran_by", String(128), nullable=False),
    Column("waiting_cases", Integer, nullable=False),
    Column("places", Integer, nullable=False),
    Column("unplaced", Integer, nullable=False),
    Column("offers_sent", Boolean, nullable=False),
)

proposals = Table(
    "proposals",
    metadata,
    Column("run_id", String(64), ForeignKey("matching_runs.run_id"), primary_key=True),
    Column("case_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("agreement_id", String(64), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("municipality_code", String(16), nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("accessible", Boolean, nullable=False),
    Column("dwelling", String(32), nullable=True),
    Column("placement_id", String(64), nullable=True),
)

passed_over = Table(
    "passed_over",
    metadata,
    Column("record_id", String(64), primary_key=True),
    Column("case_id", String(64), nullable=False, index=True),
    Column("priority", String(16), nullable=False),
    Column("waiting_since", Date, nullable=False),
    Column("passed_at", UtcDateTime(), nullable=False, index=True),
    Column("passed_by", String(128), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("detail", Text, nullable=False),
    Column("overtaken_by", String(64), nullable=True),
    Column("run_id", String(64), nullable=True, index=True),
    Column("placement_id", String(64), nullable=True),
    Column("binding", Boolean, nullable=False),
)

outbox, inbox = define_plumbing_tables(metadata)
idempotency_keys = define_idempotency_table(metadata)
audit_trail = define_audit_tables(metadata)
