"""Publishing from outside systems: validate a JSON document against an event's schema and
publish it as a CloudEvent to the right topic with the right key.

    KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_SASL_USERNAME=police-handover KAFKA_SASL_PASSWORD=... \\
    python -m handoff_schemas.publish handoff.police.removal-plan-created.v1 plan.json \\
        --source urn:police:department-helsinki --bootstrap-servers kafka:9092

Invalid input is refused with one line per problem naming the field and the rule, and
nothing is published. The client authenticates as :mod:`handoff_schemas.kafka_client`
reads from the environment (the password only ever from ``KAFKA_SASL_PASSWORD``). Needs the
``publish`` extra (aiokafka).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from handoff_schemas.base import EVENT_TYPES, Event
from handoff_schemas.envelope import CloudEventAttributes, attributes_for, encode
from handoff_schemas.kafka_client import KafkaSecurity


class InvalidDocument(ValueError):
    """The document is not a valid event of that type; ``problems`` name field and rule."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Published:
    topic: str
    key: str
    partition: int
    offset: int
    attributes: CloudEventAttributes


def validate_document(event_type: str, document: Any) -> Event:
    """The event ``document`` describes, or :class:`InvalidDocument` saying what is wrong."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        known = ", ".join(sorted(t for t in EVENT_TYPES if t.startswith("handoff.")))
        raise InvalidDocument([f"event type: unknown {event_type!r} (known: {known})"])
    try:
        if isinstance(document, str | bytes):
            return model.model_validate_json(document)
        return model.model_validate(document)
    except ValidationError as exc:
        raise InvalidDocument(
            [
                f"{'.'.join(str(p) for p in error['loc']) or '(document)'}: {error['msg']} [{error['type']}]"
                for error in exc.errors()
            ]
        ) from exc


async def publish_document(
    event_type: str,
    document: Any,
    *,
    bootstrap_servers: str,
    source: str,
    topic_prefix: str = "",
    now: datetime | None = None,
    security: KafkaSecurity | None = None,
) -> Published:
    """Validate, then publish with ``acks=all`` and the idempotent producer, authenticating as
    ``security`` says (default: from the environment)."""
    from aiokafka import AIOKafkaProducer

    event = validate_document(event_type, document)
    if not source:
        raise InvalidDocument(["source: required (who publishes: the CloudEvents ce_source)"])
    security = security if security is not None else KafkaSecurity.from_env()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True, **security.client_options()
    )
    await producer.start()
    try:
        return await (await send_event(producer, event, source=source, topic_prefix=topic_prefix, now=now))
    finally:
        await producer.stop()


async def send_event(
    producer: Any, event: Event, *, source: str, topic_prefix: str = "", now: datetime | None = None
) -> Awaitable[Published]:
    """Hand a valid ``event`` to a started producer (``acks=all``, idempotent) as a CloudEvent on
    its topic, keyed by its aggregate; await the result for Kafka's acknowledgement. Events
    sent one after another keep their order per key."""
    attributes = attributes_for(event, source=source, now=now or datetime.now(UTC))
    topic = f"{topic_prefix}{event.topic.name}"
    key = event.aggregate_id()
    delivery = await producer.send(
        topic,
        value=encode(event),
        key=key.encode(),
        headers=[(name, value.encode()) for name, value in attributes.to_headers().items()],
    )

    async def acknowledged() -> Published:
        metadata = await delivery
        return Published(topic, key, metadata.partition, metadata.offset, attributes)

    return acknowledged()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handoff_schemas.publish",
        description="Validate a JSON document against an event's schema and publish it as a CloudEvent.",
    )
    parser.add_argument("event_type", help="e.g. handoff.police.removal-plan-created.v1")
    parser.add_argument("document", help="a JSON file, or - for standard input")
    parser.add_argument("--source", required=True, help="the publishing system (CloudEvents ce_source)")
    parser.add_argument("--bootstrap-servers", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", ""))
    parser.add_argument("--topic-prefix", default=os.environ.get("KAFKA_TOPIC_PREFIX", ""))
    parser.add_argument("--check", action="store_true", help="validate only; publish nothing")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.document == "-" else Path(args.document).read_text(encoding="utf-8")
    try:
        if args.check:
            event = validate_document(args.event_type, text)
            sys.stdout.write(
                json.dumps({"valid": True, "topic": event.topic.name, "key": event.aggregate_id()})
            )
            sys.stdout.write("\n")
            return 0
        if not args.bootstrap_servers:
            parser.error("--bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) is required to publish")
        published = asyncio.run(
            publish_document(
                args.event_type,
                text,
                bootstrap_servers=args.bootstrap_servers,
                source=args.source,
                topic_prefix=args.topic_prefix,
            )
        )
    except InvalidDocument as exc:
        for problem in exc.problems:
            sys.stderr.write(f"invalid: {problem}\n")
        sys.stderr.write("nothing was published\n")
        return 2
    result = {
        "topic": published.topic,
        "key": published.key,
        "partition": published.partition,
        "offset": published.offset,
        "ce_id": published.attributes.id,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
