"""Three replicas of one service on one PostgreSQL database and the real broker.

The consumers of one group share the topic's partitions; one relay at a time publishes
(the advisory lock). The replica that leads is killed with SIGKILL in the middle of the
stream: another takes over the relay and its partitions, every event is applied exactly
once, and each account's events come out in the order they went in.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from handoff_devtools.testing import ledger as ledger_process
from handoff_devtools.testing.helpers import eventually, produce, read_topic, topic_size
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_devtools.testing.ledger import (
    LEDGER_BOOKED_TOPIC,
    LEDGER_TOPIC,
    LedgerBookedV1,
    LedgerEntryV1,
    count_effects,
    effect_rows,
    outbox,
)
from handoff_schemas import attributes_for, encode

pytestmark = [pytest.mark.db, pytest.mark.kafka, pytest.mark.slow]
ENTRIES = 600
ACCOUNTS = 12
LEADING = "relay leadership taken"


def start_replica(
    kafka: KafkaAccess, database_url: str, topic_prefix: str, log: Path
) -> subprocess.Popen[bytes]:
    return ledger_process.spawn(
        kafka,
        database_url=database_url,
        topic_prefix=topic_prefix,
        log=log,
        DEVELOPMENT_MODE="true",
        LEDGER_ECHO="1",
        LEDGER_HANDLER_DELAY="0.005",
        CONSUMER_BATCH_SIZE="20",
        RELAY_POLL_SECONDS="0.1",
    )


async def test_three_replicas_one_killed_apply_everything_once_and_in_order(
    ledger, kafka, database_backend, database_url, topic_prefix, tmp_path
) -> None:
    if database_backend != "postgresql":
        pytest.skip("replicas share PostgreSQL; SQLite is the single-replica default")
    observer = await ledger(consume=False, relay=False)  # the schema and the topics
    now = datetime.now(UTC)
    entries = [
        LedgerEntryV1(entry_id=uuid.uuid4().hex, account=f"acc-{i % ACCOUNTS:02d}", amount=i)
        for i in range(ENTRIES)
    ]
    await produce(
        kafka,
        topic_prefix + LEDGER_TOPIC.name,
        [
            (
                e.account.encode(),
                encode(e),
                [(k, v.encode()) for k, v in attributes_for(e, source="t", now=now).to_headers().items()],
            )
            for e in entries
        ],
    )
    logs = [tmp_path / f"replica-{n}.log" for n in range(3)]
    replicas = [start_replica(kafka, database_url, topic_prefix, log) for log in logs]
    try:
        await eventually(lambda: count_effects(observer), until=lambda n: n >= ENTRIES // 4, timeout=120)
        leaders = [n for n, log in enumerate(logs) if LEADING in log.read_text()]
        assert len(leaders) == 1, "one relay leads at a time"
        [leader] = leaders
        replicas[leader].send_signal(signal.SIGKILL)
        await asyncio.to_thread(replicas[leader].wait, 10)
        killed_at = await count_effects(observer)
        assert killed_at < ENTRIES, "the kill must land in the middle of the stream"

        await eventually(lambda: count_effects(observer), until=lambda n: n >= ENTRIES, timeout=180)
        await eventually(lambda: pending(observer), until=lambda n: n == 0, timeout=120)
        assert [n for n, log in enumerate(logs) if n != leader and LEADING in log.read_text()], (
            "another replica led"
        )
    finally:
        for replica in replicas:
            if replica.poll() is None:
                replica.terminate()
        for replica in replicas:
            await asyncio.to_thread(replica.wait, 30)

    # Every entry applied exactly once, each account's in the order it was produced.
    rows = await effect_rows(observer)
    assert sorted(r[0] for r in rows) == sorted(e.entry_id for e in entries)
    applied: dict[str, list[int]] = defaultdict(list)
    for _, account, amount in rows:
        applied[account].append(amount)
    assert all(amounts == sorted(amounts) for amounts in applied.values())

    # What the relays published: each booking at least once, first occurrences in order per account.
    topic = topic_prefix + LEDGER_BOOKED_TOPIC.name
    booked = await read_topic(kafka, topic, count=await topic_size(kafka, topic), timeout=60)
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for record in sorted(booked, key=lambda r: (r.partition, r.offset)):
        event = LedgerBookedV1.model_validate_json(record.value)
        if event.entry_id not in seen:
            seen.add(event.entry_id)
            first_seen[event.account].append(event.amount)
    assert seen == {e.entry_id for e in entries}
    assert first_seen == dict(applied)


async def pending(runtime) -> int:  # type: ignore[no-untyped-def]
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).where(outbox.c.published_at.is_(None))) or 0)
