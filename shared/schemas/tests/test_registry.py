"""The registry: every event a model, a closed committed schema, an example, a topic file;
personal data only where the topic says so; committed artefacts never stale."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from handoff_schemas import registry
from handoff_schemas.access import MASK, NotAReader, can_read, visible_payload
from handoff_schemas.base import personal_data_fields
from handoff_schemas.topics import TOPICS

pytestmark = pytest.mark.unit

MODELS = registry.contract_events()
LISTED = {event_type: topic for topic in TOPICS.values() for event_type in topic.events}
IDENTIFYING = frozenset(
    {
        "name", "full_name", "first_name", "last_name", "given_name", "family_name", "surname",
        "date_of_birth", "birth_date", "dob", "document_number", "passport_number",
        "personal_identity_number", "address", "street_address",
    }
)  # fmt: skip


def property_names(schema: object) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        names |= set(schema.get("properties", {}))
        for value in schema.values():
            names |= property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= property_names(value)
    return names


def test_every_event_listed_in_a_topic_file_has_a_model_on_that_topic() -> None:
    assert sorted(LISTED) == sorted(MODELS)
    for event_type, model in MODELS.items():
        assert model.topic is LISTED[event_type], event_type
        assert model.key_field == model.topic.key, f"{event_type}: key {model.key_field} != topic key"


def test_every_topic_names_known_producers_and_a_version() -> None:
    from handoff_schemas.topics import SERVICES

    for topic in TOPICS.values():
        assert set(topic.producers) <= SERVICES, topic.name
        assert set(topic.consumers) <= SERVICES, topic.name
        assert topic.events, f"{topic.name} lists no events"
        assert all(e.endswith(".v" + topic.name.rsplit(".v", 1)[1]) for e in topic.events), topic.name


@pytest.mark.parametrize("event_type", sorted(MODELS))
def test_committed_schema_is_what_the_model_exports(event_type: str) -> None:
    path = registry.schema_path(event_type)
    assert path.exists(), f"{path.name} not committed: run make contracts"
    assert path.read_text(encoding="utf-8") == registry.schema_text(MODELS[event_type]), (
        f"{path.name} is stale: run make contracts and commit"
    )


def test_no_committed_schema_without_a_model() -> None:
    committed = {p.name.removesuffix(".json") for p in registry.SCHEMA_DIR.glob("*.json")}
    assert committed == set(MODELS)


@pytest.mark.parametrize("event_type", sorted(MODELS))
def test_schemas_are_closed_at_every_level(event_type: str) -> None:
    schema = registry.json_schema(MODELS[event_type])
    for where, node in registry.object_schemas(schema):
        assert node.get("additionalProperties") is False, f"{event_type} {where} is open"


@pytest.mark.parametrize("event_type", sorted(MODELS))
def test_the_example_is_valid_against_the_model_and_the_committed_schema(event_type: str) -> None:
    example = registry.load_example(event_type)
    model = MODELS[event_type]
    event = model.model_validate(example["data"])
    assert example["key"] == event.aggregate_id()
    schema = json.loads(registry.schema_path(event_type).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = list(
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(
            example["data"]
        )
    )
    assert errors == []
    # and the committed schema refuses what the model refuses: an unknown field
    assert list(Draft202012Validator(schema).iter_errors({**example["data"], "surprise": 1}))


@pytest.mark.parametrize("event_type", sorted(MODELS))
def test_personal_data_only_on_topics_that_declare_it(event_type: str) -> None:
    model = MODELS[event_type]
    marked = registry.personal_fields(registry.json_schema(model))
    if not model.topic.personal_data:
        assert marked == [], f"{event_type} marks personal data on {model.topic.name}"
        identifying = property_names(registry.json_schema(model)) & IDENTIFYING
        assert not identifying, f"{event_type} carries {sorted(identifying)} on {model.topic.name}"


def test_topics_declaring_personal_data_mark_it_and_keep_it_from_the_monitor() -> None:
    for topic in TOPICS.values():
        if topic.personal_data:
            assert "monitor" not in topic.readers, topic.name
            marked = [
                f for t in topic.events for f in registry.personal_fields(registry.json_schema(MODELS[t]))
            ]
            assert marked, f"{topic.name} declares personal data but no field is marked"


def test_redaction_and_access_read_the_marks() -> None:
    handover = MODELS["handoff.returns.case-handed-over-to-police.v1"]
    marked_leaves = {
        p.rsplit(".", 1)[-1].rstrip("[]") for p in registry.personal_fields(registry.json_schema(handover))
    }
    assert marked_leaves <= personal_data_fields()
    event = handover.model_validate(registry.load_example(handover.event_type)["data"])
    assert can_read("police", handover)
    assert not can_read("monitor", handover)
    with pytest.raises(NotAReader):
        visible_payload("monitor", event)
    assert visible_payload("police", event) == event.model_dump(mode="json")


def test_a_marked_field_on_a_non_personal_topic_is_masked_for_its_readers() -> None:
    from typing import ClassVar

    from handoff_schemas.base import Event, personal
    from handoff_schemas.topics import POLICE_REMOVAL_PLAN_V1, Topic

    class Leaky(Event):  # not registered: no event_type
        topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
        plan_id: str
        full_name: str = personal("a name that should never have been here")

    assert visible_payload("monitor", Leaky(plan_id="PL-1", full_name="X")) == {
        "plan_id": "PL-1",
        "full_name": MASK,
    }


def test_the_committed_catalogue_is_current() -> None:
    assert registry.CATALOGUE.read_text(encoding="utf-8") == registry.catalogue_text(), (
        "docs/events.md is stale: run make contracts"
    )
