"""Writing events to the outbox, inside the transaction of the state change that caused them.

A unit of work stages its rows (:func:`event_row`, :func:`raw_row`) and writes them with one
statement when it commits (:func:`write`), so a batch of events costs one round trip to
the database, not one per event.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from opentelemetry import propagate
from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.case_trace import CaseTrace
from handoff_schemas import Event, attributes_for, encode

TRACE_HEADERS = frozenset({"traceparent", "tracestate"})
# What a Kafka record costs beyond its key, value and headers (batch and record framing).
RECORD_OVERHEAD_BYTES = 512


class MessageTooLarge(ValueError):
    """An event larger than a Kafka message may be: it would never leave the outbox."""


def message_size(payload: bytes, headers: Mapping[str, bytes | str], key: str = "") -> int:
    """An upper estimate of the record's size on the wire (stored base64 values count as is)."""
    return (
        len(payload)
        + len(key.encode())
        + sum(len(name.encode()) + len(value) for name, value in headers.items())
        + RECORD_OVERHEAD_BYTES
    )


def encode_header_list(headers: Sequence[tuple[str, bytes]]) -> list[list[str]]:
    """Headers as they came (names may repeat), values base64-encoded, for JSON columns."""
    return [[name, base64.b64encode(value).decode("ascii")] for name, value in headers]


def decode_header_list(stored: Sequence[Sequence[str]]) -> list[tuple[str, bytes]]:
    return [(name, base64.b64decode(value)) for name, value in stored]


def encode_headers(headers: Mapping[str, bytes]) -> dict[str, str]:
    """Kafka header values are bytes; they are stored base64-encoded so nothing is lost."""
    return {name: base64.b64encode(value).decode("ascii") for name, value in headers.items()}


def decode_headers(stored: Mapping[str, str]) -> list[tuple[str, bytes]]:
    return [(name, base64.b64decode(value)) for name, value in stored.items()]


def trace_headers() -> dict[str, bytes]:
    """The current trace context (``traceparent``, ``tracestate``) as message headers."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {name: value.encode() for name, value in carrier.items()}


def row_trace(row: Mapping[str, Any]) -> CaseTrace | None:
    """The trace context an outbox row was written in, or None (no span was current).

    :func:`event_row` injected it from the current span, so it is valid as it is.
    """
    stored: Mapping[str, str] = row["headers"]
    parent = stored.get("traceparent")
    if parent is None:
        return None
    state = stored.get("tracestate")
    return CaseTrace(
        base64.b64decode(parent).decode("ascii"),
        base64.b64decode(state).decode("ascii") if state is not None else None,
    )


def set_row_trace(row: dict[str, Any], context: CaseTrace) -> None:
    """Publish the row in ``context`` instead (its ``traceparent`` and ``tracestate``)."""
    headers = {name: value for name, value in row["headers"].items() if name not in TRACE_HEADERS}
    headers.update(encode_headers({name: value.encode() for name, value in context.carrier().items()}))
    row["headers"] = headers


def event_row(event: Event, *, source: str, now: datetime, topic: str) -> dict[str, Any]:
    """The outbox row of ``event``: its CloudEvents headers, the current trace context, its JSON."""
    attributes = attributes_for(event, source=source, now=now)
    headers: dict[str, bytes] = {k: v.encode() for k, v in attributes.to_headers().items()}
    headers.update(trace_headers())
    return raw_row(
        event_id=attributes.id,
        topic=topic,
        aggregate_type=event.topic.aggregate,
        aggregate_id=event.aggregate_id(),
        event_type=event.event_type,
        payload=encode(event),
        headers=headers,
        now=now,
    )


def raw_row(
    *,
    event_id: str,
    topic: str,
    aggregate_type: str,
    aggregate_id: str,
    event_type: str,
    payload: bytes,
    headers: Mapping[str, bytes],
    now: datetime,
) -> dict[str, Any]:
    """The outbox row of an already-encoded message (dead letters keep the original bytes)."""
    return {
        "event_id": event_id,
        "topic": topic,
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "event_type": event_type,
        "payload": payload,
        "headers": encode_headers(headers),
        "created_at": now,
        "attempts": 0,
    }


async def write(session: AsyncSession, outbox: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Stage ``rows`` in the session's transaction, in order, with one statement."""
    if rows:
        await session.execute(insert(outbox), list(rows))
