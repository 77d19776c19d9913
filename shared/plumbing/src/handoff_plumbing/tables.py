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
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True, index=True),
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
        Column("received_at", UtcDateTime(), nullable=False),
    ]


def define_plumbing_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add ``outbox`` and ``inbox`` to a service's metadata."""
    outbox = Table("outbox", metadata, *outbox_columns())
    inbox = Table("inbox", metadata, *inbox_columns())
    return outbox, inbox
