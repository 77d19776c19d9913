"""Return cases: identities, decisions, inhibitions, cases and their parts, targets, requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.tables import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _case_id(*, primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(
        "return_case_id",
        sa.String(64),
        sa.ForeignKey("return_cases.return_case_id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "applicant_identities",
        sa.Column("application_id", sa.String(64), primary_key=True),
        sa.Column("person_ref", sa.String(64), nullable=False),
        sa.Column("identity", sa.JSON, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("decision_id", sa.String(64), primary_key=True),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_decisions_application_id", "decisions", ["application_id"])
    op.create_table(
        "inhibitions",
        sa.Column("application_id", sa.String(64), primary_key=True),
        sa.Column("inhibition_id", sa.String(64), primary_key=True),
        sa.Column("court", sa.String(64), nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("decision_id", sa.String(64), nullable=True),
        sa.Column("lifted_on", sa.Date, nullable=True),
        sa.Column("lifted_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "return_cases",
        sa.Column("return_case_id", sa.String(64), primary_key=True),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("decision_id", sa.String(64), nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=False),
        sa.Column("removal_order", sa.String(32), nullable=False),
        sa.Column("immediate_enforcement", sa.Boolean, nullable=False),
        sa.Column("enforceable_on", sa.Date, nullable=False),
        sa.Column("destination_country", sa.String(3), nullable=False),
        sa.Column("unaccompanied_minor", sa.Boolean, nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("first_counselling_due", sa.Date, nullable=False),
        sa.Column("case_closure_due", sa.Date, nullable=False),
        sa.Column("departure_due", sa.Date, nullable=False),
        sa.Column("order_lapses_on", sa.Date, nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("departed_on", sa.Date, nullable=True),
        sa.Column("superseded_by", sa.String(64), nullable=True),
        sa.Column("absconded_on", sa.Date, nullable=True),
        sa.Column("whereabouts_code", sa.String(32), nullable=True),
        sa.Column("last_known_address", sa.JSON, nullable=True),
        sa.Column("reception_ended_on", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("application_id", "decision_id", name="uq_return_cases_application_decision"),
    )
    op.create_index("ix_return_cases_status", "return_cases", ["status"])
    op.create_index("ix_return_cases_unit", "return_cases", ["unit"])
    op.create_table(
        "counselling_meetings",
        _case_id(primary_key=True),
        sa.Column("meeting_number", sa.Integer, primary_key=True),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("language", sa.String(3), nullable=False),
        sa.Column("interpreter_used", sa.Boolean, nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("is_last_meeting", sa.Boolean, nullable=False),
        sa.Column("evaluation", sa.JSON, nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
    )
    op.create_table(
        "support_applications",
        sa.Column("support_application_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("arrived_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("granted", sa.Boolean, nullable=True),
        sa.Column("amount", sa.Integer, nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
    )
    op.create_index("ix_support_applications_return_case_id", "support_applications", ["return_case_id"])
    op.create_table(
        "travel_document_requests",
        sa.Column("travel_document_request_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("document_kind", sa.String(32), nullable=False),
        sa.Column("requested_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("handled_on", sa.Date, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
    )
    op.create_index(
        "ix_travel_document_requests_return_case_id", "travel_document_requests", ["return_case_id"]
    )
    op.create_table(
        "travel_bookings",
        sa.Column("booking_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("booked_on", sa.Date, nullable=True),
        sa.Column("departure_on", sa.Date, nullable=True),
    )
    op.create_index("ix_travel_bookings_return_case_id", "travel_bookings", ["return_case_id"])
    op.create_table(
        "impediment_applications",
        sa.Column("impediment_application_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("lodged_on", sa.Date, nullable=False),
    )
    op.create_index(
        "ix_impediment_applications_return_case_id", "impediment_applications", ["return_case_id"]
    )
    op.create_table(
        "handovers",
        sa.Column("handover_id", sa.String(64), primary_key=True),
        _case_id(),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("grounds", sa.String(32), nullable=False),
        sa.Column("handed_over_at", UtcDateTime(), nullable=False),
        sa.Column("handed_over_on", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("enforcement_case_id", sa.String(64), nullable=True),
        sa.Column("responsible_department", sa.String(32), nullable=True),
        sa.Column("missing", sa.JSON, nullable=False),
    )
    op.create_index("ix_handovers_return_case_id", "handovers", ["return_case_id"])
    op.create_table(
        "case_targets",
        _case_id(primary_key=True),
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("met_on", sa.Date, nullable=True),
        sa.Column("stopped_on", sa.Date, nullable=True),
    )
    op.create_index("ix_case_targets_due_on", "case_targets", ["due_on"])
    op.create_table(
        "command_requests",
        sa.Column("request_id", sa.String(128), primary_key=True),
        sa.Column("return_case_id", sa.String(64), nullable=False),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("item_ref", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "command_requests",
        "case_targets",
        "handovers",
        "impediment_applications",
        "travel_bookings",
        "travel_document_requests",
        "support_applications",
        "counselling_meetings",
        "return_cases",
        "inhibitions",
        "decisions",
        "applicant_identities",
    ):
        op.drop_table(table)
