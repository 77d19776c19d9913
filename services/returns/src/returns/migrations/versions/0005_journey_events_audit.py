"""The rest of a case's journey: closings with their reason, travel cancelled, impediment decisions,
Dublin outcomes, departures' and removals' destinations (for the Eurostat figures), and the
personal-data audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from handoff_plumbing.plumbing_migrations import downgrade_audit, upgrade_audit

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_COLUMNS = (
    ("closure_reason", sa.String(32)),
    ("departed_to", sa.String(3)),
    ("removed_on", sa.Date()),
    ("removed_to", sa.String(3)),
)
BOOKING_COLUMNS = (("cancelled_on", sa.Date()), ("cancellation_reason", sa.String(32)))
IMPEDIMENT_COLUMNS = (
    ("decided_on", sa.Date()),
    ("outcome", sa.String(32)),
    ("inhibition_ordered", sa.Boolean()),
)
ADDED = {
    "return_cases": CASE_COLUMNS,
    "travel_bookings": BOOKING_COLUMNS,
    "impediment_applications": IMPEDIMENT_COLUMNS,
    "decisions": (("destination_country", sa.String(3)),),
}


def upgrade() -> None:
    for table, columns in ADDED.items():
        with op.batch_alter_table(table) as batch:
            for name, kind in columns:
                batch.add_column(sa.Column(name, kind, nullable=True))
    # Cases closed before this revision get the reason their status implies.
    for status, reason in (
        ("departed", "voluntary_departure"),
        ("handed_over", "handed_over_to_police"),
        ("cancelled", "protection_granted"),
    ):
        op.execute(
            sa.text("UPDATE return_cases SET closure_reason = :reason WHERE status = :status").bindparams(
                reason=reason, status=status
            )
        )
    op.create_table(
        "dublin_outcomes",
        sa.Column("application_id", sa.String(64), primary_key=True),
        sa.Column("closure", sa.String(32), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
    )
    upgrade_audit()


def downgrade() -> None:
    downgrade_audit()
    op.drop_table("dublin_outcomes")
    for table, columns in ADDED.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in reversed(columns):
                batch.drop_column(name)
