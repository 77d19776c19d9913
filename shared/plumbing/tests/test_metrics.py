"""/metrics as an operator's Prometheus sees it: the outbox backlog while Kafka is away and
its age, relay failures, then the backlog draining once the broker answers; consumer
outcomes and lag after records crossed the real broker."""

from __future__ import annotations

import uuid

import httpx
import pytest

from handoff_devtools.testing.helpers import eventually, produce
from handoff_devtools.testing.ledger import LEDGER_TOPIC, LedgerEntryV1, count_effects, post_entry
from handoff_devtools.testing.metrics import Scrape, scrape

pytestmark = [pytest.mark.db]


async def metrics_of(runtime) -> Scrape:  # type: ignore[no-untyped-def]
    app = runtime.create_app()  # the runtime is started by the fixture; this app only reads
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ledger") as client:
        return await scrape(client)


async def test_the_outbox_backlog_and_relay_failures_show_while_kafka_is_away(ledger) -> None:
    runtime = await ledger(consume=False, bootstrap="127.0.0.1:1", relay_backoff_max_seconds=0.2)
    before = await metrics_of(runtime)
    await post_entry(runtime.uow(), LedgerEntryV1(entry_id=uuid.uuid4().hex, account="a", amount=1))
    await post_entry(runtime.uow(), LedgerEntryV1(entry_id=uuid.uuid4().hex, account="a", amount=2))

    after = await eventually(
        lambda: metrics_of(runtime),
        until=lambda m: (
            m.value("handoff_outbox_pending", service="ledger") == 2
            and m.value("handoff_outbox_oldest_pending_age_seconds", service="ledger") > 0
            and m.value("handoff_relay_failures_total", service="ledger")
            > before.value("handoff_relay_failures_total", service="ledger")
        ),
    )
    assert after.value("handoff_outbox_parked", service="ledger") == 0
    assert after.value("handoff_relay_published_total", service="ledger") == before.value(
        "handoff_relay_published_total", service="ledger"
    )


@pytest.mark.kafka
async def test_records_taken_and_the_lag_after_events_crossed_the_broker(
    ledger, kafka, topic_prefix, monkeypatch
) -> None:
    runtime = await ledger()
    before = await metrics_of(runtime)
    monkeypatch.setenv("LEDGER_HANDLER_DELAY", "1.5")  # a slow consumer: its lag shows
    for amount in (1, 2, 3):
        await post_entry(runtime.uow(), LedgerEntryV1(entry_id=uuid.uuid4().hex, account="a", amount=amount))
    await produce(kafka, topic_prefix + LEDGER_TOPIC.name, [(b"a", b"not json", [])])
    await eventually(
        lambda: metrics_of(runtime),
        until=lambda m: m.value("handoff_consumer_lag", service="ledger", consumer="ledger") > 0,
    )
    monkeypatch.delenv("LEDGER_HANDLER_DELAY")
    await eventually(lambda: count_effects(runtime), until=lambda n: n == 6)  # 3 local + 3 consumed

    def settled(m: Scrape) -> bool:
        lag = m.series("handoff_consumer_lag", service="ledger", consumer="ledger")
        return (
            m.value("handoff_outbox_pending", service="ledger") == 0
            and len(lag) == 6  # the topic's six partitions (the default), all assigned to the one consumer
            and all(value == 0 for _, value in lag)
            and m.delta(before, "handoff_dead_letters_total", service="ledger", consumer="ledger") == 1
        )

    after = await eventually(lambda: metrics_of(runtime), until=settled)
    assert after.delta(before, "handoff_relay_published_total", service="ledger") >= 4  # 3 + the dead letter
    assert after.delta(before, "handoff_consumer_records_total", service="ledger", outcome="processed") == 3
    assert (
        after.delta(before, "handoff_consumer_records_total", service="ledger", outcome="dead_lettered") == 1
    )
    assert after.delta(before, "handoff_consumer_handler_seconds_count", service="ledger") == 4
    lag = after.series("handoff_consumer_lag", service="ledger")
    assert {labels["topic"] for labels, _ in lag} == {topic_prefix + LEDGER_TOPIC.name}
    assert {labels["partition"] for labels, _ in lag} == {str(p) for p in range(6)}
