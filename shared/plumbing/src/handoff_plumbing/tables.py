"""The outbox and inbox tables that every service's database carries.

The outbox row follows Debezium's outbox event router shape: id, aggregate type,
aggregate id (the Kafka key), event type, payload, plus the CloudEvents headers and the
W3C trace context captured when the row was written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is timezone-aware UTC going in and coming out, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: every timestamp must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


CASE_TRACES = "case_traces"

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQUENCE_TYPE = BigInteger().with_variant(Integer(), "sqlite")


def outbox_columns() -> list[Column[object]]:
    """The outbox as every service's first migration created it (never change: add below)."""
    return [
        Column("position", _SEQUENCE_TYPE, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(255), nullable=False),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(255), nullable=False),
        Column("event_type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True, index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    ]


def outbox_parking_columns() -> list[Column[object]]:
    """Added by each service's plumbing-v2 migration: rows Kafka refused for good.

    A parked row holds back only the later rows of its own aggregate (same topic and key);
    an operator releases it (``parked_at`` cleared: the relay tries again) or drops it
    (``dropped_at``): both are recorded in ``operator_actions``.
    """
    return [
        Column("parked_at", UtcDateTime(), nullable=True),
        Column("dropped_at", UtcDateTime(), nullable=True),
    ]


def inbox_columns() -> list[Column[object]]:
    return [
        Column("consumer", String(128), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(255), nullable=False),
        Column("topic", String(255), nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("received_at", UtcDateTime(), nullable=False),
    ]


def dead_letter_columns() -> list[Column[object]]:
    """Every dead letter as it came, kept where an operator can read and re-drive it."""
    return [
        Column("dead_letter_id", String(64), primary_key=True),
        Column("consumer", String(128), nullable=False),
        Column("consumer_group", String(255), nullable=False),
        Column("topic", String(255), nullable=False, index=True),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("key", LargeBinary, nullable=True),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("event_id", String(255), nullable=True),
        Column("event_type", String(255), nullable=False),
        Column("error_type", String(255), nullable=False),
        Column("error_message", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("dead_lettered_at", UtcDateTime(), nullable=False, index=True),
        Column("redriven_at", UtcDateTime(), nullable=True),
        Column("redriven_by", String(255), nullable=True),
        Column("redrive_reason", Text, nullable=True),
        Column("redrive_event_id", String(64), nullable=True),
    ]


def operator_action_columns() -> list[Column[object]]:
    """What operators did to the plumbing (release or drop a parked row, re-drive a dead letter)."""
    return [
        Column("action_id", String(64), primary_key=True),
        Column("at", UtcDateTime(), nullable=False),
        Column("actor", String(255), nullable=False),
        Column("action", String(64), nullable=False),
        Column("target", String(255), nullable=False),
        Column("reason", Text, nullable=False),
        Column("detail", JSON, nullable=False),
    ]


def case_trace_columns() -> list[Column[object]]:
    """Added by each service's case-trace migration: the trace context each case was first
    seen under (see :mod:`handoff_plumbing.case_trace`; never change: add below)."""
    return [
        Column("case_ref", String(255), primary_key=True),
        Column("traceparent", String(64), nullable=False),
        Column("tracestate", String(512), nullable=True),
        Column("first_seen", UtcDateTime(), nullable=False),
    ]


def define_plumbing_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add the plumbing's tables to a service's metadata; returns ``(outbox, inbox)``.

    ``dead_letters``, ``operator_actions`` and ``case_traces`` are added too
    (``metadata.tables[...]``).
    """
    outbox = Table(
        "outbox",
        metadata,
        *outbox_columns(),
        *outbox_parking_columns(),
        Index("ix_outbox_parked_at", "parked_at"),
        Index("ix_outbox_pending", "published_at", "position"),
    )
    inbox = Table("inbox", metadata, *inbox_columns())
    Table("dead_letters", metadata, *dead_letter_columns())
    Table("operator_actions", metadata, *operator_action_columns())
    Table(CASE_TRACES, metadata, *case_trace_columns())
    return outbox, inbox
