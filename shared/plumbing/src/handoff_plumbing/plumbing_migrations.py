"""The plumbing's own schema changes, applied by one migration in every service.

A service's Alembic history owns its whole database, the plumbing's tables included; when
the plumbing grows, each service adds a revision that calls the step here, so that every
service's schema stays the same shape (a test compares migrations with the mapped tables).
"""

from __future__ import annotations

from alembic import op

from handoff_plumbing.audit import (
    ENTRIES,
    GENESIS,
    HEAD,
    audit_entry_columns,
    audit_head_columns,
    audit_indexes,
)
from handoff_plumbing.tables import dead_letter_columns, operator_action_columns, outbox_parking_columns


def upgrade_v2() -> None:
    """Parked outbox rows, the dead letters an operator can re-drive, and operators' actions."""
    with op.batch_alter_table("outbox") as outbox:
        for column in outbox_parking_columns():
            outbox.add_column(column)
    op.create_index("ix_outbox_parked_at", "outbox", ["parked_at"])
    # The relay's query: pending rows (published_at IS NULL) in outbox order, without a sort.
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "position"])
    op.create_table("dead_letters", *dead_letter_columns())
    op.create_table("operator_actions", *operator_action_columns())


def downgrade_v2() -> None:
    op.drop_table("operator_actions")
    op.drop_table("dead_letters")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_index("ix_outbox_parked_at", table_name="outbox")
    with op.batch_alter_table("outbox") as outbox:
        for column in outbox_parking_columns():
            outbox.drop_column(column.name)


_PG_FUNCTION = f"""
CREATE FUNCTION {ENTRIES}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the personal-data audit trail is append-only';
END
$$ LANGUAGE plpgsql
"""


def upgrade_audit() -> None:
    """The personal-data audit trail (:mod:`handoff_plumbing.audit`): its entries, its head, and
    triggers that refuse to change or delete an entry."""
    op.create_table(ENTRIES, *audit_entry_columns())
    for name, columns in audit_indexes():
        op.create_index(name, ENTRIES, columns)
    op.create_table(HEAD, *audit_head_columns())
    op.execute(f"INSERT INTO {HEAD} (chain, sequence, entry_hash) VALUES (1, 0, '{GENESIS}')")  # noqa: S608
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            f"CREATE TRIGGER {ENTRIES}_append_only BEFORE UPDATE OR DELETE ON {ENTRIES} "
            f"FOR EACH ROW EXECUTE FUNCTION {ENTRIES}_append_only()"
        )
    else:
        for change in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {ENTRIES}_no_{change.lower()} BEFORE {change} ON {ENTRIES} "
                "BEGIN SELECT RAISE(ABORT, 'the personal-data audit trail is append-only'); END"
            )


def downgrade_audit() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {ENTRIES}_append_only ON {ENTRIES}")
        op.execute(f"DROP FUNCTION IF EXISTS {ENTRIES}_append_only()")
    op.drop_table(HEAD)
    op.drop_table(ENTRIES)
