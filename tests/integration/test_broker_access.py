"""The broker itself enforces the topic specifications: one principal per service, ACLs
generated from ``topics_spec/``, everything else refused."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)

from handoff_devtools.testing.helpers import produce, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.acls import READ, WRITE, acl_bindings, main, reader_principal
from handoff_schemas.topics import ALL_TOPICS, RETURNS_HANDOVER_V1

HANDOVER = RETURNS_HANDOVER_V1.name


def grants(principal: str, operation: str, topic: str) -> bool:
    return any(
        b.principal == principal and b.operation == operation and b.resource_name == topic
        for b in acl_bindings()
    )


@pytest.mark.unit
def test_the_acls_follow_the_topic_specifications() -> None:
    for topic in ALL_TOPICS:
        assert all(grants(p, WRITE, topic.name) for p in topic.producers), topic.name
        assert all(grants(c, READ, topic.name) for c in topic.consumers), topic.name
        assert all(grants(reader_principal(r), READ, topic.name) for r in topic.readers), topic.name
    assert grants("police-handover", READ, HANDOVER)
    assert not grants("monitoring", READ, HANDOVER)
    assert not grants("returns", READ, HANDOVER)  # it writes the handover; it never reads it back
    assert grants("monitoring", WRITE, "handoff.monitoring.dead-letter.v1")
    assert not grants("monitoring", WRITE, "handoff.intake.dead-letter.v1")
    assert not grants(reader_principal("monitor"), READ, HANDOVER)


@pytest.mark.unit
def test_one_command_prints_them_for_a_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kafka-acls", "--prefix", "prod."]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(acl_bindings())
    assert (
        "kafka-acls.sh --add --allow-principal User:police-handover --operation Read "
        f"--topic 'prod.{HANDOVER}' --resource-pattern-type literal"
    ) in lines


async def read_as(kafka: KafkaAccess, principal: str, topic: str, group: str) -> int:
    consumer = AIOKafkaConsumer(
        topic, **kafka.as_principal(principal).client_options(), group_id=group, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=10_000)
        return sum(len(records) for records in batches.values())
    finally:
        await consumer.stop()


@pytest.mark.kafka
async def test_the_broker_refuses_the_monitor_on_the_handover_topic_and_lets_the_police_read(
    kafka: KafkaAccess, topic_prefix: str
) -> None:
    if not kafka.secured:
        pytest.skip(f"the {kafka.kind} broker authenticates no one; the local broker and CI's do")
    await kafka.grant(topic_prefix)
    topic = topic_prefix + HANDOVER
    await produce(kafka.as_principal("returns"), topic, [(b"RC-1", b"{}", [])])  # its producer

    assert await read_as(kafka, "police-handover", topic, topic_prefix + "police-handover") == 1
    with pytest.raises(TopicAuthorizationFailedError):
        await read_as(kafka, "monitoring", topic, topic_prefix + "monitoring")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(kafka.as_principal("monitoring"), topic, [(b"RC-1", b"forged", [])])
    # The Police read with their own consumer groups only.
    with pytest.raises(GroupAuthorizationFailedError):
        await read_as(kafka, "police-handover", topic, topic_prefix + "monitoring")
    assert [r.value for r in await read_topic(kafka, topic, count=1)] == [b"{}"]


@pytest.mark.kafka
async def test_a_client_without_the_right_password_is_not_let_in(kafka: KafkaAccess) -> None:
    if not kafka.secured:
        pytest.skip(f"the {kafka.kind} broker authenticates no one")
    wrong = {**kafka.as_principal("police-handover").client_options(), "sasl_plain_password": "guessed"}
    producer = AIOKafkaProducer(**wrong, request_timeout_ms=5000)
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()
    anonymous = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, request_timeout_ms=5000)
    with pytest.raises(KafkaConnectionError):
        await anonymous.start()
    await anonymous.stop()


@pytest.mark.kafka
@pytest.mark.db
async def test_each_service_connects_as_its_own_principal(
    service, kafka: KafkaAccess, topic_prefix: str
) -> None:
    from monitoring.bootstrap import MonitoringSettings, build

    if not kafka.secured:
        pytest.skip(f"the {kafka.kind} broker authenticates no one")
    runtime, _client = await service(lambda s: build(s), MonitoringSettings)
    security = runtime.kafka_security
    assert (security.principal, security.sasl_mechanism) == ("monitoring", "SCRAM-SHA-512")
    assert runtime.settings.consumer_group().startswith(topic_prefix + "monitoring")
