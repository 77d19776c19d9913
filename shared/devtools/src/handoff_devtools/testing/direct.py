"""Events handed straight to a service's own consumers: the real inbox, handlers and outbox, no broker.

For handler-tier tests and for seeding a service (``tools/screenshots.py``): fast and
deterministic, with the very code path a record from Kafka takes after the poll.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from handoff_plumbing.consumer import Result
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas import Event, attributes_for, encode

Message = tuple[bytes, bytes, list[tuple[str, bytes]]]


def message(event: Event, *, source: str, key: str | None = None) -> Message:
    """``(key, value, headers)`` of ``event`` as a relay puts it on Kafka: a binary-mode CloudEvent."""
    attributes = attributes_for(event, source=source, now=datetime.now(UTC))
    headers = [(name, value.encode()) for name, value in attributes.to_headers().items()]
    return (key or event.aggregate_id()).encode(), encode(event), headers


@dataclass
class FakeRecord:
    """What the consumer reads of a Kafka record."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    partition: int = 0
    offset: int = field(default_factory=lambda: uuid.uuid4().int % 1_000_000)


async def feed_events(runtime: ServiceRuntime, *events: Event, source: str) -> list[Result]:
    """Hand each event to the consumer of ``runtime`` subscribed to its topic, in order."""
    results = []
    for event in events:
        key, value, headers = message(event, source=source)
        topic = runtime.settings.topic(event.topic.name)
        [consumer] = [c for c in runtime.consumers if event.topic.name in c.subscription.topics]
        results.append(await consumer.process(FakeRecord(topic, key, value, headers)))  # type: ignore[arg-type]
    return results
