"""Every resettlement resource that belongs to one county or municipality is seen and changed
by that unit alone: another county board or municipality gets 404, never the data, and its
lists leave it out. The county and municipality come from the token's own claims."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth

pytestmark = [pytest.mark.db, pytest.mark.kafka]


async def test_another_county_or_municipality_gets_404_for_every_resource_of_a_unit(api: Any) -> None:
    agreement = await api.agree("1280", county="12")
    case_id = await api.quota_case()
    run = await api.run(county="12")
    [proposal] = run["proposals"]
    placement = proposal["placement_id"]
    other_board, other_municipality = api.board("01"), api.municipality("0180")
    own_board, own_municipality = api.board("12"), api.municipality("1280")

    reads = [
        (
            f"/municipal-places/{agreement['agreement_id']}",
            [own_board, own_municipality],
            [other_board, other_municipality],
        ),
        (f"/matching-runs/{run['run_id']}", [own_board], [other_board]),
        (f"/placements/{placement}", [own_board, own_municipality], [other_board, other_municipality]),
    ]
    for path, allowed, hidden in reads:
        for headers in allowed:
            assert (await api.client.get(path, headers=headers)).status_code == 200, path
        for headers in hidden:
            refused = await api.client.get(path, headers=headers)
            assert refused.status_code == 404, (path, refused.text)
            assert set(refused.json()) == {"type", "title", "status", "detail", "instance"}  # a bare problem

    for listing in ("/municipal-places", "/placements"):
        assert (await api.ok("GET", listing, own_board))["total"] == 1
        assert (await api.ok("GET", listing, own_municipality))["total"] == 1
        assert (await api.ok("GET", listing, other_board))["total"] == 0
        assert (await api.ok("GET", listing, other_municipality))["total"] == 0

    changes = [
        ("PUT", f"/municipal-places/{agreement['agreement_id']}", api.terms(), other_board),
        ("POST", f"/placements/{placement}/acceptance", None, other_municipality),
        (
            "POST",
            f"/placements/{placement}/decline",
            {"reason": "no_suitable_housing_size", "reason_text": "Too small"},
            other_municipality,
        ),
        ("POST", f"/placements/{placement}/withdrawal", {"reason": "No answer"}, other_board),
        ("POST", f"/placements/{placement}/confirmation", {"arrival_planned_on": "2026-11-20"}, other_board),
        ("POST", f"/placements/{placement}/arrival", {"arrived_on": "2026-11-20"}, other_board),
        ("POST", f"/placements/{placement}/settlement", {"settled_on": "2026-11-21"}, other_municipality),
    ]
    for method, path, body, headers in changes:
        refused = await api.client.request(method, path, json=body, headers=headers)
        assert refused.status_code == 404, (method, path, refused.text)
    assert (await api.ok("GET", f"/placements/{placement}", own_board))["status"] == "offered"  # untouched

    offer = {"case_id": case_id, "agreement_id": agreement["agreement_id"], "passed_over_reason": "x"}
    foreign = await api.client.post("/placements", json=offer, headers=other_board)
    assert foreign.status_code == 422  # as for an agreement that does not exist
    assert foreign.json()["errors"][0]["loc"] == ["body", "agreement_id"]

    await api.ok("POST", f"/placements/{placement}/acceptance", own_municipality)
    await api.ok(
        "POST", f"/placements/{placement}/confirmation", own_board, {"arrival_planned_on": "2026-11-20"}
    )
    details = f"/cases/{case_id}/full-details"
    assert (await api.client.get(details, headers=own_municipality)).status_code == 200
    assert (await api.client.get(details, headers=other_municipality)).status_code == 404
    no_claim = auth("municipality", "municipality-without-a-code")
    assert (await api.client.get(details, headers=no_claim)).status_code == 403
