"""FastStream wiring: the Kafka broker of a service and its subscribers.

FastStream's default parser decodes every header as UTF-8 and its default decoder parses
JSON before the handler runs; a malformed message would then fail outside our reach and
never reach the dead-letter topic. The subscribers here take the raw record instead and
leave every judgement to :class:`~handoff_plumbing.consumer.EventConsumer`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from handoff_plumbing import metrics
from handoff_plumbing.consumer import EventConsumer

REDELIVERY_PAUSE_SECONDS = 1.0
log = structlog.get_logger("handoff.broker")


def create_broker(bootstrap_servers: str, *, logger: logging.Logger | None = None) -> KafkaBroker:
    return KafkaBroker(
        bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        logger=logger,
        log_level=logging.DEBUG,
    )


async def _tolerant_parser(
    record: ConsumerRecord[Any, Any],
    original: Callable[[ConsumerRecord[Any, Any]], Awaitable[StreamMessage[Any]]],
) -> StreamMessage[Any]:
    safe = dataclasses.replace(
        record,
        headers=tuple((k, v.decode("utf-8", "replace").encode()) for k, v in record.headers),
    )
    if hasattr(record, "consumer"):
        safe.consumer = record.consumer  # type: ignore[attr-defined]
    parsed = await original(safe)
    parsed.raw_message = record
    return parsed


async def _raw_decoder(message: StreamMessage[Any], _original: Any = None) -> bytes:
    return message.body


class OffsetCommitter:
    """Commits the offsets of records whose outcome is durable, a batch at a time.

    A commit is a round trip to the broker (several milliseconds), as long as the work on
    a typical event; committing after every record would halve a consumer's throughput.
    Offsets are committed explicitly (the record's offset + 1 per partition, never the
    consumer's fetch position), every ``every`` records or ``interval`` seconds, whichever
    comes first, and by a timer once the stream goes quiet. A crash loses at most the last
    uncommitted batch of *acknowledgements*: those records come again and the inbox makes
    them no-ops. No offset is ever committed before its record's effect is durable.
    """

    def __init__(self, *, every: int = 100, interval: float = 0.2) -> None:
        self._every = every
        self._interval = interval
        self._pending: dict[TopicPartition, int] = {}
        self._count = 0
        self._last = time.monotonic()
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    async def done(self, kafka: Any, record: ConsumerRecord[Any, Any]) -> None:
        """``record``'s outcome is durable: its offset may be committed."""
        self._pending[TopicPartition(record.topic, record.partition)] = record.offset + 1
        self._count += 1
        if self._count >= self._every or time.monotonic() - self._last >= self._interval:
            await self.flush(kafka)
        elif self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._flush_later(kafka))

    async def _flush_later(self, kafka: Any) -> None:
        await asyncio.sleep(self._interval)
        await self.flush(kafka)

    async def flush(self, kafka: Any) -> None:
        async with self._lock:
            offsets, self._pending, self._count = self._pending, {}, 0
            self._last = time.monotonic()
            if not offsets:
                return
            try:
                await kafka.commit(offsets)
            except KafkaError as exc:  # e.g. partitions revoked: their records come again
                log.warning("offset commit failed; records will be redelivered", error=repr(exc))


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    *,
    topics: list[str],
    group_id: str,
    description: str = "",
) -> None:
    """Attach ``consumer`` to ``broker``: one record at a time, offsets committed after the effect."""
    committer = OffsetCommitter()

    async def take(message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple)  # one record at a time, never a batch
        metrics.watch_consumer(consumer.service, consumer.name, message.consumer)
        try:
            await consumer.process(record)
        except Exception:
            # Not durable: rewind to this record (nack), so it comes again; nothing after it
            # is taken first, and nothing is committed past it.
            await asyncio.sleep(REDELIVERY_PAUSE_SECONDS)
            await message.nack()
            raise
        await committer.done(message.consumer, record)

    take.__name__ = f"{consumer.name}_subscriber"
    broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        parser=_tolerant_parser,
        decoder=_raw_decoder,
        title=f"{consumer.name}:{','.join(topics)}",
        description=description or consumer.name,
    )(take)
