"""Helpers for tests against the real broker: read a topic, produce raw bytes, poll."""

from __future__ import annotations

import asyncio
import random
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from handoff_devtools.testing.kafka import KafkaAccess
from handoff_plumbing.uow import UnitOfWork

T = TypeVar("T")


async def read_topic(
    kafka: KafkaAccess, topic: str, *, count: int, timeout: float = 30.0, group_prefix: str = ""
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read ``count`` records of ``topic`` from the beginning, as ``kafka``'s identity, failing
    after ``timeout`` seconds (a group of the identity's own: ``group_prefix`` + a random id)."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka.client_options(),
        group_id=f"{group_prefix}reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"read {len(records)} of {count} records from {topic} in {timeout}s")
            batch = await consumer.getmany(timeout_ms=int(min(remaining, 1.0) * 1000))
            for partition_records in batch.values():
                records.extend(partition_records)
    finally:
        await consumer.stop()
    return records


async def produce(
    kafka: KafkaAccess,
    topic: str,
    messages: Sequence[tuple[bytes | None, bytes, Sequence[tuple[str, bytes]]]],
) -> None:
    """Send raw ``(key, value, headers)`` messages, as an outside system might."""
    producer = AIOKafkaProducer(**kafka.client_options(), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for key, value, headers in messages:
            await producer.send_and_wait(topic, value=value, key=key, headers=list(headers))
    finally:
        await producer.stop()


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 30.0,
    interval: float = 0.1,
) -> T:
    """Poll ``probe`` until ``until(result)`` holds; bounded, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        last: T = await probe()
        if until(last):
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {last!r}")
        await asyncio.sleep(interval)


def headers_of(record: ConsumerRecord[Any, Any]) -> dict[str, str]:
    return {name: value.decode(errors="replace") for name, value in record.headers}


def auth(
    role: str,
    subject: str = "test-caller",
    *,
    department: str | None = None,
    county: str | None = None,
    municipality: str | None = None,
) -> dict[str, str]:
    """An Authorization header with a development issuer's token for ``role`` and its unit."""
    from handoff_devtools.issuer import DEVELOPMENT_ISSUER

    token = DEVELOPMENT_ISSUER.token(
        role, subject=subject, department=department, county=county, municipality=municipality
    )
    return {"Authorization": f"Bearer {token}"}


async def topic_size(kafka: KafkaAccess, topic: str) -> int:
    """How many records ``topic`` holds (0 when it does not exist)."""
    from aiokafka import TopicPartition

    consumer = AIOKafkaConsumer(**kafka.client_options())
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = consumer.partitions_for_topic(topic) or set()
        offsets = await consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
        return sum(offsets.values())
    finally:
        await consumer.stop()


async def committed(uow: UnitOfWork, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run a command's ``step`` the way the HTTP edge does: in the unit of work, then commit."""
    async with uow:
        result = await step(uow)
        await uow.commit()
    return result


def port_free(port: int) -> bool:
    """Nothing accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def free_port_block(size: int) -> int:
    """The first of ``size`` consecutive free ports on 127.0.0.1 (for processes a test starts)."""
    # Below Linux's ephemeral range (32768 and up): a client's outgoing connection cannot
    # take one of these ports between this check and the process binding it.
    for _ in range(50):
        base = random.randint(20000, 32000 - size)  # noqa: S311 - not a secret
        if all(port_free(base + i) for i in range(size)):
            return base
    raise RuntimeError(f"no block of {size} free ports")
