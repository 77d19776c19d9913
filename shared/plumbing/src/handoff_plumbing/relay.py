"""The outbox relay: publishes committed outbox rows to Kafka until Kafka acknowledges them.

Each pass:

1. The replica makes sure it leads (:mod:`handoff_plumbing.leadership`); only the leader
   publishes, the others wait for their turn.
2. It reads up to ``batch_size`` pending rows in outbox order, leaving out every row whose
   aggregate (topic and key) has a parked row: one aggregate's events stay in order.
3. It sends them all, keyed by the aggregate id, with ``acks=all`` and the idempotent
   producer (which keeps each partition's sends in order), many in flight at once.
4. It records every row's fate with one statement per kind: acknowledged rows are marked
   published; a row that Kafka (or the client) refused for good (too large, invalid, not
   authorised) is *parked* with its error, holds back only its own aggregate's later rows,
   and waits for an operator (see :mod:`handoff_plumbing.ops`); a row that failed because
   Kafka is away keeps its attempt count and error, and the relay backs off exponentially.
   Kafka refuses whole record batches, so a row refused in a batch shared with others is
   first tried again alone (in a batch of its own), and parked only if refused again.

A row is marked published only after Kafka acknowledged it; a crash in between publishes
it again, which the consumers' inboxes absorb (at-least-once delivery, effectively-once
effects). The relay never holds a database transaction open while it talks to Kafka, and
nothing a row holds can stop it: every error is caught per row and written on the row.
A commit wakes it at once; otherwise it polls. It also deletes published rows older than
the retention (they are in Kafka; the dead letters keep their own table).
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Table, bindparam, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from handoff_plumbing import metrics
from handoff_plumbing.clock import Clock
from handoff_plumbing.leadership import RelayLeadership
from handoff_plumbing.outbox import TRACE_HEADERS, decode_headers

log = structlog.get_logger("handoff.relay")
tracer = trace.get_tracer("handoff.relay")
HOUSEKEEPING_SECONDS = 60.0


@dataclass
class RelayStats:
    published: int = 0
    failures: int = 0
    consecutive_failures: int = 0
    parked: int = 0
    passes: int = 0
    leading: bool = False


class KafkaUnavailable(Exception):
    """Kafka could not take a row now (a retriable error); the relay backs off."""


def kafka_producer(bootstrap_servers: str, **overrides: Any) -> AIOKafkaProducer:
    """A producer that loses nothing: all in-sync replicas acknowledge, idempotent retries."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers,
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 2,
        "request_timeout_ms": 15000,
    }
    options.update(overrides)
    return AIOKafkaProducer(**options)


def is_transient(error: BaseException) -> bool:
    """Worth trying again as it is (Kafka away or busy), as opposed to refused for good."""
    if isinstance(error, KafkaConnectionError | KafkaTimeoutError | TimeoutError | ConnectionError):
        return True
    return isinstance(error, KafkaError) and bool(getattr(error, "retriable", False))


