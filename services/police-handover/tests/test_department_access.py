"""A police department sees its own enforcement cases and removal plans; another department gets
404 for each of them (422 when its body refers to one), never the data, and lists without them.
National units see all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth
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
