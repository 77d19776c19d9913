"""Detention and lighter measures over HTTP: capacity, the minor rule, occupancy counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, headers_of, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.police import DetentionEndedV1, DetentionOrderedV1, HandoverAcceptedV1
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from handoff_schemas.topics import POLICE_ENFORCEMENT_CASE_V1
from police_handover.bootstrap import PoliceHandoverSettings, build

pytestmark = [pytest.mark.db, pytest.mark.kafka]


async def test_detention_respects_capacity_and_the_minor_rule_and_every_measure_is_counted(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    package_doc: Callable[..., dict[str, Any]],
    accept: Any,
) -> None:
    runtime, client = await service(
        build, PoliceHandoverSettings, detention_facilities={"FV-NORTH": 1, "FV-SOUTH": 1}
    )
    now = datetime.now(UTC)
    first, second, third = [await accept(runtime, package_at(now)) for _ in range(3)]
    minor_document = package_doc(now, vulnerabilities=["unaccompanied_minor"])
    minor_document["identity"]["date_of_birth"] = f"{now.year - 15}-01-01"
    minor = await accept(runtime, CaseHandedOverToPoliceV1.model_validate(minor_document))
    police = auth("police")

    def order(case_id: str, facility: str, **extra: Any) -> dict[str, Any]:
        return {"enforcement_case_id": case_id, "facility": facility, "ground": "risk_of_absconding", **extra}

    placed = await client.post(
        "/detentions", json=order(first, "FV-NORTH", request_id="det-1"), headers=police
    )
    assert placed.status_code == 201, placed.text
    repeated = await client.post(
        "/detentions", json=order(first, "FV-NORTH", request_id="det-1"), headers=police
    )
    assert (repeated.status_code, repeated.json()["detention_id"]) == (200, placed.json()["detention_id"])
    full = await client.post("/detentions", json=order(second, "FV-NORTH"), headers=police)
    assert full.status_code == 409
    assert "full" in full.json()["detail"]
    twice = await client.post("/detentions", json=order(first, "FV-SOUTH"), headers=police)
    assert twice.status_code == 409
    unknown = await client.post("/detentions", json=order(second, "FV-ELSEWHERE"), headers=police)
    assert unknown.json()["errors"][0]["loc"] == ["body", "facility"]
    no_reason = await client.post("/detentions", json=order(minor, "FV-SOUTH"), headers=police)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "unaccompanied_minor_reason"]
    with_reason = await client.post(
        "/detentions",
        json=order(minor, "FV-SOUTH", unaccompanied_minor_reason="absconded twice; no lighter measure held"),
        headers=police,
    )
    assert with_reason.status_code == 201, with_reason.text
    assert with_reason.json()["minor"] is True
    lighter = await client.post(
        "/lighter-measures", json={"enforcement_case_id": third, "kind": "reporting_duty"}, headers=police
    )
    assert lighter.status_code == 201, lighter.text
    measure_id = lighter.json()["measure_id"]
    assert (await client.get(f"/lighter-measures/{measure_id}", headers=police)).json()[
        "kind"
    ] == "reporting_duty"
    reviewed = await client.post(
        f"/detentions/{placed.json()['detention_id']}/reviews",
        json={"reviewed_on": now.date().isoformat()},
        headers=police,
    )
    assert reviewed.status_code == 200
    assert reviewed.json()["reviews"] == [now.date().isoformat()]

    counts = (await client.get("/stats/measures", headers=auth("operator"))).json()
    assert counts["facilities"] == [
        {"facility": "FV-NORTH", "capacity": 1, "occupied": 1, "free": 0, "utilisation": 1.0},
        {"facility": "FV-SOUTH", "capacity": 1, "occupied": 1, "free": 0, "utilisation": 1.0},
    ]
    assert (counts["detained"], counts["minors_detained"], counts["detention_capacity"]) == (2, 1, 2)
    assert counts["lighter_measures"] == {"reporting_duty": 1}
    assert counts["persons_under_measures"] == 3

    ended = await client.post(
        f"/detentions/{placed.json()['detention_id']}/end",
        json={"reason": "released_by_court"},
        headers=police,
    )
    assert ended.status_code == 200
    assert (
        await client.post("/detentions", json=order(second, "FV-NORTH"), headers=police)
    ).status_code == 201
    lifted = await client.post(
        f"/lighter-measures/{measure_id}/end", json={"reason": "lifted"}, headers=police
    )
    assert (lifted.status_code, lifted.json()["active"]) == (200, False)
    again = await client.post(
        f"/lighter-measures/{measure_id}/end", json={"reason": "lifted"}, headers=police
    )
    assert again.status_code == 409
    assert (await client.get("/stats/measures", headers=police)).json()["lighter_measures_total"] == 0

    records = await read_topic(kafka, topic_prefix + POLICE_ENFORCEMENT_CASE_V1.name, count=8)
    types = [headers_of(r)["ce_type"] for r in records]
    assert types.count(HandoverAcceptedV1.event_type) == 4
    assert types.count(DetentionOrderedV1.event_type) == 3
    assert types.count(DetentionEndedV1.event_type) == 1
    orders = [
        DetentionOrderedV1.model_validate_json(r.value)
        for r in records
        if headers_of(r)["ce_type"] == DetentionOrderedV1.event_type
    ]
    [minor_order] = [o for o in orders if o.minor]
    assert minor_order.unaccompanied_minor_reason == "absconded twice; no lighter measure held"
