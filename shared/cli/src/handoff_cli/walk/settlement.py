"""A quota refugee household walked from selection to a confirmed municipal place: the Agency
registers and selects it, the county board agrees places and offers one, the municipality
accepts, the board confirms, and the municipality may then read the household's details."""

from __future__ import annotations

from typing import Any

from handoff_cli.suite import ApiError
from handoff_cli.walk.steps import AGENCY, COUNTY_BOARD, MUNICIPALITY, Walk

COUNTY, PLACE = "12", "1280"
FAIRNESS_NOTE = "handoff flow walks its own household through; the queue is not changed by it"


async def walk_settlement(walk: Walk) -> dict[str, str]:
    ids: dict[str, str] = {}
    year = walk.today.year
    case = await walk.post(
        AGENCY,
        "resettlement",
        "/cases",
        {
            "request_id": walk.request_id("quota-case"),
            "quota_year": year,
            "priority": "emergency",
            "submission_category": "medical_needs",
            "submitted_on": walk.day(-40),
            "members": [
                {"full_name": "Dalia Example", "age_band": "26_64", "sex": "female", "nationality": "SYR"},
                {"full_name": "Sami Example", "age_band": "under_12", "sex": "male", "nationality": "SYR"},
            ],
        },
    )
    ids["quota_case"] = case_id = case["case_id"]
    walk.record(
        AGENCY,
        "resettlement",
        f"POST /cases (UNHCR submission, {walk.day(-40)})",
        f"case {case_id}: 2 people, emergency, {case['state']}",
    )
    selected = await walk.post(
        AGENCY,
        "resettlement",
        f"/cases/{case_id}/selection",
        {"decision": "selected", "decided_on": walk.day(-30)},
    )
    walk.record(
        AGENCY,
        "resettlement",
        f"POST /cases/{case_id}/selection",
        f"selected against the {year} quota; {selected['state']} since {selected['waiting_since']}",
    )
    agreement = await _places(walk, year)
    ids["agreement"] = agreement["agreement_id"]
    walk.record(
        COUNTY_BOARD,
        "resettlement",
        "POST /municipal-places",
        f"agreement {agreement['agreement_id']}: municipality {PLACE} takes {agreement['assignable_places']} "
        f"assignable places in {year}",
    )
    placement = await _offer(walk, case_id, agreement["agreement_id"])
    ids["placement"] = placement_id = placement["placement_id"]
    walk.record(
        COUNTY_BOARD,
        "resettlement",
        "POST /placements",
        f"offer {placement_id} to municipality {PLACE}, answer due {placement['answer_due_on']}",
    )
    accepted = await walk.post(MUNICIPALITY, "resettlement", f"/placements/{placement_id}/acceptance", {})
    walk.record(
        MUNICIPALITY,
        "resettlement",
        f"POST /placements/{placement_id}/acceptance",
        f"status {accepted['status']}",
    )
    confirmed = await walk.post(
        COUNTY_BOARD,
        "resettlement",
        f"/placements/{placement_id}/confirmation",
        {"arrival_planned_on": walk.day(30)},
    )
    walk.record(
        COUNTY_BOARD,
        "resettlement",
        f"POST /placements/{placement_id}/confirmation",
        f"status {confirmed['status']}, arrival planned {confirmed['arrival_planned_on']}",
    )
    details = await walk.suite.get("resettlement", f"/cases/{case_id}/full-details", MUNICIPALITY)
    members = details.get("members") or []
    walk.record(
        MUNICIPALITY,
        "resettlement",
        f"GET /cases/{case_id}/full-details",
        f"the household's details, now visible to municipality {PLACE}: {len(members)} members",
    )
    return ids


async def _places(walk: Walk, year: int) -> Any:
    """The municipality's agreement for the year: made, or (on a later walk) given more places."""
    terms = {"agreed_on": walk.day(0), "agreed_places": 20, "assignable_places": 10, "accessible_places": 2}
    found = await walk.suite.get(
        "resettlement", "/municipal-places", COUNTY_BOARD, year=year, municipality_code=PLACE
    )
    if not found["items"]:
        return await walk.post(
            COUNTY_BOARD,
            "resettlement",
            "/municipal-places",
            {
                "request_id": walk.request_id("places"),
                "county_code": COUNTY,
                "municipality_code": PLACE,
                "year": year,
                **terms,
            },
        )
    agreement = found["items"][0]
    if agreement["free_general_places"] >= 2:
        return agreement
    more = agreement["assignable_places"] + 10
    return await walk.suite.call(
        "resettlement",
        "PUT",
        f"/municipal-places/{agreement['agreement_id']}",
        COUNTY_BOARD,
        json={**terms, "agreed_places": max(agreement["agreed_places"], more), "assignable_places": more},
    )


async def _offer(walk: Walk, case_id: str, agreement_id: str) -> Any:
    body = {"request_id": walk.request_id("offer"), "case_id": case_id, "agreement_id": agreement_id}
    try:
        return await walk.post(COUNTY_BOARD, "resettlement", "/placements", body)
    except ApiError as exc:
        if exc.status != 422 or "passed_over_reason" not in str(exc):
            raise
    # Households ahead in the queue fit this place too: the board must say why (recorded).
    return await walk.post(
        COUNTY_BOARD,
        "resettlement",
        "/placements",
        {**body, "request_id": walk.request_id("offer-with-reason"), "passed_over_reason": FAIRNESS_NOTE},
    )
