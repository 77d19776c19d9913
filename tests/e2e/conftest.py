"""Steps shared by the end-to-end flows, driven through the services' HTTP APIs."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import httpx
import pytest

from handoff_devtools.testing.helpers import auth, eventually

AGENCY, POLICE = auth("agency"), auth("police")
NAME, BORN, PASSPORT = "Testi Flowperson", "1994-02-03", "FLOW12345"


async def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    body: dict = response.json()
    return body


async def hand_over_a_case(intake: httpx.AsyncClient, returns: httpx.AsyncClient) -> tuple[str, str]:
    """Application -> refusal -> enforceable -> return case -> counselling -> absconded ->
    handover. Returns (application id, return case id)."""
    application = await ok(
        await intake.post(
            "/applications",
            headers=AGENCY,
            json={
                "request_id": "flow-1",
                "applicant": {"full_name": NAME, "date_of_birth": BORN, "nationality": "IRQ", "sex": "male"},
                "lodged_on": "2026-06-01",
                "identity_documents": [
                    {
                        "kind": "passport",
                        "number": PASSPORT,
                        "issuing_country": "IRQ",
                        "expires_on": "2030-01-01",
                    }
                ],
                "vulnerabilities": ["serious_illness"],
            },
        )
    )
    application_id = application["application_id"]
    await ok(
        await intake.post(
            f"/applications/{application_id}/decision",
            headers=AGENCY,
            json={
                "request_id": "flow-1-decision",
                "decided_on": "2026-10-01",
                "outcome": "refused",
                "removal_order": "expulsion",
                "destination_country": "IRQ",
                "immediate_enforcement": False,
            },
        )
    )
    too_early = await intake.post(
        f"/applications/{application_id}/enforceability",
        headers=AGENCY,
        json={"enforceable_on": "2026-10-05"},
    )
    assert too_early.status_code == 422
    assert "enforceable_on" in json.dumps(too_early.json()["detail"])
    await ok(
        await intake.post(
            f"/applications/{application_id}/enforceability",
            headers=AGENCY,
            json={"enforceable_on": "2026-10-22"},
        )
    )

    async def opened() -> dict:
        return await ok(
            await returns.get("/return-cases", params={"application_id": application_id}, headers=AGENCY)
        )

    listing = await eventually(opened, until=lambda page: page["total"] == 1)
    case_id = listing["items"][0]["return_case_id"]
    case = await ok(await returns.get(f"/return-cases/{case_id}", headers=AGENCY))
    assert NAME not in json.dumps(case)

    await ok(
        await returns.post(
            f"/return-cases/{case_id}/counselling",
            headers=AGENCY,
            json={
                "request_id": "flow-1-c1",
                "meeting_number": 1,
                "held_on": "2026-10-30",
                "language": "ar",
                "interpreter_used": True,
                "stance": "refuses",
            },
        )
    )
    await ok(
        await returns.post(
            f"/return-cases/{case_id}/absconding",
            headers=AGENCY,
            json={
                "request_id": "flow-1-abs",
                "noticed_on": "2026-11-10",
                "whereabouts_code": "1280",
                "last_known_address": {
                    "street_address": "Testgatan 1",
                    "postal_code": "21100",
                    "municipality_code": "1280",
                    "known_on": "2026-11-01",
                },
            },
        )
    )

    async def identity_known() -> httpx.Response:
        return await returns.post(
            f"/return-cases/{case_id}/handover",
            headers=AGENCY,
            json={"request_id": "flow-1-handover", "grounds": "absconded"},
        )

    handed = await eventually(identity_known, until=lambda r: r.status_code in (200, 201))
    assert handed.status_code in (200, 201), handed.text

    return application_id, case_id


@pytest.fixture
def hand_over() -> Callable[[httpx.AsyncClient, httpx.AsyncClient], Awaitable[tuple[str, str]]]:
    return hand_over_a_case


async def plan_a_removal(
    police: httpx.AsyncClient, case_id: str, *, request_id: str, departure: str
) -> tuple[dict, dict]:
    """The Police's accepted handover of the return case, then a removal plan for it.
    Returns (handover, the created plan)."""
    handovers = await eventually(
        lambda: police.get("/handovers", params={"return_case_id": case_id}, headers=POLICE),
        until=lambda r: r.json()["total"] == 1,
    )
    handover: dict = handovers.json()["items"][0]
    assert handover["outcome"] == "accepted", handover
    plan = await ok(
        await police.post(
            "/removal-plans",
            headers=POLICE,
            json={
                "request_id": request_id,
                "enforcement_case_id": handover["enforcement_case_id"],
                "readmission_basis": "bilateral_readmission_agreement",
                "transport": "scheduled_flight",
                "escort_level": "escorted_to_destination",
                "planned_departure": departure,
            },
        )
    )
    return handover, plan


@pytest.fixture
def plan_removal() -> Callable[..., Awaitable[tuple[dict, dict]]]:
    return plan_a_removal
