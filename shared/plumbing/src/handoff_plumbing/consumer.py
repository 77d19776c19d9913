"""Consuming events: envelope checks, inbox, bounded retries with backoff, dead letters.

For each Kafka record, in partition order:

1. The CloudEvents headers and the body are checked against the registry. A malformed
   message or an unknown event type is dead-lettered at once: retrying cannot mend it.
2. An event type the service does not handle is skipped (acknowledged, no effect).
3. The handler runs in a unit of work together with the inbox record, so the effect and
   the "seen" mark commit together; an event already in the inbox has no second effect.
4. A handler that fails is retried with exponential backoff up to ``max_attempts``; then
   the message goes to the service's dead-letter topic (through the outbox, in the same
   transaction as an inbox record) with the payload, the original headers, the error type
   and message, and the attempt count, and the consumer carries on.

Only when one of these outcomes is durable does ``process`` return, and only then may the
offset be committed (see :class:`handoff_plumbing.broker.OffsetCommitter`). If
the database itself fails, ``process`` raises, the offset is rewound and the record is
consumed again: nothing is skipped.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import structlog
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Table

from handoff_plumbing import inbox, metrics
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import EVENT_TYPES, CloudEventAttributes, EnvelopeError, Event
from handoff_schemas import decode as decode_event
from handoff_schemas import decode_headers as decode_header_values

log = structlog.get_logger("handoff.consumer")
tracer = trace.get_tracer("handoff.consumer")


class Record(Protocol):
    """What the consumer needs of a Kafka record (aiokafka's ConsumerRecord fits)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


@dataclass(frozen=True)
class EventContext:
    """Where an event came from, for handlers that need more than the payload."""

    attributes: CloudEventAttributes
    topic: str
    partition: int
    offset: int
    key: str | None


Handler = Callable[[Any, EventContext, UnitOfWork], Awaitable[None]]


class Result(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    DEAD_LETTERED = "dead_lettered"


@dataclass
class Subscription:
    """One consumer of a service: the topics it reads and a handler per event type."""

    name: str
    topics: Sequence[str]
    handlers: Mapping[type[Event], Handler] = field(default_factory=dict)

    def handler_for(self, event_type: str) -> Handler | None:
        for model, handler in self.handlers.items():
            if model.event_type == event_type:
                return handler
        return None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    initial_seconds: float = 0.2
    max_seconds: float = 5.0

    def delay(self, attempt: int) -> float:
        """Backoff before attempt ``attempt + 1``, doubling from ``initial_seconds``."""
        return float(min(self.max_seconds, self.initial_seconds * 2 ** (attempt - 1)))


class _Failure(Exception):
    def __init__(self, error: BaseException, attempts: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.attempts = attempts


class EventConsumer:
    def __init__(
        self,
        subscription: Subscription,
        *,
        uow_factory: Callable[[], UnitOfWork],
        inbox_table: Table,
        dead_letter_topic: str,
        retry: RetryPolicy,
        consumer_group: str,
        service: str,
    ) -> None:
        self.subscription = subscription
        self.service = service
        self._uow = uow_factory
        self._inbox = inbox_table
        self._dead_letter_topic = dead_letter_topic
        self._retry = retry
        self._group = consumer_group

    @property
    def name(self) -> str:
        return self.subscription.name

    async def process(self, record: Record) -> Result:
        """Take one record; returns once its outcome is durable, raises if it could not be."""
        started = time.perf_counter()
        raw_headers = list(record.headers or ())
        carrier = _trace_carrier(raw_headers)
        with tracer.start_as_current_span(
            f"{record.topic} process",
            context=propagate.extract(carrier),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "process",
                "messaging.destination.name": record.topic,
                "messaging.kafka.destination.partition": record.partition,
                "messaging.kafka.message.offset": record.offset,
                "messaging.consumer.group.name": self._group,
            },
        ) as span:
            result = await self._process(record, raw_headers, span)
            span.set_attribute("handoff.consumer.result", result.value)
            metrics.record_taken(self.service, self.name, result.value, time.perf_counter() - started)
            return result

    async def _process(
        self, record: Record, raw_headers: list[tuple[str, bytes]], span: trace.Span
    ) -> Result:
        body = record.value or b""
        try:
            headers = decode_header_values(raw_headers)
            attributes = CloudEventAttributes.from_headers(headers)
        except EnvelopeError as exc:
            return await self._dead_letter(record, raw_headers, None, exc, attempts=1)
        span.set_attribute("messaging.message.id", attributes.id)
        span.set_attribute("cloudevents.event_type", attributes.type)
        bound = log.bind(
            consumer=self.name,
            event_id=attributes.id,
            event_type=attributes.type,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
        )
        handler = self.subscription.handler_for(attributes.type)
        if handler is None and attributes.type in EVENT_TYPES:
            bound.debug("event type not handled here; skipped")
            return Result.SKIPPED
        try:
            event = decode_event(attributes, body)
        except EnvelopeError as exc:
            return await self._dead_letter(record, raw_headers, attributes, exc, attempts=1)
        assert handler is not None  # a registered type decoded; unknown types raised above
        context = EventContext(
            attributes=attributes,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode(errors="replace") if record.key is not None else None,
        )
        try:
            result = await self._handle_with_retries(event, context, handler, bound)
        except _Failure as failure:
            span.record_exception(failure.error)
            span.set_status(Status(StatusCode.ERROR, str(failure.error)))
            return await self._dead_letter(
                record, raw_headers, attributes, failure.error, attempts=failure.attempts
            )
        bound.info("event taken", result=result.value)
        return result

    async def _handle_with_retries(
        self, event: Event, context: EventContext, handler: Handler, bound: Any
    ) -> Result:
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._handle_once(event, context, handler)
            except Exception as exc:
                if attempt >= self._retry.max_attempts:
                    bound.error("handler failed; dead-lettering", attempts=attempt, error=repr(exc))
                    raise _Failure(exc, attempt) from exc
                delay = self._retry.delay(attempt)
                bound.warning("handler failed; retrying", attempt=attempt, retry_in=delay, error=repr(exc))
                await asyncio.sleep(delay)

    async def _handle_once(self, event: Event, context: EventContext, handler: Handler) -> Result:
        event_id = context.attributes.id
        async with self._uow() as uow:
            if await inbox.seen(uow.session, self._inbox, consumer=self.name, event_id=event_id):
                return Result.DUPLICATE
            await handler(event, context, uow)
            await inbox.record(
                uow.session,
                self._inbox,
                consumer=self.name,
                event_id=event_id,
                event_type=context.attributes.type,
                topic=context.topic,
                outcome=inbox.Outcome.PROCESSED,
                now=uow.clock.now(),
            )
            await uow.commit()
        return Result.PROCESSED

    async def _dead_letter(
        self,
        record: Record,
        raw_headers: list[tuple[str, bytes]],
        attributes: CloudEventAttributes | None,
        error: BaseException,
        *,
        attempts: int,
    ) -> Result:
        # Keyed by position, not by ce_id: every bad message is dead-lettered once, even
        # one whose id is missing or repeats another's; its redelivery is a no-op.
        position = f"{record.topic}:{record.partition}:{record.offset}"
        event_type = attributes.type if attributes else "unknown"
        headers = dict(raw_headers)
        headers.update(
            {
                "dlq_original_topic": record.topic.encode(),
                "dlq_original_partition": str(record.partition).encode(),
                "dlq_original_offset": str(record.offset).encode(),
                "dlq_consumer": self.name.encode(),
                "dlq_consumer_group": self._group.encode(),
                "dlq_error_type": type(error).__name__.encode(),
                "dlq_error_message": str(error)[:4000].encode(),
                "dlq_attempts": str(attempts).encode(),
            }
        )
        async with self._uow() as uow:
            if await inbox.seen(uow.session, self._inbox, consumer=self.name, event_id=position):
                return Result.DUPLICATE
            await uow.publish_raw(
                event_id=str(uuid.uuid4()),
                topic=self._dead_letter_topic,
                aggregate_type="dead-letter",
                aggregate_id=(record.key or b"").decode(errors="replace") or position,
                event_type=event_type,
                payload=record.value or b"",
                headers=headers,
            )
            await inbox.record(
                uow.session,
                self._inbox,
                consumer=self.name,
                event_id=position,
                event_type=event_type,
                topic=record.topic,
                outcome=inbox.Outcome.DEAD_LETTERED,
                now=uow.clock.now(),
            )
            await uow.commit()
        log.error(
            "message dead-lettered",
            consumer=self.name,
            event_id=attributes.id if attributes else None,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error_type=type(error).__name__,
            error=str(error),
            attempts=attempts,
        )
        return Result.DEAD_LETTERED


def _trace_carrier(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name in ("traceparent", "tracestate"):
            try:
                carrier[name] = value.decode()
            except UnicodeDecodeError:
                continue
    return carrier
