"""Removal plans over the Police's HTTP API, with their events on the real broker."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, headers_of, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.police import (
    RemovalExecutedV1,
    RemovalPlanCreatedV1,
    RemovalPlanUpdatedV1,
)
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from handoff_schemas.topics import POLICE_REMOVAL_PLAN_V1
from police_handover.bootstrap import PoliceHandoverSettings, build

pytestmark = [pytest.mark.db, pytest.mark.kafka]
PERSONAL = (b"Testi", b"1989-04-01", b"TEST00001", b"Testgatan", b"211 00")
ALL_DONE = {
    "recovery_time_after_medical_procedure": "done",
    "medicines_and_patient_records_packed": "done",
    "child_protection_or_health_care_measures_known": "done",
}


async def test_a_plan_made_over_http_notifies_the_monitor_without_personal_data(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    body = plan_for(case_id, request_id="police-system-7")

    first = await client.post("/removal-plans", json=body, headers=auth("police"))
    again = await client.post("/removal-plans", json=body, headers=auth("police"))

    assert first.status_code == 201, first.text
    plan = first.json()
    assert again.status_code == 200
    assert again.json()["plan_id"] == plan["plan_id"]
    assert plan["status"] == "planned"
    assert plan["allowed_transitions"] == ["aborted", "cancelled", "executed", "updated"]
    assert (plan["age_band"], plan["minor"], plan["sex"], plan["nationality"]) == (
        "26_64",
        False,
        "male",
        "IRQ",
    )
    assert plan["responsible_department"] == "POL-SYD"
    assert plan["measure"] == "none"
    [record] = await read_topic(kafka, topic_prefix + POLICE_REMOVAL_PLAN_V1.name, count=1)
    headers = headers_of(record)
    assert headers["ce_type"] == RemovalPlanCreatedV1.event_type
    assert headers["ce_source"] == "police-handover"
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}", headers["traceparent"])
    assert record.key.decode() == plan["plan_id"]
    event = RemovalPlanCreatedV1.model_validate_json(record.value)
    assert event.age_band.value == "26_64"
    assert event.vulnerabilities == ["serious_illness"]
    for personal in PERSONAL:
        assert personal not in record.value
    status = (await client.get("/ops/status", headers=auth("operator"))).json()["outbox"]
    assert status["pending"] + status["published"] == 2  # handover-accepted and one plan-created


async def test_a_plan_goes_through_its_lifecycle_and_refuses_illegal_steps(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    police = auth("police")
    plan_id = (await client.post("/removal-plans", json=plan_for(case_id), headers=police)).json()["plan_id"]
    detention = {"enforcement_case_id": case_id, "facility": "FV-JOUTSENO", "ground": "preparing_removal"}
    assert (await client.post("/detentions", json=detention, headers=police)).status_code == 201

    changed = await client.patch(
        f"/removal-plans/{plan_id}", json={"transport": "charter", "measure": "detention"}, headers=police
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["revision"]) == ("updated", 2)
    unchanged = await client.patch(f"/removal-plans/{plan_id}", json={"transport": "charter"}, headers=police)
    assert unchanged.json()["revision"] == 2  # nothing changed: no new revision, no event
    stale = await client.patch(
        f"/removal-plans/{plan_id}",
        json={"expected_revision": 1, "escort_level": "unescorted"},
        headers=police,
    )
    assert stale.status_code == 409
    execution = {"use_of_force": True, "restraints_used": ["handcuffs"], "incidents": ["delay_at_transit"]}
    pending = await client.post(f"/removal-plans/{plan_id}/execution", json=execution, headers=police)
    assert pending.status_code == 409
    assert "pending" in pending.json()["detail"]
    done = await client.patch(f"/removal-plans/{plan_id}", json={"precautions": ALL_DONE}, headers=police)
    assert done.json()["revision"] == 3

    executed = await client.post(f"/removal-plans/{plan_id}/execution", json=execution, headers=police)

    assert executed.status_code == 200, executed.text
    assert executed.json()["status"] == "executed"
    assert executed.json()["execution"]["restraints_used"] == ["handcuffs"]
    for step, body in (
        ("execution", execution),
        ("cancellation", {"reason": "other"}),
        ("abort", {"reason": "medical", "at_departure": True}),
    ):
        refused = await client.post(f"/removal-plans/{plan_id}/{step}", json=body, headers=police)
        assert refused.status_code == 409, step
        assert "executed" in refused.json()["detail"]
    assert (
        await client.patch(f"/removal-plans/{plan_id}", json={"transport": "land"}, headers=police)
    ).status_code == 409
    case = (await client.get(f"/enforcement-cases/{case_id}", headers=police)).json()
    assert (case["status"], case["closed_reason"]) == ("closed", "removed")
    detentions = (
        await client.get("/detentions", params={"enforcement_case_id": case_id}, headers=police)
    ).json()
    assert detentions["items"][0]["end_reason"] == "removed"

    records = await read_topic(kafka, topic_prefix + POLICE_REMOVAL_PLAN_V1.name, count=4)
    assert [headers_of(r)["ce_type"] for r in records] == [
        RemovalPlanCreatedV1.event_type,
        RemovalPlanUpdatedV1.event_type,
        RemovalPlanUpdatedV1.event_type,
        RemovalExecutedV1.event_type,
    ]
    first_update = RemovalPlanUpdatedV1.model_validate_json(records[1].value)
    assert first_update.changed_fields == ["transport", "measure"]

    # Another case: an aborted removal leaves the case open for a new plan.
    other = await accept(runtime, package_at(datetime.now(UTC)))
    aborted_id = (await client.post("/removal-plans", json=plan_for(other), headers=police)).json()["plan_id"]
    assert (await client.post("/removal-plans", json=plan_for(other), headers=police)).status_code == 409
    aborted = await client.post(
        f"/removal-plans/{aborted_id}/abort",
        json={"reason": "refusal_by_carrier", "at_departure": True},
        headers=police,
    )
    assert aborted.status_code == 200
    assert aborted.json()["ending"]["reason"] == "refusal_by_carrier"
    assert (await client.post("/removal-plans", json=plan_for(other), headers=police)).status_code == 201
    listed = (await client.get("/removal-plans", params={"status": "aborted"}, headers=police)).json()
    assert [p["plan_id"] for p in listed["items"]] == [aborted_id]
    page = (await client.get("/removal-plans", params={"limit": 1, "offset": 1}, headers=police)).json()
    assert (page["total"], len(page["items"])) == (3, 1)
    stats = (await client.get("/stats/removal-plans", headers=auth("operator"))).json()
    assert stats["by_status"] == {"aborted": 1, "executed": 1, "planned": 1}


async def test_bad_input_is_a_4xx_naming_the_field(
    service: Any,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    police = auth("police")
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    bad: list[tuple[dict[str, Any], str]] = [
        (plan_for("EC-nope"), "enforcement_case_id"),
        (plan_for(case_id, planned_departure=past), "planned_departure"),
        (plan_for(case_id, planned_departure="2030-01-01T10:00:00"), "planned_departure"),
        (plan_for(case_id, transport="balloon"), "transport"),
        (plan_for(case_id, responsible_department="POL-MARS"), "responsible_department"),
        (plan_for(case_id, destination_country="Iraq"), "destination_country"),
        (plan_for(case_id, transit_countries=["IRQ"]), "transit_countries"),
        (
            plan_for(case_id, precautions={"recovery_time_after_medical_procedure": "not_applicable"}),
            "precautions",
        ),
        (plan_for(case_id, surprise=1), "surprise"),
        (plan_for(case_id, destination_country="ZZZ"), "destination_country"),
        (plan_for(case_id, transit_countries=["TUR", "ZZZ"]), "transit_countries"),
        (plan_for(case_id, planned_departure="9999-12-31T23:59:59+00:00"), "planned_departure"),
        (plan_for(case_id, responsible_department="POL\x00"), "responsible_department"),
        ({k: v for k, v in plan_for(case_id).items() if k != "escort_level"}, "escort_level"),
    ]
    for body, field in bad:
        response = await client.post("/removal-plans", json=body, headers=police)
        assert response.status_code == 422, (field, response.text)
        locations = [error["loc"] for error in response.json()["errors"]]
        assert any(field in location for location in locations), (field, locations)

    plan_id = (await client.post("/removal-plans", json=plan_for(case_id), headers=police)).json()["plan_id"]
    nulled = await client.patch(f"/removal-plans/{plan_id}", json={"transport": None}, headers=police)
    assert nulled.status_code == 422
    assert nulled.json()["errors"][0]["loc"] == ["body", "transport"]
    bad_abort = await client.post(
        f"/removal-plans/{plan_id}/abort", json={"reason": "bored", "at_departure": True}, headers=police
    )
    assert bad_abort.json()["errors"][0]["loc"] == ["body", "reason"]
    assert (await client.get("/removal-plans/PL-nope", headers=police)).status_code == 404
    assert (
        await client.post("/removal-plans/PL-nope/cancellation", json={"reason": "other"}, headers=police)
    ).status_code == 404
    assert (await client.get("/enforcement-cases/EC-nope", headers=police)).status_code == 404
    for query in ({"limit": 0}, {"offset": 10**30}, {"departure_from": "0001-01-01T00:00:00+14:00"}):
        assert (await client.get("/removal-plans", params=query, headers=police)).status_code == 422, query
    assert (await client.get("/removal-plans/PL%00x", headers=police)).status_code == 422