@dataclass
class _Fate:
    acknowledged: list[int]
    parked: list[tuple[int, str]]
    failed: list[tuple[int, str]]


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Table,
        *,
        bootstrap_servers: str,
        clock: Clock,
        engine: AsyncEngine | None = None,
        name: str = "relay",
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        backoff_initial_seconds: float = 0.2,
        backoff_max_seconds: float = 10.0,
        retention: timedelta | None = None,
        producer_options: dict[str, Any] | None = None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._bootstrap = bootstrap_servers
        self._clock = clock
        self._batch_size = batch_size
        self._poll = poll_seconds
        self._backoff_initial = backoff_initial_seconds
        self._backoff_max = backoff_max_seconds
        self._retention = retention
        self._producer_options = producer_options or {}
        self._name = name
        self._leadership = RelayLeadership(engine, name) if engine is not None else None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._task: asyncio.Task[None] | None = None
        self._housekept = 0.0
        self._suspects: set[int] = set()  # positions refused in a shared record batch
        self.stats = RelayStats()
        self._pending = self._pending_statement()
        c = outbox.c
        self._parked_aggregates = (
            select(c.topic, c.aggregate_id)
            .where(c.parked_at.is_not(None), c.published_at.is_(None))
            .distinct()
        )
        self._mark_parked = self._mark_statement(parked=True)
        self._mark_failed = self._mark_statement()

    # ------------------------------------------------------------------ running

    def notify(self) -> None:
        """Something was committed to the outbox: publish now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            task, self._task = self._task, None
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close_producer()
        if self._leadership is not None:
            await self._leadership.release()

    async def run(self) -> None:
        """Publish until stopped; back off exponentially while Kafka or the database fails."""
        while not self._stopping.is_set():
            try:
                count = await self.publish_pending()
            except Exception as exc:  # noqa: BLE001  (the relay must outlive any failure)
                metrics.record_relay_failure(self._name)
                self.stats.failures += 1
                self.stats.consecutive_failures += 1
                delay = min(
                    self._backoff_max,
                    self._backoff_initial * 2 ** (self.stats.consecutive_failures - 1),
                )
                log.warning("outbox relay failed; retrying", error=repr(exc), retry_in=delay)
                await self._close_producer()
                await self._sleep(delay)
                continue
            self.stats.consecutive_failures = 0
            if count < self._batch_size:
                await self._sleep(self._poll)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = kafka_producer(self._bootstrap, **self._producer_options)
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    # ------------------------------------------------------------------ one pass

    async def publish_pending(self) -> int:
        """One pass: publish pending rows in order and record each one's fate.

        Returns how many rows were published; raises :class:`KafkaUnavailable` if Kafka
        could not take a row now (after the fates were recorded).
        """
        self.stats.passes += 1
        if self._leadership is not None:
            self.stats.leading = await self._leadership.hold()
            if not self.stats.leading:
                return 0
        await self._housekeeping()
        async with self._sessions() as session:
            held = (await session.execute(self._parked_aggregates)).all()  # none, nearly always
            pending = self._pending_statement([tuple(h) for h in held]) if held else self._pending
            rows = (await session.execute(pending, {"limit": self._batch_size})).all()
            await session.rollback()
        if not rows:
            return 0
        producer = await self._ensure_producer()
        fate, transient = await self._send_all(producer, rows)
        await self._record(fate)
        self.stats.published += len(fate.acknowledged)
        metrics.record_published(self._name, len(fate.acknowledged))
        if transient is not None:
            raise KafkaUnavailable(str(transient)) from transient
        return len(fate.acknowledged)

    async def _send_all(
        self, producer: AIOKafkaProducer, rows: Sequence[Any]
    ) -> tuple[_Fate, BaseException | None]:
        fate = _Fate([], [], [])
        held: set[tuple[str, str]] = set()  # aggregates with a refused row in this pass
        transient: BaseException | None = None
        in_flight: list[tuple[Any, trace.Span, asyncio.Future[Any]]] = []
        for row in rows:
            aggregate = (row.topic, row.aggregate_id)
            if aggregate in held:
                continue  # waits behind its aggregate's refused row
            stored = _stored_headers(row)
            span = self._span(row, stored)
            alone = row.position in self._suspects
            try:
                if alone:  # in a record batch of its own, so that a refusal is its own
                    await producer.flush()
                future = await producer.send(
                    row.topic,
                    value=row.payload,
                    key=row.aggregate_id.encode(),
                    headers=self._headers(stored, span),
                )
                if alone:
                    await future  # its fate is known before anything behind it is sent
            except Exception as exc:  # noqa: BLE001  (recorded on the row)
                _fail(span, exc)
                if is_transient(exc):
                    fate.failed.append((row.position, _describe(exc)))
                    transient = exc
                    break  # Kafka is away: the rest waits for the next pass
                fate.parked.append((row.position, _describe(exc)))
                self._suspects.add(row.position)  # released by an operator, it goes alone again
                held.add(aggregate)
                continue
            if alone:
                fate.acknowledged.append(row.position)
                self._suspects.discard(row.position)
                span.end()
                continue
            in_flight.append((row, span, future))
        for row, span, future in in_flight:
            aggregate = (row.topic, row.aggregate_id)
            try:
                await future
            except Exception as exc:  # noqa: BLE001  (recorded on the row)
                _fail(span, exc)
                if is_transient(exc):
                    fate.failed.append((row.position, _describe(exc)))
                    transient = transient or exc
                elif aggregate in held:
                    fate.failed.append((row.position, _describe(exc)))  # behind a refused row
                else:
                    # Kafka refuses a whole record batch: this row may only have shared one
                    # with the culprit. It is tried again alone before it is parked.
                    fate.failed.append((row.position, _describe(exc)))
                    self._suspects.add(row.position)
                    held.add(aggregate)
            else:
                fate.acknowledged.append(row.position)
                self._suspects.discard(row.position)
                span.end()
        for position, error in fate.parked:
            log.error("outbox row refused by Kafka for good; parked", position=position, error=error)
        return fate, transient

    def _span(self, row: Any, stored: list[tuple[str, bytes]]) -> trace.Span:
        carrier: dict[str, str] = {}
        for name, value in stored:
            if name in TRACE_HEADERS:
                carrier[name] = value.decode("ascii", "replace")
        return tracer.start_span(
            f"{row.topic} publish",
            context=propagate.extract(carrier),
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "publish",
                "messaging.destination.name": row.topic,
                "messaging.message.id": row.event_id,
                "messaging.kafka.message.key": row.aggregate_id,
                "cloudevents.event_type": row.event_type,
            },
        )

    def _headers(self, stored: list[tuple[str, bytes]], span: trace.Span) -> list[tuple[str, bytes]]:
        outgoing: dict[str, str] = {}
        propagate.inject(outgoing, context=trace.set_span_in_context(span, otel_context.Context()))
        headers = [(n, v) for n, v in stored if n not in TRACE_HEADERS]
        headers += [(n, v.encode()) for n, v in outgoing.items()]
        return headers

    async def _record(self, fate: _Fate) -> None:
        """Write every row's fate: one statement per kind, in one short transaction."""
        now = self._clock.now()
        async with self._sessions() as session:
            if fate.acknowledged:  # the same values for all: one statement, not one per row
                c = self._outbox.c
                await session.execute(
                    update(self._outbox)
                    .where(c.position.in_(fate.acknowledged))
                    .values(published_at=now, attempts=c.attempts + 1, last_error=None)
                )
            if fate.parked:
                await session.execute(
                    self._mark_parked, [{"p": p, "now": now, "error": e} for p, e in fate.parked]
                )
            if fate.failed:
                await session.execute(
                    self._mark_failed, [{"p": p, "now": now, "error": e} for p, e in fate.failed]
                )
            await session.commit()
        self.stats.parked += len(fate.parked)

    async def _housekeeping(self) -> None:
        """Now and then, delete published rows older than the retention (Kafka has them)."""
        if self._retention is None or time.monotonic() - self._housekept < HOUSEKEEPING_SECONDS:
            return
        self._housekept = time.monotonic()
        c = self._outbox.c
        old = (
            select(c.position)
            .where(c.published_at.is_not(None), c.published_at < self._clock.now() - self._retention)
            .limit(10_000)
            .scalar_subquery()
        )
        async with self._sessions() as session:
            result = await session.execute(delete(self._outbox).where(c.position.in_(old)))
            deleted = getattr(result, "rowcount", 0)
            await session.commit()
        if deleted:
            log.info("published outbox rows past their retention deleted", rows=deleted)

    # ------------------------------------------------------------------ statements, built once

    def _pending_statement(self, held: Sequence[tuple[str, str]] = ()) -> Any:
        """The next pending rows in outbox order, but none of an aggregate with a parked row."""
        c = self._outbox.c
        statement = select(
            c.position, c.event_id, c.topic, c.aggregate_id, c.event_type, c.payload, c.headers
        ).where(c.published_at.is_(None), c.parked_at.is_(None), c.dropped_at.is_(None))
        if held:
            statement = statement.where(tuple_(c.topic, c.aggregate_id).not_in(list(held)))
        return statement.order_by(c.position).limit(bindparam("limit"))

    def _mark_statement(self, *, parked: bool = False) -> Any:
        c = self._outbox.c
        values: dict[str, Any] = {"attempts": c.attempts + 1, "last_error": bindparam("error")}
        if parked:
            values["parked_at"] = bindparam("now")
        return update(self._outbox).where(c.position == bindparam("p")).values(**values)


def _stored_headers(row: Any) -> list[tuple[str, bytes]]:
    try:
        return decode_headers(row.headers)
    except (binascii.Error, ValueError, TypeError, AttributeError):
        return []  # unreadable headers are not worth a stuck row: sent without them


def _fail(span: trace.Span, error: BaseException) -> None:
    span.record_exception(error)
    span.set_status(Status(StatusCode.ERROR, str(error)))
    span.end()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
