"""Offsets are committed only after the effect is durable: SIGKILL mid-batch loses nothing.

A consumer process is killed with SIGKILL while it works through a backlog, in the middle
of a batch's transaction. At that moment no committed offset may run ahead of the effects
in the database, and after a restart every event has had its effect exactly once.
(FastStream issues #2618 and #1980 report skipped messages under some ack policies; this
is the proof ours skips none.)
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from handoff_devtools.testing import ledger as ledger_process
from handoff_devtools.testing.helpers import eventually, produce
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_devtools.testing.ledger import LEDGER_TOPIC, LedgerEntryV1, count_effects, effect_rows
from handoff_schemas import attributes_for, encode

pytestmark = [pytest.mark.db, pytest.mark.kafka, pytest.mark.slow]
BACKLOG = 300


def start_consumer(
    kafka: KafkaAccess, database_url: str, topic_prefix: str, log: Path
) -> subprocess.Popen[bytes]:
    return ledger_process.spawn(
        kafka,
        database_url=database_url,
        topic_prefix=topic_prefix,
        log=log,
        LEDGER_HANDLER_DELAY="0.02",
        CONSUMER_BATCH_SIZE="50",  # a transaction per 50 records: the kill lands inside one
    )


async def committed_offsets(kafka: KafkaAccess, group: str) -> int:
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return sum(meta.offset for meta in offsets.values() if meta.offset > 0)
    finally:
        await admin.close()


async def test_sigkill_mid_batch_skips_nothing_and_repeats_nothing(
    ledger, kafka, database_url, topic_prefix, tmp_path
) -> None:
    observer = await ledger(consume=False, relay=False)  # creates the schema and the topics
    topic = topic_prefix + LEDGER_TOPIC.name
    entries = [
        LedgerEntryV1(entry_id=uuid.uuid4().hex, account=f"acc-{i % 7}", amount=i) for i in range(BACKLOG)
    ]
    now = datetime.now(UTC)
    await produce(
        kafka,
        topic,
        [
            (
                e.account.encode(),
                encode(e),
                [(k, v.encode()) for k, v in attributes_for(e, source="test", now=now).to_headers().items()],
            )
            for e in entries
        ],
    )
    log = tmp_path / "consumer.log"

    first = start_consumer(kafka, database_url, topic_prefix, log)
    try:
        await eventually(lambda: count_effects(observer), until=lambda n: n >= 60, timeout=90)
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait, 10)
    finally:
        first.kill()
    effects_at_kill = await count_effects(observer)
    committed_at_kill = await committed_offsets(kafka, topic_prefix + "ledger")
    assert 0 < effects_at_kill < BACKLOG, "the kill must land in the middle of the backlog"
    assert committed_at_kill <= effects_at_kill, "an offset was committed before its effect was durable"

    second = start_consumer(kafka, database_url, topic_prefix, log)
    try:
        await eventually(lambda: count_effects(observer), until=lambda n: n >= BACKLOG, timeout=120)
        rows = await effect_rows(observer)
        assert sorted(r[0] for r in rows) == sorted(e.entry_id for e in entries)  # each exactly once
        await eventually(
            lambda: committed_offsets(kafka, topic_prefix + "ledger"), until=lambda n: n == BACKLOG
        )
        assert await count_effects(observer) == BACKLOG  # nothing repeated after the catch-up
    finally:
        second.terminate()
        await asyncio.to_thread(second.wait, 20)
