"""Every subscriber of every service sends a malformed event to its dead-letter topic with
the reason and the original bytes, and records it as taken, so that it never blocks the
partition (that the consumer then carries on is shown in shared/plumbing/tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

import intake.bootstrap
import monitoring.bootstrap
import police_handover.bootstrap
import resettlement.bootstrap
import returns.bootstrap
from handoff_devtools.testing.helpers import eventually, headers_of, produce, read_topic
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas import attributes_for

pytestmark = [pytest.mark.db, pytest.mark.kafka]

SERVICES: dict[str, tuple[Callable[..., ServiceRuntime], type[Settings]]] = {
    "returns": (returns.bootstrap.build, returns.bootstrap.ReturnsSettings),
    "police-handover": (police_handover.bootstrap.build, police_handover.bootstrap.PoliceHandoverSettings),
    "monitoring": (monitoring.bootstrap.build, monitoring.bootstrap.MonitoringSettings),
    "resettlement": (resettlement.bootstrap.build, resettlement.bootstrap.ResettlementSettings),
}


def test_these_are_all_the_services_that_subscribe() -> None:
    subscribing = {
        name
        for name, module in {
            "intake": intake.bootstrap,
            "returns": returns.bootstrap,
            "police-handover": police_handover.bootstrap,
            "monitoring": monitoring.bootstrap,
            "resettlement": resettlement.bootstrap,
        }.items()
        if module.definition().subscriptions
    }
    assert subscribing == set(SERVICES)


@pytest.mark.parametrize("name", sorted(SERVICES))
async def test_a_malformed_event_is_dead_lettered_by_every_subscriber(
    name, service, kafka, topic_prefix
) -> None:
    build, settings_class = SERVICES[name]
    runtime, _ = await service(build, settings_class)
    sent = 0
    for subscription in runtime.definition.subscriptions:
        for topic_name in subscription.topics:
            handled = next(iter(subscription.handlers))  # a type this subscriber takes
            example_headers = headers_for_example(handled)
            await produce(
                kafka,
                topic_prefix + topic_name,
                [(b"same-key", b'{"not": "what the schema wants"', example_headers)],
            )
            sent += 1
    dead = await read_topic(kafka, topic_prefix + f"handoff.{name}.dead-letter.v1", count=sent)
    for record in dead:
        meta = headers_of(record)
        assert meta["dlq_error_type"] == "EnvelopeError"
        assert "Invalid JSON" in meta["dlq_error_message"] or "Field required" in meta["dlq_error_message"]
        assert record.value == b'{"not": "what the schema wants"'

    async def status() -> dict:
        async with runtime.sessions() as session:
            from sqlalchemy import func, select

            inbox = runtime.definition.inbox
            rows = await session.execute(select(inbox.c.outcome, func.count()).group_by(inbox.c.outcome))
            return dict(rows.all())

    outcomes = await eventually(status, until=lambda o: o.get("dead_lettered", 0) == sent)
    assert outcomes == {"dead_lettered": sent}


def headers_for_example(model) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    """Headers of a well-formed CloudEvent of ``model``'s type (built from its example)."""
    from handoff_schemas.registry import load_example

    event = model.model_validate(load_example(model.event_type)["data"])
    headers = attributes_for(event, source="test", now=datetime.now(UTC)).to_headers()
    return [(k, v.encode()) for k, v in headers.items()]
