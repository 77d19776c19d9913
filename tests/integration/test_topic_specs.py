"""The topic specifications say who writes and who reads each topic (Kafka's ACLs are generated from
them): they must match what the services actually publish and subscribe to."""

from __future__ import annotations

import pytest

import intake.bootstrap
import monitoring.bootstrap
import police_handover.bootstrap
import resettlement.bootstrap
import returns.bootstrap
from handoff_plumbing.service import ServiceDefinition
from handoff_schemas.topics import TOPICS

pytestmark = pytest.mark.unit

DEFINITIONS: dict[str, ServiceDefinition] = {
    "intake": intake.bootstrap.definition(),
    "returns": returns.bootstrap.definition(),
    "police-handover": police_handover.bootstrap.definition(),
    "monitoring": monitoring.bootstrap.definition(),
    "resettlement": resettlement.bootstrap.definition(),
}


def test_each_topic_lists_exactly_the_services_that_subscribe_to_it() -> None:
    subscribed = {
        topic: sorted(
            name
            for name, definition in DEFINITIONS.items()
            if any(topic in s.topics for s in definition.subscriptions)
        )
        for topic in TOPICS
    }
    assert {name: sorted(topic.consumers) for name, topic in TOPICS.items()} == subscribed


def test_each_event_of_a_topic_is_published_by_its_producer_and_no_other() -> None:
    for name, topic in TOPICS.items():
        publishers = {
            service: {e.event_type for e in definition.publishes if e.topic.name == name}
            for service, definition in DEFINITIONS.items()
        }
        assert sorted(s for s, events in publishers.items() if events) == sorted(topic.producers), name
        for producer in topic.producers:
            assert publishers[producer] == set(topic.events), f"{producer} on {name}"
