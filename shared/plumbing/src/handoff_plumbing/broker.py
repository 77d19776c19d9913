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
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from handoff_plumbing.consumer import EventConsumer

REDELIVERY_PAUSE_SECONDS = 1.0


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


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    *,
    topics: list[str],
    group_id: str,
    description: str = "",
) -> None:
    """Attach ``consumer`` to ``broker``: one record at a time, offset committed after the effect."""

    async def take(message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple)  # one record at a time, never a batch
        try:
            await consumer.process(record)
        except Exception:
            # Not durable: the offset is rewound (nack) and the record comes again.
            await asyncio.sleep(REDELIVERY_PAUSE_SECONDS)
            raise

    take.__name__ = f"{consumer.name}_subscriber"
    broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        parser=_tolerant_parser,
        decoder=_raw_decoder,
        title=f"{consumer.name}:{','.join(topics)}",
        description=description or consumer.name,
    )(take)
