"""The outbox relay: publishes committed outbox rows to Kafka until Kafka acknowledges them.

Rows go out in outbox order with ``acks=all`` and the idempotent producer, keyed by the
aggregate id so one aggregate's events stay in order on one partition. A row is marked
published only after Kafka acknowledged it; a crash in between publishes it again, which
the consumers' inboxes absorb (at-least-once delivery, effectively-once effects).

One relay runs per service database (the default deployment runs one replica per
service); it never holds a database transaction open while it talks to Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff_plumbing import metrics
from handoff_plumbing.clock import Clock
from handoff_plumbing.outbox import decode_headers

log = structlog.get_logger("handoff.relay")
tracer = trace.get_tracer("handoff.relay")
TRACE_HEADERS = frozenset({"traceparent", "tracestate"})


@dataclass
class RelayStats:
    published: int = 0
    failures: int = 0
    consecutive_failures: int = 0


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


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Table,
        *,
        service: str,
        bootstrap_servers: str,
        clock: Clock,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        backoff_initial_seconds: float = 0.2,
        backoff_max_seconds: float = 10.0,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._service = service
        self._bootstrap = bootstrap_servers
        self._clock = clock
        self._batch_size = batch_size
        self._poll = poll_seconds
        self._backoff_initial = backoff_initial_seconds
        self._backoff_max = backoff_max_seconds
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._task: asyncio.Task[None] | None = None
        self.stats = RelayStats()

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

    async def run(self) -> None:
        """Publish until stopped; back off exponentially while Kafka or the database fails."""
        while not self._stopping.is_set():
            try:
                count = await self.publish_pending()
            except Exception as exc:  # noqa: BLE001  (the relay must outlive any failure)
                self.stats.failures += 1
                metrics.record_relay_failure(self._service)
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
            producer = kafka_producer(self._bootstrap)
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

    async def publish_pending(self) -> int:
        """One pass: publish pending rows in order and mark the acknowledged ones.

        Returns how many rows were published; raises if Kafka refused one.
        """
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(self._outbox)
                    .where(self._outbox.c.published_at.is_(None))
                    .order_by(self._outbox.c.position)
                    .limit(self._batch_size)
                )
            ).all()
            await session.rollback()
        if not rows:
            return 0
        producer = await self._ensure_producer()
        sends = [await self._send(producer, row) for row in rows]
        acknowledged: list[int] = []
        failure: tuple[Any, BaseException] | None = None
        for row, (span, future) in zip(rows, sends, strict=True):
            if failure is None:
                try:
                    await future
                except Exception as exc:  # noqa: BLE001  (recorded on the row, raised below)
                    failure = (row, exc)
                    span.record_exception(exc)
                    span.set_status(Status(StatusCode.ERROR, str(exc)))
                else:
                    acknowledged.append(row.position)
            else:
                future.cancel()
            span.end()
        await self._mark(acknowledged, failure)
        self.stats.published += len(acknowledged)
        metrics.record_published(self._service, len(acknowledged))
        if failure is not None:
            raise failure[1]
        return len(acknowledged)

    async def _send(self, producer: AIOKafkaProducer, row: Any) -> tuple[trace.Span, Any]:
        stored = decode_headers(row.headers)
        carrier = {name: value.decode() for name, value in stored if name in TRACE_HEADERS}
        parent = propagate.extract(carrier)
        span = tracer.start_span(
            f"{row.topic} publish",
            context=parent,
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
        outgoing: dict[str, str] = {}
        propagate.inject(outgoing, context=trace.set_span_in_context(span, otel_context.Context()))
        headers = [(n, v) for n, v in stored if n not in TRACE_HEADERS]
        headers += [(n, v.encode()) for n, v in outgoing.items()]
        try:
            future = await producer.send(
                row.topic, value=row.payload, key=row.aggregate_id.encode(), headers=headers
            )
        except BaseException:
            span.end()
            raise
        return span, future

    async def _mark(self, acknowledged: list[int], failure: tuple[Any, BaseException] | None) -> None:
        now = self._clock.now()
        async with self._sessions() as session:
            if acknowledged:
                await session.execute(
                    update(self._outbox)
                    .where(self._outbox.c.position.in_(acknowledged))
                    .values(published_at=now, attempts=self._outbox.c.attempts + 1)
                )
            if failure is not None:
                row, exc = failure
                await session.execute(
                    update(self._outbox)
                    .where(self._outbox.c.position == row.position)
                    .values(attempts=self._outbox.c.attempts + 1, last_error=repr(exc)[:2000])
                )
            await session.commit()
