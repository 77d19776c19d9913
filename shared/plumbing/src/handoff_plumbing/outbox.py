"""Writing events to the outbox, inside the transaction of the state change that caused them."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opentelemetry import propagate
from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas import Event, attributes_for, encode


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


async def add_event(
    session: AsyncSession,
    outbox: Table,
    event: Event,
    *,
    source: str,
    now: datetime,
    topic: str,
) -> str:
    """Stage ``event`` in the outbox; it is published only if the session commits.

    Returns the CloudEvent id.
    """
    attributes = attributes_for(event, source=source, now=now)
    headers: dict[str, bytes] = {k: v.encode() for k, v in attributes.to_headers().items()}
    headers.update(trace_headers())
    await add_raw(
        session,
        outbox,
        event_id=attributes.id,
        topic=topic,
        aggregate_type=event.topic.aggregate,
        aggregate_id=event.aggregate_id(),
        event_type=event.event_type,
        payload=encode(event),
        headers=headers,
        now=now,
    )
    return attributes.id


async def add_raw(
    session: AsyncSession,
    outbox: Table,
    *,
    event_id: str,
    topic: str,
    aggregate_type: str,
    aggregate_id: str,
    event_type: str,
    payload: bytes,
    headers: Mapping[str, bytes],
    now: datetime,
) -> None:
    """Stage an already-encoded message (dead letters use this to keep the original bytes)."""
    values: dict[str, Any] = {
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
    await session.execute(insert(outbox).values(**values))
