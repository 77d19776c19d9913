"""Consuming events: envelope checks, inbox, a batch per transaction, retries, dead letters.

The records that one poll returned (up to the subscriber's batch size) are taken together,
in partition order:

1. Each record's CloudEvents headers and body are checked against the registry. A
   malformed message or an unknown event type is to be dead-lettered at once: retrying
   cannot mend it. An event type the service does not handle is skipped (no effect).
2. One database transaction takes the whole batch. The inbox is asked once which of the
   batch's events this consumer has already taken; those (and repeats inside the batch)
   are duplicates with no second effect.
3. Each remaining event's handler runs in that transaction, in order, in a span of its
   own that continues the producer's trace; each dead letter is kept in the database and
   staged in the outbox. A run of consecutive events of types with a *batch handler* goes
   to it at once (one query for the run rather than one per event; same effect). Every
   outcome is staged as an inbox row, and the rows (inbox and outbox) are written with
   one statement each before the single commit: the effects and the "seen" marks of the
   whole batch commit together. The cases the batch's events belong to are remembered
   with the trace context they came in (one insert-if-absent statement for the batch), so
   that what this service publishes for a case later continues the case's trace
   (:mod:`handoff_plumbing.case_trace`).
4. A handler that fails must not take the others down. A failing batch handler's run is
   taken again event by event. A failing handler's transaction is rolled back;
   the records before the failing one are applied again in a transaction of their own
   (their handlers are deterministic over the same state), the failing record is retried
   alone with exponential backoff up to ``max_attempts`` and then dead-lettered (with the
   payload, the original headers, the error and the attempt count), and the records
   after it are taken as a batch again. If the commit itself fails, nobody knows which
   record was at fault: the batch is then taken one record at a time.

Only when every outcome of the batch is durable does ``process_batch`` return, and only
then may the offsets be committed (see :class:`handoff_plumbing.broker.OffsetCommitter`).
If the database itself fails, ``process_batch`` raises, the partitions are rewound to the
batch's first records and the batch is consumed again: nothing is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

import structlog
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Table, insert

from handoff_plumbing import case_trace, inbox, metrics, outbox
from handoff_plumbing.case_trace import CaseTrace
from handoff_plumbing.outbox import TRACE_HEADERS, encode_header_list
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import EVENT_TYPES, CloudEventAttributes, EnvelopeError, Event
from handoff_schemas import decode as decode_event
from handoff_schemas import decode_headers as decode_header_values
from handoff_schemas.envelope import REQUIRED_HEADERS

log = structlog.get_logger("handoff.consumer")
ENVELOPE_HEADERS = frozenset({*REQUIRED_HEADERS, "ce_subject"})
tracer = trace.get_tracer("handoff.consumer")


class Record(Protocol):
    """What the consumer needs of a Kafka record (aiokafka's ConsumerRecord fits)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def headers(self) -> Sequence[tuple[str, bytes]]: ...


@dataclass(frozen=True)
class EventContext:
    """Where an event came from, for handlers that need more than the payload."""

    attributes: CloudEventAttributes
    topic: str
    partition: int
    offset: int
    key: str | None
    span: Callable[[], AbstractContextManager[Any]] | None = field(default=None, repr=False, compare=False)

    def traced(self) -> AbstractContextManager[Any]:
        """The record's span, current while the block runs.

        A batch handler wraps each event's work in it, so that what the event causes (the
        events it publishes, the logs) continues the producer's trace, as a handler does.
        """
        return self.span() if self.span is not None else contextlib.nullcontext()


Handler = Callable[[Any, EventContext, UnitOfWork], Awaitable[None]]
BatchHandler = Callable[[Sequence[tuple[Any, EventContext]], UnitOfWork], Awaitable[None]]


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
    batch_handlers: Mapping[type[Event], BatchHandler] = field(default_factory=dict)
    """Optional, for event types that are much cheaper taken many at a time (one query for
    a run of events instead of one each): a batch handler gets a run of consecutive events
    of its types and must have exactly the effect of the type's handler called for each of
    them in order. A run that fails is taken again event by event, so one poison record is
    still isolated by the handlers."""

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


# --------------------------------------------------------------------------- one record's fate


@dataclass(eq=False)
class _Item:
    """One record of a batch, judged: an event to handle, a dead letter, or nothing to do."""

    index: int
    record: Record
    headers: list[tuple[str, bytes]]
    attributes: CloudEventAttributes | None = None
    event: Event | None = None
    handler: Handler | None = None
    error: BaseException | None = None  # set: to be dead-lettered
    attempts: int = 1
    result: Result | None = None
    batchable: bool = True  # cleared when its run failed: then its own handler takes it

    @property
    def inbox_id(self) -> str:
        """The event id, or for a dead letter its position: every bad message is recorded once,
        even one whose id is missing or repeats another's; its redelivery is a no-op."""
        if self.error is None and self.attributes is not None:
            return self.attributes.id
        record = self.record
        return getattr(record, "position_id", None) or f"{record.topic}:{record.partition}:{record.offset}"


class _RunFailed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _HandlerFailed(Exception):
    def __init__(self, item: _Item, error: BaseException) -> None:
        super().__init__(str(error))
        self.item = item
        self.error = error


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
        dead_letters_table: Table,
        max_message_bytes: int = 1_000_000,
        service: str = "",
    ) -> None:
        self.subscription = subscription
        self.service = service
        self._uow = uow_factory
        self._inbox = inbox_table
        self._dead_letter_topic = dead_letter_topic
        self._retry = retry
        self._group = consumer_group
        self._dead_letters = dead_letters_table
        self._max_message_bytes = max_message_bytes
        self._case_traces = inbox_table.metadata.tables.get("case_traces")
        self._handlers = {model.event_type: handler for model, handler in subscription.handlers.items()}
        self._batch_handlers = {
            model.event_type: handler for model, handler in subscription.batch_handlers.items()
        }

    @property
    def name(self) -> str:
        return self.subscription.name

    async def process(self, record: Record) -> Result:
        """Take one record; returns once its outcome is durable, raises if it could not be."""
        [result] = await self.process_batch([record])
        return result

    async def process_batch(self, records: Sequence[Record]) -> list[Result]:
        """Take a poll's records, in order; returns once every outcome is durable."""
        started = time.perf_counter()
        items = [self._judge(index, record) for index, record in enumerate(records)]
        await self._apply([item for item in items if item.result is None])
        results = [item.result for item in items]
        assert all(result is not None for result in results)
        each = (time.perf_counter() - started) / max(1, len(items))
        for result in results:
            metrics.record_taken(self.service, self.name, result.value, each)  # type: ignore[union-attr]
        return results  # type: ignore[return-value]

    # ------------------------------------------------------------------ 1. judging a record

    def _judge(self, index: int, record: Record) -> _Item:
        item = _Item(index, record, list(record.headers or ()))
        try:
            # Only the envelope's headers must be text; any other header (a trace context
            # that is not even UTF-8, say) is the producer's business and judged elsewhere.
            envelope = [(name, value) for name, value in item.headers if name in ENVELOPE_HEADERS]
            item.attributes = CloudEventAttributes.from_headers(decode_header_values(envelope))
        except EnvelopeError as exc:
            item.error = exc
            return item
        handler = self._handlers.get(item.attributes.type)
        if handler is None and item.attributes.type in EVENT_TYPES:
            item.result = Result.SKIPPED  # a known event this service does not act on
            with self._span(item) as span:  # the trace shows the service saw it
                span.set_attribute("handoff.consumer.result", Result.SKIPPED.value)
            return item
        try:
            item.event = decode_event(item.attributes, record.value or b"")
        except EnvelopeError as exc:
            item.error = exc
            return item
        item.handler = handler
        return item

    # ------------------------------------------------------------------ 2.-4. applying a batch

    async def _apply(self, items: list[_Item]) -> None:
        """Apply ``items`` in one transaction; isolate a failing handler (step 4)."""
        while items:
            try:
                await self._transaction(items)
                return
            except _RunFailed as failed:
                log.warning("batch handler failed; taking its events one by one", error=repr(failed.error))
                continue
            except _HandlerFailed as failed:
                position = next(i for i, item in enumerate(items) if item is failed.item)
                before, after = items[:position], items[position + 1 :]
                await self._apply(before)
                await self._alone(failed.item, failed.error)
                items = after
            except Exception as exc:  # noqa: BLE001  (the commit failed: nobody knows whose fault)
                if len(items) == 1:
                    await self._alone(items[0], exc)
                    return
                log.warning("batch commit failed; taking its records one by one", error=repr(exc))
                for item in items:
                    await self._apply([item])
                return

    async def _transaction(self, items: list[_Item]) -> None:
        outcomes: dict[int, Result] = {}
        rows: list[dict[str, Any]] = []
        run: list[_Item] = []  # consecutive events for one batch handler, not yet handled
        run_handler: BatchHandler | None = None
        async with self._uow() as uow:
            seen = await inbox.seen_any(
                uow.session, self._inbox, consumer=self.name, event_ids=[item.inbox_id for item in items]
            )
            now = uow.clock.now()
            if self._case_traces is not None:
                await self._remember_cases(uow, [item for item in items if item.inbox_id not in seen], now)
            for item in items:
                if item.inbox_id in seen:
                    outcomes[item.index] = Result.DUPLICATE
                    continue
                seen.add(item.inbox_id)
                batch = (
                    self._batch_handlers.get(item.attributes.type)
                    if item.attributes and item.batchable
                    else None
                )
                if run and batch is not run_handler:
                    await self._handle_run(uow, run)
                    run = []
                if item.error is not None:
                    await self._stage_dead_letter(uow, item)
                    outcomes[item.index] = Result.DEAD_LETTERED
                elif batch is not None:
                    run.append(item)
                    run_handler = batch
                    outcomes[item.index] = Result.PROCESSED
                else:
                    await self._handle(uow, item)
                    outcomes[item.index] = Result.PROCESSED
                rows.append(self._inbox_row(item, outcomes[item.index], now))
            if run:
                await self._handle_run(uow, run)
            await inbox.record_many(uow.session, self._inbox, rows)
            await uow.commit()
        for item in items:
            item.result = outcomes[item.index]
            if item.result is Result.DEAD_LETTERED:
                self._log_dead_letter(item)

    async def _remember_cases(self, uow: UnitOfWork, items: list[_Item], now: datetime) -> None:
        """Remember the cases first seen in this batch with the trace they came in: one statement.

        The unit of work is told the cases stored now, so that what the handlers publish
        for them needs no query; a case known before is looked up only if a handler
        publishes for it.
        """
        assert self._case_traces is not None
        learned: dict[str, CaseTrace] = {}
        for item in items:
            ref = item.event.case_ref() if item.event is not None and item.error is None else None
            if ref is None or ref in learned:
                continue
            context = CaseTrace.parse(_trace_carrier(item.headers))
            if context is not None:
                learned[ref] = context
        if learned:
            stored = await case_trace.remember(uow.session, self._case_traces, learned, now=now)
            uow.know_cases({ref: learned[ref] for ref in stored})

    async def _handle(self, uow: UnitOfWork, item: _Item) -> None:
        assert item.handler is not None
        with self._span(item) as span:
            try:
                await item.handler(item.event, self._context(item), uow)
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, str(exc)))
                raise _HandlerFailed(item, exc) from exc

    async def _handle_run(self, uow: UnitOfWork, run: list[_Item]) -> None:
        """A run of events for one batch handler; if it fails, take them one by one instead."""
        assert run[0].attributes is not None
        batch = self._batch_handlers[run[0].attributes.type]
        try:
            await batch([(item.event, self._context(item, traced=True)) for item in run], uow)
        except Exception as exc:
            for item in run:
                item.batchable = False
            raise _RunFailed(exc) from exc

    def _context(self, item: _Item, *, traced: bool = False) -> EventContext:
        assert item.attributes is not None
        record = item.record
        return EventContext(
            attributes=item.attributes,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode(errors="replace") if record.key is not None else None,
            span=(lambda: self._span(item)) if traced else None,
        )

    async def _alone(self, item: _Item, error: BaseException) -> None:
        """Retry one record by itself with backoff; dead-letter it when the attempts run out."""
        attempt = 1
        bound = log.bind(consumer=self.name, event_id=item.inbox_id, topic=item.record.topic)
        while item.error is None:
            if attempt >= self._retry.max_attempts:
                bound.error("handler failed; dead-lettering", attempts=attempt, error=repr(error))
                item.error, item.attempts = error, attempt
                break
            delay = self._retry.delay(attempt)
            bound.warning("handler failed; retrying", attempt=attempt, retry_in=delay, error=repr(error))
            await asyncio.sleep(delay)
            attempt += 1
            try:
                await self._transaction([item])
                return
            except _HandlerFailed as failed:
                error = failed.error
            except Exception as exc:  # noqa: BLE001  (the database: retried like a handler failure)
                error = exc
        await self._transaction([item])  # the dead letter; a database failure here raises

    # ------------------------------------------------------------------ dead letters

    async def _stage_dead_letter(self, uow: UnitOfWork, item: _Item) -> None:
        """Keep the dead letter whole in the database; tell the dead-letter topic about it.

        The message on the dead-letter topic carries the original payload and headers, the
        error, the attempt count and where the record came from. It must be publishable
        whatever came in: the original trace headers are replaced by this consumer's (an
        invalid ``traceparent`` is not propagated), and a payload that would make it larger
        than a Kafka message may be is left out (``dlq_payload_omitted`` says how large it
        was); the database keeps it either way, for an operator to read and re-drive.
        """
        record, error = item.record, item.error
        assert error is not None
        dead_letter_id = str(uuid.uuid4())
        payload = record.value or b""
        original = [(name, value) for name, value in item.headers if name not in TRACE_HEADERS]
        now = uow.clock.now()
        with self._span(item):
            await uow.session.execute(
                insert(self._dead_letters),
                {
                    "dead_letter_id": dead_letter_id,
                    "consumer": self.name,
                    "consumer_group": self._group,
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                    "key": record.key,
                    "payload": payload,
                    "headers": encode_header_list(original),
                    "event_id": item.attributes.id if item.attributes else None,
                    "event_type": item.attributes.type if item.attributes else "unknown",
                    "error_type": type(error).__name__,
                    "error_message": str(error)[:4000],
                    "attempts": item.attempts,
                    "dead_lettered_at": now,
                },
            )
            headers = dict(original)
            headers.update(outbox.trace_headers())
            headers.update(
                {
                    "dlq_dead_letter_id": dead_letter_id.encode(),
                    "dlq_original_topic": record.topic.encode(),
                    "dlq_original_partition": str(record.partition).encode(),
                    "dlq_original_offset": str(record.offset).encode(),
                    "dlq_consumer": self.name.encode(),
                    "dlq_consumer_group": self._group.encode(),
                    "dlq_error_type": type(error).__name__.encode(),
                    "dlq_error_message": str(error)[:4000].encode(),
                    "dlq_attempts": str(item.attempts).encode(),
                }
            )
            if outbox.message_size(payload, headers) > self._max_message_bytes:
                headers["dlq_payload_omitted"] = str(len(payload)).encode()
                payload = b""
            await uow.publish_raw(
                event_id=dead_letter_id,
                topic=self._dead_letter_topic,
                aggregate_type="dead-letter",
                aggregate_id=(record.key or b"").decode(errors="replace") or item.inbox_id,
                event_type=item.attributes.type if item.attributes else "unknown",
                payload=payload,
                headers=headers,
            )

    def _log_dead_letter(self, item: _Item) -> None:
        record, error = item.record, item.error
        log.error(
            "message dead-lettered",
            consumer=self.name,
            event_id=item.attributes.id if item.attributes else None,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error_type=type(error).__name__,
            error=str(error),
            attempts=item.attempts,
        )

    # ------------------------------------------------------------------ small parts

    def _inbox_row(self, item: _Item, outcome: Result, now: datetime) -> dict[str, Any]:
        return {
            "consumer": self.name,
            "event_id": item.inbox_id,
            "event_type": item.attributes.type if item.attributes else "unknown",
            "topic": item.record.topic,
            "outcome": (
                inbox.Outcome.DEAD_LETTERED if outcome is Result.DEAD_LETTERED else inbox.Outcome.PROCESSED
            ).value,
            "received_at": now,
        }

    def _span(self, item: _Item) -> Any:
        """The record's span, a child of the producer's; the handler's outbox rows continue it."""
        record = item.record
        attributes: dict[str, Any] = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.kafka.destination.partition": record.partition,
            "messaging.kafka.message.offset": record.offset,
            "messaging.consumer.group.name": self._group,
        }
        if item.attributes is not None:
            attributes["messaging.message.id"] = item.attributes.id
            attributes["cloudevents.event_type"] = item.attributes.type
        return tracer.start_as_current_span(
            f"{record.topic} process",
            context=propagate.extract(_trace_carrier(item.headers)),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        )


def _trace_carrier(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name in TRACE_HEADERS:
            try:
                carrier[name] = value.decode()
            except UnicodeDecodeError:
                continue
    return carrier
