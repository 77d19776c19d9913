"""The outbox and inbox tables that every service's database carries.

The outbox row follows Debezium's outbox event router shape: id, aggregate type,
aggregate id (the Kafka key), event type, payload, plus the CloudEvents headers and the
W3C trace context captured when the row was written.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQUENCE_TYPE = BigInteger().with_variant(Integer(), "sqlite")


def outbox_columns() -> list[Column[object]]:
    return [
        Column("position", _SEQUENCE_TYPE, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(255), nullable=False),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(255), nullable=False),
        Column("event_type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True, index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    ]


def inbox_columns() -> list[Column[object]]:
    return [
        Column("consumer", String(128), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(255), nullable=False),
        Column("topic", String(255), nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
    ]


def define_plumbing_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add ``outbox`` and ``inbox`` to a service's metadata."""
    outbox = Table("outbox", metadata, *outbox_columns())
    inbox = Table("inbox", metadata, *inbox_columns())
    return outbox, inbox
