"""The publisher for outside systems: valid documents become CloudEvents on the right topic
with the right key; invalid ones are refused naming field and rule, and nothing is published."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from handoff_devtools.testing.helpers import headers_of, read_topic, topic_size
from handoff_schemas.events.intake import ApplicationRegisteredV1
from handoff_schemas.publish import InvalidDocument, main, publish_document, validate_document

DOCUMENT = {
    "application_id": "APP-outside-1",
    "person_ref": "P-0001",
    "lodged_on": "2026-11-02",
    "dublin_case": False,
    "identity_category": "partly_documented",
    "vulnerabilities": ["disability"],
}
TYPE = ApplicationRegisteredV1.event_type


@pytest.mark.unit
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"lodged_on": "2026-13-45"}, "lodged_on: Input should be a valid date"),
        ({"identity_category": "vague"}, "identity_category: Input should be 'documented'"),
        (
            {"application_id": ""},
            "application_id: String should have at least 1 character [string_too_short]",
        ),
        ({"full_name": "Someone"}, "full_name: Extra inputs are not permitted [extra_forbidden]"),
    ],
)
def test_an_invalid_document_is_refused_naming_field_and_rule(change: dict, problem: str) -> None:
    with pytest.raises(InvalidDocument) as refused:
        validate_document(TYPE, {**DOCUMENT, **change})
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


@pytest.mark.unit
def test_a_missing_field_and_an_unknown_type_are_named() -> None:
    document = {k: v for k, v in DOCUMENT.items() if k != "person_ref"}
    with pytest.raises(InvalidDocument, match=r"person_ref: Field required \[missing\]"):
        validate_document(TYPE, document)
    with pytest.raises(InvalidDocument, match=r"event type: unknown 'handoff\.intake\.nope\.v1'"):
        validate_document("handoff.intake.nope.v1", DOCUMENT)


@pytest.mark.kafka
async def test_a_valid_document_is_published_as_a_cloudevent_keyed_by_its_aggregate(
    kafka, topic_prefix
) -> None:
    await kafka.grant(topic_prefix)
    published = await publish_document(
        TYPE,
        DOCUMENT,
        bootstrap_servers=kafka.bootstrap,
        source="urn:agency:test-system",
        topic_prefix=topic_prefix,
        security=kafka.security_of("intake"),  # the application topic's producer
    )

    assert published.topic == topic_prefix + "handoff.intake.application.v1"
    [record] = await read_topic(kafka, published.topic, count=1)
    headers = headers_of(record)
    assert record.key == b"APP-outside-1"
    assert headers["ce_type"] == TYPE
    assert headers["ce_source"] == "urn:agency:test-system"
    assert headers["ce_id"] == published.attributes.id
    assert json.loads(record.value) == DOCUMENT


@pytest.mark.kafka
def test_the_command_refuses_bad_input_and_publishes_nothing(
    kafka, topic_prefix, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(kafka.grant(topic_prefix))
    for name, value in kafka.security_of("intake").environment().items():  # credentials from the environment
        monkeypatch.setenv(name, value)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**DOCUMENT, "dublin_case": "perhaps"}))
    args = ["--source", "urn:x", "--bootstrap-servers", kafka.bootstrap, "--topic-prefix", topic_prefix]

    assert main([TYPE, str(bad), *args]) == 2
    err = capsys.readouterr().err
    assert "invalid: dublin_case: Input should be a valid boolean" in err
    assert "nothing was published" in err
    assert asyncio.run(topic_size(kafka, topic_prefix + "handoff.intake.application.v1")) == 0

    good = tmp_path / "good.json"
    good.write_text(json.dumps(DOCUMENT))
    assert main([TYPE, str(good), *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["key"] == "APP-outside-1"
    assert asyncio.run(topic_size(kafka, topic_prefix + "handoff.intake.application.v1")) == 1
