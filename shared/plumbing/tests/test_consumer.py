"""The consumer: inbox against redelivery, dead letters for bad input and failing handlers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import eventually, headers_of, produce, read_topic
from handoff_devtools.testing.ledger import LEDGER_TOPIC, LedgerEntryV1, count_effects, effect_rows, inbox
from handoff_schemas import attributes_for, encode

pytestmark = [pytest.mark.db, pytest.mark.kafka]


def message(event: LedgerEntryV1, *, event_id: str | None = None) -> tuple[bytes, bytes, list]:
    attributes = attributes_for(event, source="test", now=datetime.now(UTC))
    headers = {**attributes.to_headers(), **({"ce_id": event_id} if event_id else {})}
    return event.account.encode(), encode(event), [(k, v.encode()) for k, v in headers.items()]


def entry(account: str = "acc", amount: int = 1, **kw) -> LedgerEntryV1:
    return LedgerEntryV1(entry_id=uuid.uuid4().hex, account=account, amount=amount, **kw)


async def test_a_redelivered_event_has_no_second_effect(ledger, kafka, topic_prefix) -> None:
    runtime = await ledger()
    topic = topic_prefix + LEDGER_TOPIC.name
    first = entry(amount=5)
    duplicate = message(first, event_id="same-event-id")
    marker = entry(amount=99)  # same key, same partition: taken after the duplicate
    await produce(kafka, topic, [duplicate, duplicate, message(marker)])

    await eventually(lambda: count_effects(runtime), until=lambda n: n >= 2)
    assert await effect_rows(runtime) == [(first.entry_id, "acc", 5), (marker.entry_id, "acc", 99)]
    async with runtime.sessions() as session:
        taken = (await session.execute(select(inbox.c.event_id, inbox.c.outcome))).all()
    assert sorted(taken) == sorted([("same-event-id", "processed"), (_id_of(marker, taken), "processed")])


def _id_of(_event: LedgerEntryV1, taken: list) -> str:
    return next(event_id for event_id, _ in taken if event_id != "same-event-id")


async def test_malformed_and_unknown_messages_go_to_the_dead_letter_topic(
    ledger, kafka, topic_prefix
) -> None:
    runtime = await ledger()
    topic = topic_prefix + LEDGER_TOPIC.name
    good = entry(amount=3)
    key, body, headers = message(entry())
    unknown_type = [
        (k, b"handoff.test.no-such-event.v1" if k == "ce_type" else v) for k, v in message(entry())[2]
    ]
    no_ce_id = [(k, v) for k, v in message(entry())[2] if k != "ce_id"]
    wrong_field = json.dumps({"entry_id": "x", "account": "acc", "amount": "not a number"}).encode()
    await produce(
        kafka,
        topic,
        [
            (key, b"{this is not json", headers),
            (key, body, no_ce_id),
            (key, body, unknown_type),
            (key, wrong_field, [(k, v) for k, v in message(entry())[2]]),
            (key, b"\xff\xfe", [*message(entry())[2], ("x-binary", b"\xff")]),
            message(good),
        ],
    )

    dead = await read_topic(kafka, topic_prefix + "handoff.ledger.dead-letter.v1", count=5)
    reasons = [headers_of(r)["dlq_error_message"] for r in dead]
    assert "Invalid JSON" in reasons[0]
    assert "missing CloudEvents header(s): ce_id" in reasons[1]
    assert "unknown event type 'handoff.test.no-such-event.v1'" in reasons[2]
    assert "amount: Input should be a valid integer" in reasons[3]
    first = dead[0]
    assert first.value == b"{this is not json"
    assert first.key == key
    meta = headers_of(first)
    assert meta["dlq_error_type"] == "EnvelopeError"
    assert meta["dlq_attempts"] == "1"
    assert meta["dlq_original_topic"] == topic
    assert meta["dlq_consumer_group"] == topic_prefix + "ledger"
    assert meta["ce_type"] == "handoff.test.ledger-entry.v1"  # the original headers travel along
    assert dict(dead[4].headers)["x-binary"] == b"\xff"  # even ones that are not text
    assert dead[4].value == b"\xff\xfe"
    # and the consumer carried on with the next message
    await eventually(lambda: effect_rows(runtime), until=lambda rows: rows == [(good.entry_id, "acc", 3)])


async def test_a_handler_that_always_fails_is_retried_then_dead_lettered(ledger, kafka, topic_prefix) -> None:
    runtime = await ledger(consumer_max_attempts=3)
    topic = topic_prefix + LEDGER_TOPIC.name
    doomed = entry(amount=1, always_fail=True)
    after = entry(amount=2)
    await produce(kafka, topic, [message(doomed), message(after)])

    [dead] = await read_topic(kafka, topic_prefix + "handoff.ledger.dead-letter.v1", count=1)
    meta = headers_of(dead)
    assert meta["dlq_error_type"] == "HandlerFailure"
    assert meta["dlq_error_message"] == f"entry {doomed.entry_id} can never be booked"
    assert meta["dlq_attempts"] == "3"
    assert LedgerEntryV1.model_validate_json(dead.value) == doomed
    await eventually(lambda: effect_rows(runtime), until=lambda rows: rows == [(after.entry_id, "acc", 2)])
