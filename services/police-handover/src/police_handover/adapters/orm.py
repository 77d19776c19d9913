"""Police-handover's own database tables (only this service touches them).

``enforcement_cases.package`` and the person columns hold the handover's personal data:
they are the Police's and never leave this database except over the Police's own API.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, Text

from handoff_plumbing.audit import define_audit_tables
from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

handovers = Table(
    "handovers",
    metadata,
    Column("handover_id", String(64), primary_key=True),
    Column("return_case_id", String(64), nullable=False, index=True),
    Column("application_id", String(64), nullable=False),
    Column("handed_over_at", UtcDateTime(), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("outcome", String(16), nullable=False, index=True),
    Column("missing", JSON, nullable=False),
    Column("enforcement_case_id", String(64), nullable=True),
)

enforcement_cases = Table(
    "enforcement_cases",
    metadata,
    Column("enforcement_case_id", String(64), primary_key=True),
    Column("return_case_id", String(64), nullable=False, unique=True),
    Column("handover_id", String(64), nullable=False, unique=True),
    Column("application_id", String(64), nullable=False, index=True),
    Column("person_ref", String(64), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(16), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("enforceable_on", Date, nullable=False),
    Column("lapses_on", Date, nullable=False),
    Column("responsible_department", String(32), nullable=False, index=True),
    Column("accepted_at", UtcDateTime(), nullable=False),
    Column("suspended", Boolean, nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("closed_reason", String(32), nullable=True),
    Column("package", JSON, nullable=False),
)

inhibitions = Table(
    "inhibitions",
    metadata,
    Column("inhibition_id", String(64), primary_key=True),
    Column("application_id", String(64), nullable=False, index=True),
    Column("court", String(64), nullable=False),
    Column("ordered_on", Date, nullable=False),
    Column("lifted_on", Date, nullable=True),
    Column("source", String(16), nullable=False),
)

removal_plans = Table(
    "removal_plans",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("enforcement_case_id", String(64), nullable=False, index=True),
    Column("return_case_id", String(64), nullable=False, index=True),
    Column("person_ref", String(64), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("transit_countries", JSON, nullable=False),
    Column("readmission_basis", String(64), nullable=False),
    Column("transport", String(32), nullable=False),
    Column("escort_level", String(32), nullable=False),
    Column("planned_departure", UtcDateTime(), nullable=False, index=True),
    Column("responsible_department", String(32), nullable=False, index=True),
    Column("measure", String(32), nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
    Column("precautions", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("executed_at", UtcDateTime(), nullable=True),
    Column("use_of_force", Boolean, nullable=True),
    Column("restraints_used", JSON, nullable=True),
    Column("incidents", JSON, nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(32), nullable=True),
    Column("at_departure", Boolean, nullable=True),
    Column("note", Text, nullable=True),
    Column("carried_out_as", JSON, nullable=True),
)

detentions = Table(
    "detentions",
    metadata,
    Column("detention_id", String(64), primary_key=True),
    Column("enforcement_case_id", String(64), nullable=False, index=True),
    Column("return_case_id", String(64), nullable=False),
    Column("facility", String(32), nullable=False, index=True),
    Column("ground", String(32), nullable=False),
    Column("ordered_at", UtcDateTime(), nullable=False),
    Column("review_due_on", Date, nullable=False),
    Column("reviews", JSON, nullable=False),
    Column("minor", Boolean, nullable=False),
    Column("unaccompanied_minor_reason", Text, nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(32), nullable=True),
)

lighter_measures = Table(
    "lighter_measures",
    metadata,
    Column("measure_id", String(64), primary_key=True),
    Column("enforcement_case_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("ordered_at", UtcDateTime(), nullable=False),
    Column("note", Text, nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("end_reason", String(32), nullable=True),
)

# One row per detention facility, locked while a detention is ordered there, so that two
# concurrent orders cannot both take the last place.
facility_locks = Table(
    "facility_locks",
    metadata,
    Column("facility", String(32), primary_key=True),
)

monitor_feedback = Table(
    "monitor_feedback",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("notice_id", String(64), nullable=True),
    Column("received_at", UtcDateTime(), nullable=True),
    Column("acknowledged_at", UtcDateTime(), nullable=True),
    Column("late", JSON, nullable=True),
    Column("missing_notice_at", UtcDateTime(), nullable=True),
    Column("decision", JSON, nullable=True),
    Column("reports", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("timeliness", String(16), nullable=True),
    Column("acknowledged_revision", Integer, nullable=True),
    Column("revision_missing", JSON, nullable=True),
)

# What the Agency's return counselling told the Police about a case they enforce, or may later:
# travel booked or cancelled, impediment applications and their decisions (none of it stops
# enforcement by itself).
agency_notes = Table(
    "agency_notes",
    metadata,
    Column("return_case_id", String(64), primary_key=True),
    Column("reference", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("facts", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

outbox, inbox = define_plumbing_tables(metadata)
idempotency_keys = define_idempotency_table(metadata)
audit_trail = define_audit_tables(metadata)
