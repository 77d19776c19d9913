"""The case traces: the trace context each case was first seen under, so that the events
this service publishes for a case continue the case's one trace (handoff_plumbing.case_trace).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from handoff_plumbing.plumbing_migrations import downgrade_case_traces, upgrade_case_traces

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    upgrade_case_traces()


def downgrade() -> None:
    downgrade_case_traces()
