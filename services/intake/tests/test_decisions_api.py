"""Deciding applications and recording enforceability over intake's HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, headers_of, read_topic
from handoff_schemas.events.intake import (
    DecisionEnforceableV1,
    DecisionMadeV1,
    ResidencePermitGrantedV1,
)

pytestmark = [pytest.mark.db, pytest.mark.kafka]
AGENCY = auth("agency")
TOPIC = DecisionMadeV1.topic.name


async def registered(client: Any, body: dict[str, Any]) -> str:
    response = await client.post("/applications", json=body, headers=AGENCY)
    assert response.status_code == 201, response.text
    application_id: str = response.json()["application_id"]
    return application_id


async def test_a_grant_is_published_with_its_permit_once(intake, bodies, outbox, kafka, topic_prefix) -> None:
    runtime, client = await intake()
    application_id = await registered(client, bodies.application())
    grant = bodies.grant(request_id="dec-1")

    first = await client.post(f"/applications/{application_id}/decision", json=grant, headers=AGENCY)
    again = await client.post(f"/applications/{application_id}/decision", json=grant, headers=AGENCY)
    staged = await outbox.count(runtime)
    twice = await client.post(
        f"/applications/{application_id}/decision", json=bodies.refusal(request_id="dec-2"), headers=AGENCY
    )
    enforce = await client.post(
        f"/applications/{application_id}/enforceability",
        json={"enforceable_on": "2026-11-20"},
        headers=AGENCY,
    )

    assert first.status_code == 201, first.text
    decided = first.json()
    assert decided["status"] == "granted"
    assert decided["overdue"] is False
    assert decided["decision"]["permit"]["valid_from"] == "2026-11-20"
    assert again.status_code == 200
    assert again.json() == decided
    assert twice.status_code == 409
    assert "already decided" in twice.json()["detail"]
    assert enforce.status_code == 409
    assert "only refusals become enforceable" in enforce.json()["detail"]
    assert await outbox.count(runtime) == staged == 4  # registered, identity, decided, permit

    records = await read_topic(kafka, topic_prefix + TOPIC, count=3)
    assert {r.key.decode() for r in records} == {application_id}
    made = DecisionMadeV1.model_validate_json(records[1].value)
    permit = ResidencePermitGrantedV1.model_validate_json(records[2].value)
    assert made.decision_id == decided["decision"]["decision_id"]
    assert (made.outcome.value, made.permit_type, made.removal_order) == ("granted", permit.permit_type, None)
    assert permit.permit_id == decided["decision"]["permit"]["permit_id"]
    assert permit.person_ref == decided["person_ref"]
    assert (permit.valid_from.isoformat(), permit.valid_until and permit.valid_until.isoformat()) == (
        "2026-11-20",
        "2029-11-19",
    )
    assert permit.household_size == 3
    assert [band.value for band in permit.household_age_bands] == ["26_64", "under_12"]
    assert permit.needs_municipal_place is True
    for record in records:
        assert b"Amina" not in record.value
        assert b"P1234567" not in record.value


async def test_a_refusal_becomes_enforceable_only_after_the_appeal_period(
    intake, bodies, outbox, kafka, topic_prefix
) -> None:
    runtime, client = await intake()
    application_id = await registered(client, bodies.application())
    immediate_id = await registered(client, bodies.application())
    url = f"/applications/{application_id}"

    refused = await client.post(f"{url}/decision", json=bodies.refusal(), headers=AGENCY)
    assert refused.status_code == 201, refused.text
    assert refused.json()["housing_steer"] == "ordinary"
    assert refused.json()["decision"]["earliest_enforceable_on"] == "2026-11-23"
    too_early = await client.post(
        f"{url}/enforceability", json={"enforceable_on": "2026-11-22"}, headers=AGENCY
    )
    assert too_early.status_code == 422
    [error] = too_early.json()["errors"]
    assert error["loc"] == ["body", "enforceable_on"]
    assert "appeal period of 21 days" in error["message"]
    assert "2026-11-23 or later" in error["message"]
    assert "appeal_waived" in error["message"]
    future = await client.post(f"{url}/enforceability", json={"enforceable_on": "2026-11-24"}, headers=AGENCY)
    assert future.status_code == 422
    assert "in the future" in future.json()["errors"][0]["message"]

    waived = {"enforceable_on": "2026-11-10", "appeal_waived": True}
    done = await client.post(f"{url}/enforceability", json=waived, headers=AGENCY)
    same = await client.post(f"{url}/enforceability", json=waived, headers=AGENCY)
    other = await client.post(f"{url}/enforceability", json={"enforceable_on": "2026-11-23"}, headers=AGENCY)
    assert done.status_code == same.status_code == 200, done.text
    assert done.json()["status"] == "enforceable"
    assert done.json()["decision"]["enforceable_on"] == "2026-11-10"
    assert other.status_code == 409
    assert "already enforceable since 2026-11-10" in other.json()["detail"]

    immediate = bodies.refusal(
        removal_order="refusal_of_entry", immediate_enforcement=True, decided_on="2026-11-20"
    )
    steered = await client.post(f"/applications/{immediate_id}/decision", json=immediate, headers=AGENCY)
    assert steered.json()["housing_steer"] == "near_place_of_departure"
    at_once = await client.post(
        f"/applications/{immediate_id}/enforceability", json={"enforceable_on": "2026-11-20"}, headers=AGENCY
    )
    assert at_once.status_code == 200, at_once.text
    assert await outbox.count(runtime) == 8  # 2 x (registered, identity, decided, enforceable)

    records = await read_topic(kafka, topic_prefix + TOPIC, count=6)
    enforceable = {
        r.key.decode(): DecisionEnforceableV1.model_validate_json(r.value)
        for r in records
        if headers_of(r)["ce_type"] == DecisionEnforceableV1.event_type
    }
    assert enforceable[application_id].enforceable_on.isoformat() == "2026-11-10"
    assert enforceable[application_id].immediate_enforcement is False
    assert enforceable[application_id].decision_id == refused.json()["decision"]["decision_id"]
    assert enforceable[immediate_id].immediate_enforcement is True
    assert enforceable[immediate_id].removal_order.value == "refusal_of_entry"


async def test_bad_decisions_are_422s_naming_the_field_and_unknown_ids_404s(intake, bodies, outbox) -> None:
    runtime, client = await intake()
    application_id = await registered(client, bodies.application())
    url = f"/applications/{application_id}"
    household = bodies.grant()["household"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({k: v for k, v in bodies.grant().items() if k != "outcome"}, "outcome"),
        (bodies.grant(outcome="maybe"), "outcome"),
        (bodies.grant(decided_on="2026-11-24"), "decided_on"),
        (bodies.grant(decided_on="2026-09-30"), "decided_on"),
        (bodies.grant(permit_type=None), "permit_type"),
        (bodies.grant(permit_type="forever"), "permit_type"),
        (bodies.grant(household=None), "household"),
        (bodies.grant(removal_order="expulsion"), "removal_order"),
        (bodies.grant(valid_until=None), "valid_until"),
        (bodies.grant(permit_type="permanent"), "valid_until"),
        (bodies.grant(valid_from="2026-11-01"), "valid_from"),
        (bodies.grant(household={**household, "size": 0}), "size"),
        (bodies.grant(household={**household, "size": 1}), "age_bands"),
        (bodies.grant(household={**household, "special_needs": ["a_pony"]}), "special_needs"),
        (bodies.refusal(removal_order=None), "removal_order"),
        (bodies.refusal(destination_country=None), "destination_country"),
        (bodies.refusal(destination_country="Somalia"), "destination_country"),
        (bodies.refusal(destination_country="ZZZ"), "destination_country"),
        (bodies.refusal(destination_country="XXA"), "destination_country"),  # a nationality, not a place
        (bodies.refusal(decided_on="9999-12-31"), "decided_on"),
        (bodies.grant(valid_until="9999-12-31"), "valid_until"),
        (bodies.refusal(permit_type="permanent"), "permit_type"),
        (bodies.refusal(immediate_enforcement=True), "immediate_enforcement"),
        (bodies.refusal(request_id=""), "request_id"),
        (bodies.refusal(surprise=True), "surprise"),
    ]
    for body, field in cases:
        response = await client.post(f"{url}/decision", json=body, headers=AGENCY)
        assert response.status_code == 422, (field, response.text)
        locations = [error["loc"] for error in response.json()["errors"]]
        assert any(field in location for location in locations), (field, locations)
    for body, field in [({}, "enforceable_on"), ({"enforceable_on": "next week"}, "enforceable_on")]:
        response = await client.post(f"{url}/enforceability", json=body, headers=AGENCY)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", field]
    undecided = await client.post(
        f"{url}/enforceability", json={"enforceable_on": "2026-11-20"}, headers=AGENCY
    )
    assert undecided.status_code == 409
    assert "not decided" in undecided.json()["detail"]

    for path, body in [
        ("/decision", bodies.refusal()),
        ("/enforceability", {"enforceable_on": "2026-11-20"}),
        ("", None),
    ]:
        method = "POST" if body is not None else "GET"
        response = await client.request(method, f"/applications/APP-unknown{path}", json=body, headers=AGENCY)
        assert response.status_code == 404, (path, response.text)
        assert "APP-unknown" in response.json()["detail"]
    assert await outbox.count(runtime) == 2  # the registration only
