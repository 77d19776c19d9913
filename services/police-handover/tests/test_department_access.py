"""A police department sees its own enforcement cases, removal plans, detentions and lighter
measures; another department gets 404 for each of them (422 when its body refers to one), never
the data, and lists without them. National units see all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.bootstrap import PoliceHandoverSettings, build

pytestmark = [pytest.mark.db, pytest.mark.kafka]
SOUTH = auth("police", "officer-s", department="POL-SYD")
NORTH = auth("police", "officer-n", department="POL-NORD")
NATIONAL = auth("police", "noa-desk")


async def test_another_department_gets_404_for_every_case_and_plan_and_sees_none_listed(
    service: Any,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    foreign = await client.post("/removal-plans", json=plan_for(case_id), headers=NORTH)
    assert foreign.status_code == 422  # as for a case that does not exist
    assert foreign.json()["errors"][0]["loc"] == ["body", "enforcement_case_id"]
    created = await client.post("/removal-plans", json=plan_for(case_id), headers=SOUTH)
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["responsible_department"] == "POL-SYD"
    plan_path = f"/removal-plans/{plan['plan_id']}"

    reads = [f"/enforcement-cases/{case_id}", plan_path]
    for path in reads:
        assert (await client.get(path, headers=SOUTH)).status_code == 200
        assert (await client.get(path, headers=NATIONAL)).status_code == 200
        hidden = await client.get(path, headers=NORTH)
        missing = await client.get(path + "-none", headers=SOUTH)
        assert (hidden.status_code, missing.status_code) == (404, 404)
        assert hidden.json()["title"] == missing.json()["title"]  # as if it did not exist
        assert "POL-SYD" not in hidden.text

    changes = [
        ("PATCH", plan_path, {"escort_level": "escorted_to_destination"}),
        ("POST", f"{plan_path}/execution", {"use_of_force": False}),
        ("POST", f"{plan_path}/abort", {"reason": "resistance", "at_departure": True}),
        ("POST", f"{plan_path}/cancellation", {"reason": "other"}),
    ]
    for method, path, body in changes:
        refused = await client.request(method, path, json=body, headers=NORTH)
        assert refused.status_code == 404, (method, path, refused.text)
    assert (await client.get(plan_path, headers=SOUTH)).json()["status"] == "planned"  # untouched

    for listing in ("/enforcement-cases", "/removal-plans"):
        assert (await client.get(listing, headers=SOUTH)).json()["total"] == 1
        assert (await client.get(listing, headers=NATIONAL)).json()["total"] == 1
        assert (await client.get(listing, headers=NORTH)).json()["total"] == 0
        asked = await client.get(f"{listing}?responsible_department=POL-SYD", headers=NORTH)
        assert asked.json()["total"] == 0


async def north_case(runtime: ServiceRuntime, package_doc: Callable[..., dict[str, Any]], accept: Any) -> str:
    """A case of POL-NORD: the person last lived in Luleå (county 25)."""
    document = package_doc(datetime.now(UTC))
    document["last_known_address"]["municipality_code"] = "2580"
    return str(await accept(runtime, CaseHandedOverToPoliceV1.model_validate(document)))


def detention_for(case_id: str) -> dict[str, Any]:
    return {"enforcement_case_id": case_id, "facility": "FV-A", "ground": "risk_of_absconding"}


def lighter_measure_for(case_id: str, kind: str = "reporting_duty") -> dict[str, Any]:
    return {"enforcement_case_id": case_id, "kind": kind}


async def test_another_department_can_neither_order_nor_read_nor_change_a_case_s_measures(
    service: Any,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings, detention_facilities={"FV-A": 5})
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    for path, body in (
        ("/detentions", detention_for(case_id)),
        ("/lighter-measures", lighter_measure_for(case_id)),
    ):
        foreign = await client.post(path, json=body, headers=NORTH)
        assert foreign.status_code == 422, (path, foreign.text)  # as for a case that does not exist
        assert foreign.json()["errors"][0]["loc"] == ["body", "enforcement_case_id"]
    detained = await client.post("/detentions", json=detention_for(case_id), headers=SOUTH)
    assert detained.status_code == 201, detained.text
    measure = await client.post("/lighter-measures", json=lighter_measure_for(case_id), headers=SOUTH)
    assert measure.status_code == 201, measure.text
    detention_path = f"/detentions/{detained.json()['detention_id']}"
    measure_path = f"/lighter-measures/{measure.json()['measure_id']}"

    for path in (detention_path, measure_path):
        assert (await client.get(path, headers=SOUTH)).status_code == 200
        assert (await client.get(path, headers=NATIONAL)).status_code == 200
        hidden = await client.get(path, headers=NORTH)
        missing = await client.get(path + "-none", headers=SOUTH)
        assert (hidden.status_code, missing.status_code) == (404, 404)
        assert hidden.json()["title"] == missing.json()["title"]  # as if it did not exist
        assert "POL-SYD" not in hidden.text
        assert case_id not in hidden.text

    today = datetime.now(UTC).date().isoformat()
    changes = [
        (f"{detention_path}/reviews", {"reviewed_on": today}),
        (f"{detention_path}/end", {"reason": "released_by_court"}),
        (f"{measure_path}/end", {"reason": "lifted"}),
    ]
    for path, body in changes:
        refused = await client.post(path, json=body, headers=NORTH)
        assert refused.status_code == 404, (path, refused.text)
    detention = (await client.get(detention_path, headers=SOUTH)).json()
    assert (detention["active"], detention["reviews"]) == (True, [])  # untouched
    assert (await client.get(measure_path, headers=SOUTH)).json()["active"] is True

    for path, body in changes:
        assert (await client.post(path, json=body, headers=SOUTH)).status_code == 200, path


async def test_a_department_lists_only_the_measures_on_its_cases_and_national_units_list_all(
    service: Any,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    package_doc: Callable[..., dict[str, Any]],
    accept: Any,
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings, detention_facilities={"FV-A": 5})
    south = await accept(runtime, package_at(datetime.now(UTC)))
    north = await north_case(runtime, package_doc, accept)
    orders = [
        ("/detentions", detention_for(south), SOUTH),
        ("/detentions", detention_for(north), NATIONAL),
        ("/lighter-measures", lighter_measure_for(south), SOUTH),
        ("/lighter-measures", lighter_measure_for(south, "passport_surrendered"), NATIONAL),
        ("/lighter-measures", lighter_measure_for(north), NORTH),
    ]
    for path, body, headers in orders:
        ordered = await client.post(path, json=body, headers=headers)
        assert ordered.status_code == 201, (path, ordered.text)

    async def listed(path: str, headers: dict[str, str]) -> tuple[int, set[str]]:
        page = (await client.get(path, headers=headers)).json()
        return page["total"], {item["enforcement_case_id"] for item in page["items"]}

    assert await listed("/detentions", SOUTH) == (1, {south})
    assert await listed("/detentions", NORTH) == (1, {north})
    assert await listed("/detentions", NATIONAL) == (2, {south, north})
    assert await listed("/lighter-measures", SOUTH) == (2, {south})
    assert await listed("/lighter-measures", NORTH) == (1, {north})
    assert await listed("/lighter-measures", NATIONAL) == (3, {south, north})
    # The total counts the department's own, not the page, and not another's.
    assert await listed("/lighter-measures?limit=1", SOUTH) == (2, {south})
    assert await listed("/lighter-measures?limit=1&offset=1", SOUTH) == (2, {south})
    assert await listed("/lighter-measures?limit=1&offset=2", SOUTH) == (2, set())
    for path in ("/detentions", "/lighter-measures"):
        assert await listed(f"{path}?enforcement_case_id={south}", NORTH) == (0, set())
