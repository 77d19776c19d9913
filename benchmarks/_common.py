"""Pieces the benchmarks share: percentiles, resident memory, the raw broker round trip."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.kafka import KafkaAccess

ROUND_TRIPS = 200


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def access(broker: LocalKafka) -> KafkaAccess:
    """The started local broker, its super user's identity and every principal's password."""
    return KafkaAccess.of_local(broker)


async def raw_round_trips(kafka: KafkaAccess) -> list[float]:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(**kafka.client_options(), acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(
        topic,
        **kafka.client_options(),
        auto_offset_reset="latest",
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        fetch_max_wait_ms=10,
    )
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    while not consumer.assignment():
        await asyncio.sleep(0.05)
    await consumer.seek_to_end()
    samples = []
    try:
        for i in range(ROUND_TRIPS):
            started = time.perf_counter()
            await producer.send_and_wait(topic, str(i).encode())
            await consumer.getone()
            samples.append(time.perf_counter() - started)
    finally:
        await producer.stop()
        await consumer.stop()
    return samples
