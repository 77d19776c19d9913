"""The outbox and its relay: an event outlives a relay that was down, and keeps its order."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import eventually, headers_of, read_topic, topic_size
from handoff_devtools.testing.ledger import LEDGER_TOPIC, LedgerEntryV1, effect_rows, outbox, post_entry

pytestmark = [pytest.mark.db, pytest.mark.kafka]


def entry(account: str = "acc-1", amount: int = 10) -> LedgerEntryV1:
    return LedgerEntryV1(entry_id=uuid.uuid4().hex, account=account, amount=amount)


async def pending(runtime) -> list[str]:
    async with runtime.sessions() as session:
        rows = await session.execute(select(outbox.c.event_id).where(outbox.c.published_at.is_(None)))
        return [r.event_id for r in rows]


async def test_a_rolled_back_change_leaves_no_event(ledger) -> None:
    runtime = await ledger(consume=False, relay=False)
    async with runtime.uow() as uow:
        await uow.publish(entry())
        # no commit: leaving the block rolls back

    assert await pending(runtime) == []
    assert await effect_rows(runtime) == []


async def test_event_committed_while_relay_is_down_arrives_after_restart(ledger, kafka, topic_prefix) -> None:
    topic = topic_prefix + LEDGER_TOPIC.name
    writer = await ledger(consume=False, relay=False)
    sent = entry(account="acc-42", amount=7)
    event_id = await post_entry(writer.uow(), sent)

    assert await pending(writer) == [event_id]
    assert await topic_size(kafka, topic) == 0

    await ledger(consume=False, relay=True)  # a new process over the same database

    [record] = await read_topic(kafka, topic, count=1)
    headers = headers_of(record)
    assert record.key == b"acc-42"
    assert LedgerEntryV1.model_validate_json(record.value) == sent
    assert headers["ce_id"] == event_id
    assert headers["ce_type"] == "handoff.test.ledger-entry.v1"
    assert headers["ce_source"] == "ledger"
    assert headers["ce_specversion"] == "1.0"
    assert headers["content-type"] == "application/json"
    assert headers["ce_time"].endswith("Z")
    assert headers["traceparent"].startswith("00-")
    await eventually(lambda: pending(writer), until=lambda rows: rows == [])


async def test_relay_retries_with_backoff_until_kafka_accepts(ledger, kafka, topic_prefix) -> None:
    unreachable = await ledger(consume=False, relay=True, bootstrap="127.0.0.1:1")
    event_id = await post_entry(unreachable.uow(), entry())

    await eventually(lambda: _failures(unreachable), until=lambda n: n >= 2, timeout=20)
    assert await pending(unreachable) == [event_id]
    await unreachable.relay.stop()

    await ledger(consume=False, relay=True)
    [record] = await read_topic(kafka, topic_prefix + LEDGER_TOPIC.name, count=1)
    assert headers_of(record)["ce_id"] == event_id


async def _failures(runtime) -> int:
    return int(runtime.relay.stats.failures)


async def test_events_of_one_aggregate_arrive_in_commit_order(ledger, kafka, topic_prefix) -> None:
    runtime = await ledger(consume=False, relay=True)
    committed: dict[str, list[int]] = {"a": [], "b": [], "c": []}
    for amount in range(60):
        account = "abc"[amount % 3]
        await post_entry(runtime.uow(), entry(account=account, amount=amount), also_record=False)
        committed[account].append(amount)

    records = await read_topic(kafka, topic_prefix + LEDGER_TOPIC.name, count=60)
    received: dict[str, list[int]] = {"a": [], "b": [], "c": []}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        event = LedgerEntryV1.model_validate_json(record.value)
        received[event.account].append(event.amount)
    assert received == committed
