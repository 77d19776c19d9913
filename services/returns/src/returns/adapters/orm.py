"""Returns' own database tables (only returns touches them).

Personal data live in three places only, all in this database: ``applicant_identities``
(from intake's applicant topic), ``return_cases.last_known_address`` and
``counselling_meetings.notes``. They leave it only in the package handed over to the Police.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

from handoff_plumbing.audit import define_audit_tables
from handoff_plumbing.idempotency import define_idempotency_table
from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

known_applications = Table(
    "known_applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("person_ref", String(64), nullable=False),
    Column("lodged_on", Date, nullable=False),
    Column("dublin_case", Boolean, nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
    Column("learned_at", UtcDateTime(), nullable=False),
)

applicant_identities = Table(
    "applicant_identities",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("person_ref", String(64), nullable=False),
    Column("identity", JSON, nullable=False),  # personal data
    Column("recorded_at", UtcDateTime(), nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("application_id", String(64), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    # The country of return a refusal names (null for grants, and for decisions learned before 0005).
    Column("destination_country", String(3), nullable=True),
    Index("ix_decisions_application_id", "application_id"),
)

# How a Dublin transfer of the application ended: the order is no longer the Agency's to enforce.
dublin_outcomes = Table(
    "dublin_outcomes",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("closure", String(32), nullable=False),
    Column("on_date", Date, nullable=False),
)

inhibitions = Table(
    "inhibitions",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("inhibition_id", String(64), primary_key=True),
    Column("court", String(64), nullable=False),
    Column("ordered_on", Date, nullable=False),
    Column("decision_id", String(64), nullable=True),
    Column("lifted_on", Date, nullable=True),
    Column("lifted_by", String(64), nullable=True),
)

return_cases = Table(
    "return_cases",
    metadata,
    Column("return_case_id", String(64), primary_key=True),
    Column("application_id", String(64), nullable=False),
    Column("decision_id", String(64), nullable=False),
    Column("person_ref", String(64), nullable=False),
    Column("removal_order", String(32), nullable=False),
    Column("immediate_enforcement", Boolean, nullable=False),
    Column("enforceable_on", Date, nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("unaccompanied_minor", Boolean, nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("first_counselling_due", Date, nullable=False),
    Column("case_closure_due", Date, nullable=False),
    Column("departure_due", Date, nullable=False),
    Column("order_lapses_on", Date, nullable=False),
    Column("unit", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("departed_on", Date, nullable=True),
    Column("superseded_by", String(64), nullable=True),
    Column("absconded_on", Date, nullable=True),
    Column("whereabouts_code", String(32), nullable=True),
    Column("last_known_address", JSON, nullable=True),  # personal data
    Column("reception_ended_on", Date, nullable=True),
    Column("closure_reason", String(32), nullable=True),
    Column("departed_to", String(3), nullable=True),
    Column("removed_on", Date, nullable=True),
    Column("removed_to", String(3), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("application_id", "decision_id", name="uq_return_cases_application_decision"),
    Index("ix_return_cases_status", "status"),
    Index("ix_return_cases_unit", "unit"),
)


def _case_id() -> Column[str]:
    return Column(
        "return_case_id",
        String(64),
        ForeignKey("return_cases.return_case_id", ondelete="CASCADE"),
        nullable=False,
    )


counselling_meetings = Table(
    "counselling_meetings",
    metadata,
    Column(
        "return_case_id",
        String(64),
        ForeignKey("return_cases.return_case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("meeting_number", Integer, primary_key=True),
    Column("held_on", Date, nullable=False),
    Column("language", String(3), nullable=False),
    Column("interpreter_used", Boolean, nullable=False),
    Column("stance", String(32), nullable=False),
    Column("is_last_meeting", Boolean, nullable=False),
    Column("evaluation", JSON, nullable=True),
    Column("notes", Text, nullable=True),  # personal data
)

support_applications = Table(
    "support_applications",
    metadata,
    Column("support_application_id", String(64), primary_key=True),
    _case_id(),
    Column("arrived_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("decided_on", Date, nullable=True),
    Column("granted", Boolean, nullable=True),
    Column("amount", Integer, nullable=True),
    Column("currency", String(3), nullable=True),
    Index("ix_support_applications_return_case_id", "return_case_id"),
)

travel_document_requests = Table(
    "travel_document_requests",
    metadata,
    Column("travel_document_request_id", String(64), primary_key=True),
    _case_id(),
    Column("document_kind", String(32), nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("handled_on", Date, nullable=True),
    Column("outcome", String(16), nullable=True),
    Index("ix_travel_document_requests_return_case_id", "return_case_id"),
)

travel_bookings = Table(
    "travel_bookings",
    metadata,
    Column("booking_id", String(64), primary_key=True),
    _case_id(),
    Column("ordered_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("booked_on", Date, nullable=True),
    Column("departure_on", Date, nullable=True),
    Column("cancelled_on", Date, nullable=True),
    Column("cancellation_reason", String(32), nullable=True),
    Index("ix_travel_bookings_return_case_id", "return_case_id"),
)

impediment_applications = Table(
    "impediment_applications",
    metadata,
    Column("impediment_application_id", String(64), primary_key=True),
    _case_id(),
    Column("lodged_on", Date, nullable=False),
    Column("decided_on", Date, nullable=True),
    Column("outcome", String(32), nullable=True),
    Column("inhibition_ordered", Boolean, nullable=True),
    Index("ix_impediment_applications_return_case_id", "return_case_id"),
)

handovers = Table(
    "handovers",
    metadata,
    Column("handover_id", String(64), primary_key=True),
    _case_id(),
    Column("sequence", Integer, nullable=False),
    Column("grounds", String(32), nullable=False),
    Column("handed_over_at", UtcDateTime(), nullable=False),
    Column("handed_over_on", Date, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("enforcement_case_id", String(64), nullable=True),
    Column("responsible_department", String(32), nullable=True),
    Column("missing", JSON, nullable=False),
    Index("ix_handovers_return_case_id", "return_case_id"),
)

# Derived from the aggregate on every save: what the list filter and the follow-up query.
case_targets = Table(
    "case_targets",
    metadata,
    Column(
        "return_case_id",
        String(64),
        ForeignKey("return_cases.return_case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("target", String(32), primary_key=True),
    Column("ref", String(64), primary_key=True),
    Column("due_on", Date, nullable=False),
    Column("met_on", Date, nullable=True),
    Column("stopped_on", Date, nullable=True),
    Index("ix_case_targets_due_on", "due_on"),
)

# Idempotent creation: a client's request id, the command it named and what it created.
outbox, inbox = define_plumbing_tables(metadata)
idempotency_keys = define_idempotency_table(metadata)
audit_trail = define_audit_tables(metadata)
