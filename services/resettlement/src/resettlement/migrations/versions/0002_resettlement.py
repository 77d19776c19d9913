"""Resettlement: quotas, cases and their members, municipal places agreements, placements,
refused declines, matching runs, proposals and the passed-over records.

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
        "quotas",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("total_places", sa.Integer, nullable=False),
        sa.Column("emergency_reserve", sa.Integer, nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.Column("set_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("household_size", sa.Integer, nullable=False),
        sa.Column("age_bands", sa.JSON, nullable=False),
        sa.Column("needs", sa.JSON, nullable=False),
        sa.Column("hard_to_place", sa.Boolean, nullable=False),
        sa.Column("linked_case_ids", sa.JSON, nullable=False),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("quota_year", sa.Integer, nullable=True),
        sa.Column("submission_category", sa.String(64), nullable=True),
        sa.Column("unhcr_case_number", sa.String(64), nullable=True),
        sa.Column("selected_on", sa.Date, nullable=True),
        sa.Column("selection_decided_on", sa.Date, nullable=True),
        sa.Column("application_id", sa.String(64), nullable=True, unique=True),
        sa.Column("permit_id", sa.String(64), nullable=True),
        sa.Column("person_ref", sa.String(64), nullable=True),
        sa.Column("permit_valid_from", sa.Date, nullable=True),
        sa.Column("waiting_since", sa.Date, nullable=True),
        sa.Column("placement_id", sa.String(64), nullable=True),
        sa.Column("municipality_code", sa.String(16), nullable=True),
        sa.Column("county_code", sa.String(16), nullable=True),
        sa.Column("assigned_on", sa.Date, nullable=True),
        sa.Column("arrived_on", sa.Date, nullable=True),
        sa.Column("settled_on", sa.Date, nullable=True),
    )
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_quota_year", "cases", ["quota_year"])
    op.create_index("ix_cases_waiting_since", "cases", ["waiting_since"])
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("member_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("age_band", sa.String(16), nullable=False),
        sa.Column("full_name", sa.String(255), nullable=True),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("sex", sa.String(16), nullable=True),
        sa.Column("nationality", sa.String(3), nullable=True),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("education", sa.String(200), nullable=True),
    )
    op.create_table(
        "agreements",
        sa.Column("agreement_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("municipality_code", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("agreed_on", sa.Date, nullable=False),
        sa.Column("agreed_places", sa.Integer, nullable=False),
        sa.Column("assignable_places", sa.Integer, nullable=False),
        sa.Column("accessible_places", sa.Integer, nullable=False),
        sa.Column("dwellings", sa.JSON, nullable=False),
        sa.Column("specialist_care_access", sa.Boolean, nullable=False),
        sa.Column("receives_unaccompanied_minors", sa.Boolean, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("revised_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.UniqueConstraint("municipality_code", "year", name="uq_agreements_municipality_year"),
    )
    op.create_index("ix_agreements_county_code", "agreements", ["county_code"])
    op.create_table(
        "placements",
        sa.Column("placement_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("agreement_id", sa.String(64), sa.ForeignKey("agreements.agreement_id"), nullable=False),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("municipality_code", sa.String(16), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("household_size", sa.Integer, nullable=False),
        sa.Column("accessible", sa.Boolean, nullable=False),
        sa.Column("dwelling", sa.String(32), nullable=True),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("offered_at", UtcDateTime(), nullable=False),
        sa.Column("offered_by", sa.String(128), nullable=False),
        sa.Column("answer_due_on", sa.Date, nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("decline_reason", sa.String(64), nullable=True),
        sa.Column("decline_reason_text", sa.Text, nullable=True),
        sa.Column("withdrawn_at", UtcDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text, nullable=True),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
        sa.Column("arrival_planned_on", sa.Date, nullable=True),
        sa.Column("arrived_on", sa.Date, nullable=True),
        sa.Column("settled_on", sa.Date, nullable=True),
    )
    op.create_index("ix_placements_case_id", "placements", ["case_id"])
    op.create_index("ix_placements_agreement_id", "placements", ["agreement_id"])
    op.create_index("ix_placements_municipality_code", "placements", ["municipality_code"])
    op.create_table(
        "refused_declines",
        sa.Column("attempt_id", sa.String(64), primary_key=True),
        sa.Column("placement_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("municipality_code", sa.String(16), nullable=False),
        sa.Column("attempted_at", UtcDateTime(), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("ground", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("reason_text", sa.Text, nullable=False),
    )
    op.create_index("ix_refused_declines_placement_id", "refused_declines", ["placement_id"])
    op.create_table(
        "matching_runs",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(128), nullable=True, unique=True),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("ran_at", UtcDateTime(), nullable=False),
        sa.Column("ran_by", sa.String(128), nullable=False),
        sa.Column("waiting_cases", sa.Integer, nullable=False),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("unplaced", sa.Integer, nullable=False),
        sa.Column("offers_sent", sa.Boolean, nullable=False),
    )
    op.create_index("ix_matching_runs_county_code", "matching_runs", ["county_code"])
    op.create_table(
        "proposals",
        sa.Column("run_id", sa.String(64), sa.ForeignKey("matching_runs.run_id"), primary_key=True),
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("agreement_id", sa.String(64), nullable=False),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("municipality_code", sa.String(16), nullable=False),
        sa.Column("household_size", sa.Integer, nullable=False),
        sa.Column("accessible", sa.Boolean, nullable=False),
        sa.Column("dwelling", sa.String(32), nullable=True),
        sa.Column("placement_id", sa.String(64), nullable=True),
    )
    op.create_table(
        "passed_over",
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("waiting_since", sa.Date, nullable=False),
        sa.Column("passed_at", UtcDateTime(), nullable=False),
        sa.Column("passed_by", sa.String(128), nullable=False),
        sa.Column("county_code", sa.String(16), nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("overtaken_by", sa.String(64), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("placement_id", sa.String(64), nullable=True),
        sa.Column("binding", sa.Boolean, nullable=False),
    )
    op.create_index("ix_passed_over_case_id", "passed_over", ["case_id"])
    op.create_index("ix_passed_over_passed_at", "passed_over", ["passed_at"])
    op.create_index("ix_passed_over_run_id", "passed_over", ["run_id"])


def downgrade() -> None:
    op.drop_table("passed_over")
    op.drop_table("proposals")
    op.drop_table("matching_runs")
    op.drop_table("refused_declines")
    op.drop_table("placements")
    op.drop_table("agreements")
    op.drop_table("case_members")
    op.drop_table("cases")
    op.drop_table("quotas")
