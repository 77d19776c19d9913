"""No record and no outbox row can silence a service (real broker, SQLite and PostgreSQL).

Each fault below once stopped a service's outbound events for good, or hid itself from
operators: a dead letter carrying a non-UTF-8 ``traceparent``, a record just under the
broker's size limit (too large once the dead-letter headers are added), and a row that
Kafka refuses for good. Each must leave the rest of the service's events flowing and be
visible in ``/ops/status``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import select

from handoff_devtools.testing.helpers import auth, eventually, headers_of, produce, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_devtools.testing.ledger import (
    LEDGER_TOPIC,
    LedgerEntryV1,
    count_effects,
    effect_rows,
    outbox,
    post_entry,
)
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas import attributes_for, encode

pytestmark = [pytest.mark.db, pytest.mark.kafka]
DEAD_LETTERS = "handoff.ledger.dead-letter.v1"


def message(event: LedgerEntryV1, **extra_headers: bytes) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    attributes = attributes_for(event, source="test", now=datetime.now(UTC))
    headers = [(k, v.encode()) for k, v in attributes.to_headers().items()]
    return event.account.encode(), encode(event), [*headers, *extra_headers.items()]


def entry(account: str = "acc", amount: int = 1, **kw: Any) -> LedgerEntryV1:
    return LedgerEntryV1(entry_id=uuid.uuid4().hex, account=account, amount=amount, **kw)


async def operator_client(runtime: ServiceRuntime) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=runtime.create_app()),
        base_url="http://ledger",
        headers=auth("operator", "ops-on-call"),
    )


@pytest.fixture
async def ops(ledger: Any) -> AsyncIterator[tuple[ServiceRuntime, httpx.AsyncClient]]:
    runtime = await ledger()
    async with await operator_client(runtime) as client:
        yield runtime, client


async def status(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/ops/status")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_poison_record_in_a_batch_of_good_ones_is_dead_lettered_alone(
    ops, kafka, topic_prefix
) -> None:
    runtime, client = ops
    good = [entry(account="one", amount=i) for i in range(40)]
    poison = entry(account="one", amount=999, always_fail=True)
    records = [message(e) for e in good[:20]] + [message(poison)] + [message(e) for e in good[20:]]
    await produce(kafka, topic_prefix + LEDGER_TOPIC.name, records)

    await eventually(lambda: count_effects(runtime), until=lambda n: n >= 40)
    [dead] = await read_topic(kafka, topic_prefix + DEAD_LETTERS, count=1)
    assert headers_of(dead)["ce_id"] == attributes_id(records[20])
    assert headers_of(dead)["dlq_attempts"] == "3"  # retried alone, then dead-lettered
    # Every good entry exactly once, in the order of the partition; nothing after the poison lost.
    assert [amount for _, account, amount in await effect_rows(runtime)] == list(range(40))
    assert (await status(client))["dead_letters"] == 1


def attributes_id(record: tuple[bytes, bytes, list[tuple[str, bytes]]]) -> str:
    return dict(record[2])["ce_id"].decode()


async def test_a_dead_letter_with_a_binary_traceparent_does_not_stop_the_relay(
    ops, kafka, topic_prefix
) -> None:
    runtime, client = ops
    bad = message(entry(), traceparent=b"\xff\xfe not a trace")
    broken_body = (bad[0], b"{not json", bad[2])
    await produce(kafka, topic_prefix + LEDGER_TOPIC.name, [broken_body])
    [dead] = await read_topic(kafka, topic_prefix + DEAD_LETTERS, count=1)
    headers = headers_of(dead)
    assert "Invalid JSON" in headers["dlq_error_message"]
    # The invalid trace context was not propagated; the consumer's own took its place.
    assert headers["traceparent"].startswith("00-")

    # A valid event whose trace context is junk is taken all the same, in a trace of its own.
    fine = entry(account="fine")
    await produce(kafka, topic_prefix + LEDGER_TOPIC.name, [message(fine, traceparent=b"\xff\xfe")])
    await eventually(lambda: effect_rows(runtime), until=lambda rows: "fine" in {r[1] for r in rows})

    # The service's own events still flow behind the dead letter.
    sent = entry(account="after", amount=5)
    await post_entry(runtime.uow(), sent, also_record=False)
    await eventually(lambda: effect_rows(runtime), until=lambda rows: "after" in {r[1] for r in rows})
    body = await status(client)
    assert body["outbox"]["pending"] == 0
    assert body["outbox"]["parked"] == 0


async def test_a_record_just_under_the_size_limit_is_dead_lettered_without_its_payload(
    ops, kafka, topic_prefix
) -> None:
    runtime, client = ops
    key, _, headers = message(entry())
    huge = b"x" * 1_040_000  # under the broker's limit, over it once dead-letter headers are added
    await produce_large(kafka, topic_prefix + LEDGER_TOPIC.name, key, huge, headers)
    [dead] = await read_topic(kafka, topic_prefix + DEAD_LETTERS, count=1)
    dead_headers = headers_of(dead)
    assert dead.value == b""
    assert dead_headers["dlq_payload_omitted"] == str(len(huge))

    # The database keeps the whole record, for an operator to read.
    listed = (await client.get("/ops/dead-letters")).json()
    [summary] = listed["items"]
    assert summary["dead_letter_id"] == dead_headers["dlq_dead_letter_id"]
    detail = (await client.get(f"/ops/dead-letters/{summary['dead_letter_id']}")).json()
    assert detail["payload_bytes"] == len(huge)

    sent = entry(account="later")
    await post_entry(runtime.uow(), sent, also_record=False)
    await eventually(lambda: effect_rows(runtime), until=lambda rows: "later" in {r[1] for r in rows})
    assert (await status(client))["outbox"]["pending"] == 0


async def produce_large(kafka: KafkaAccess, topic: str, key: bytes, value: bytes, headers: list) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(**kafka.client_options(), max_request_size=1_048_576)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def test_a_row_kafka_refuses_for_good_is_parked_and_holds_back_only_its_aggregate(
    ledger, kafka, topic_prefix
) -> None:
    topic = topic_prefix + LEDGER_TOPIC.name
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:  # the topic takes records of at most 2,000 bytes: a large entry is refused for good
        await admin.create_topics([NewTopic(topic, 3, 1, topic_configs={"max.message.bytes": "2000"})])
    finally:
        await admin.close()
    runtime = await ledger(consume=False)
    async with await operator_client(runtime) as client:
        refused = entry(account="stuck", amount=1).model_copy(update={"entry_id": "x" * 4000})
        behind = entry(account="stuck", amount=2)
        other = entry(account="free", amount=3)
        refused_id = await post_entry(runtime.uow(), refused, also_record=False)
        behind_id = await post_entry(runtime.uow(), behind, also_record=False)
        await post_entry(runtime.uow(), other, also_record=False)

        # The other aggregate's event goes out; the refused one is parked with its error.
        [published] = await read_topic(kafka, topic, count=1)
        assert LedgerEntryV1.model_validate_json(published.value).account == "free"
        body = await eventually(lambda: status(client), until=lambda b: b["outbox"]["parked"] == 1)
        assert "MessageSizeTooLarge" in body["outbox"]["last_error"]
        [parked] = (await client.get("/ops/outbox/parked")).json()
        # Refused in a record batch shared with the row behind it, then refused again alone.
        assert (parked["event_id"], parked["held_back"], parked["attempts"]) == (refused_id, 1, 2)
        assert await unpublished(runtime) == {refused_id, behind_id}

        # Released, it is refused again; dropped, its aggregate flows again. Both are recorded.
        released = await client.post(f"/ops/outbox/parked/{refused_id}/release", json={"reason": "retry"})
        assert released.status_code == 200, released.text
        await eventually(
            lambda: client.get("/ops/outbox/parked"), until=lambda r: [p["attempts"] for p in r.json()] == [3]
        )
        dropped = await client.post(f"/ops/outbox/parked/{refused_id}/drop", json={"reason": "too large"})
        assert dropped.status_code == 200, dropped.text
        records = await read_topic(kafka, topic, count=2)
        assert sorted(LedgerEntryV1.model_validate_json(r.value).amount for r in records) == [2, 3]
        assert await unpublished(runtime) == {refused_id}  # dropped: never published
        actions = await recorded_actions(runtime)
        assert actions == [
            ("outbox.release", refused_id, "ops-on-call"),
            ("outbox.drop", refused_id, "ops-on-call"),
        ]
        again = await client.post(f"/ops/outbox/parked/{refused_id}/drop", json={"reason": "twice"})
        assert again.status_code == 404


async def unpublished(runtime: ServiceRuntime) -> set[str]:
    async with runtime.sessions() as session:
        rows = await session.execute(select(outbox.c.event_id).where(outbox.c.published_at.is_(None)))
        return {r.event_id for r in rows}


async def recorded_actions(runtime: ServiceRuntime) -> list[tuple[str, str, str]]:
    actions = runtime.operator_actions
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(actions.c.action, actions.c.target, actions.c.actor).order_by(actions.c.at)
        )
        return [(r.action, r.target, r.actor) for r in rows]
