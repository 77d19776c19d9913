"""FastStream wiring: the Kafka broker of a service and its subscribers.

FastStream's default parser decodes every header as UTF-8 and its default decoder parses
JSON before the handler runs; a malformed message would then fail outside our reach and
never reach the dead-letter topic. The subscribers here take the raw records of a poll instead
and leave every judgement to :class:`~handoff_plumbing.consumer.EventConsumer`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from handoff_plumbing import metrics
from handoff_plumbing.consumer import EventConsumer
from handoff_schemas.kafka_client import KafkaSecurity

REDELIVERY_PAUSE_SECONDS = 1.0
# How long a poll waits for records when there are none (a record that arrives is taken at once).
BATCH_WAIT_MS = 50
log = structlog.get_logger("handoff.broker")


def faststream_security(security: KafkaSecurity) -> BaseSecurity | None:
    """The same credentials as FastStream's security object (its broker builds its own clients)."""
    context = security.ssl_context()
    if not security.sasl:
        return BaseSecurity(ssl_context=context, use_ssl=True) if security.tls else None
    sasl = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256, "PLAIN": SASLPlaintext}
    return sasl[security.sasl_mechanism](
        username=security.username or "",
        password=security.password or "",
        ssl_context=context,
        use_ssl=security.tls,
    )


def create_broker(
    bootstrap_servers: str, *, security: KafkaSecurity | None = None, logger: logging.Logger | None = None
) -> KafkaBroker:
    return KafkaBroker(
        bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        security=faststream_security(security or KafkaSecurity()),
        logger=logger,
        log_level=logging.DEBUG,
    )


async def _batch_parser(
    records: tuple[ConsumerRecord[Any, Any], ...],
    original: Callable[[tuple[ConsumerRecord[Any, Any], ...]], Awaitable[StreamMessage[Any]]],
) -> StreamMessage[Any]:
    """FastStream's batch message, built from the first record with headers made decodable.

    FastStream decodes every header as UTF-8 to build its message; one record with a
    binary header would fail the batch before our handler saw it. Only the first record
    is shown to it (its headers are not used), and the raw records are put back.
    """
    first = records[0]
    safe = dataclasses.replace(
        first, headers=tuple((k, v.decode("utf-8", "replace").encode()) for k, v in first.headers)
    )
    parsed = await original((safe,))
    parsed.raw_message = records
    return parsed


async def _raw_decoder(message: StreamMessage[Any], _original: Any = None) -> Any:
    return message.raw_message


class OffsetCommitter:
    """Commits the offsets of records whose outcome is durable, in the background.

    A commit is a round trip to the broker (several milliseconds), as long as the work on
    a small batch; the consumer does not wait for it. Offsets are committed explicitly
    (the record's offset + 1 per partition, never the consumer's fetch position), at most
    once per ``interval``: :meth:`done` records them and wakes the flusher, which commits
    whatever is pending and then looks again, so the last record's offset is committed
    without waiting for another record. A crash loses at most the last uncommitted
    *acknowledgements*: those records come again and the inbox makes them no-ops. No
    offset is ever committed before its record's effect is durable.
    """

    def __init__(self, *, interval: float = 0.2) -> None:
        self._interval = interval
        self._pending: dict[TopicPartition, int] = {}
        self._kafka: Any = None
        self._dirty = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        self.commits = 0

    def done(self, kafka: Any, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        """``records``' outcomes are durable: their offsets may be committed."""
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            self._pending[partition] = max(self._pending.get(partition, 0), record.offset + 1)
        self._kafka = kafka
        self._dirty.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_forever(), name="offset-committer")

    async def _flush_forever(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            await self.flush()
            await asyncio.sleep(self._interval)

    async def flush(self) -> None:
        offsets, self._pending = self._pending, {}
        if not offsets or self._kafka is None:
            return
        try:
            await self._kafka.commit(offsets)
            self.commits += 1
        except KafkaError as exc:  # e.g. partitions revoked: their records come again
            log.warning("offset commit failed; records will be redelivered", error=repr(exc))

    async def stop(self) -> None:
        """Commit what is pending and stop the flusher."""
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        with contextlib.suppress(Exception):
            await self.flush()


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    *,
    topics: list[str],
    group_id: str,
    batch_size: int = 500,
    description: str = "",
) -> OffsetCommitter:
    """Attach ``consumer`` to ``broker``: a poll's records at a time, offsets committed after the effects."""
    committer = OffsetCommitter()

    async def take(message: KafkaMessage) -> None:
        records = message.raw_message
        batch = records if isinstance(records, tuple) else (records,)
        metrics.watch_consumer(consumer.service, consumer.name, message.consumer)
        try:
            await consumer.process_batch(batch)
        except Exception:
            # Not durable: rewind every partition to its first record of the batch (nack), so
            # they come again; nothing after them is taken first, nothing committed past them.
            await asyncio.sleep(REDELIVERY_PAUSE_SECONDS)
            await message.nack()
            raise
        committer.done(message.consumer, batch)

    take.__name__ = f"{consumer.name}_subscriber"
    broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        batch=True,
        max_records=batch_size,
        batch_timeout_ms=BATCH_WAIT_MS,
        parser=_batch_parser,
        decoder=_raw_decoder,
        title=f"{consumer.name}:{','.join(topics)}",
        description=description or consumer.name,
    )(take)
    return committer
