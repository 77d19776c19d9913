"""Issue 4's flow on the real broker, through the HTTP APIs of intake and returns:
application -> refusal -> enforceable -> return case -> counselling -> absconded ->
handover published on the Police's topic with the complete package."""

from __future__ import annotations

import json

import httpx
import pytest

from handoff_plumbing.testing.helpers import auth, eventually, read_topic
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]
AGENCY = auth("agency")
NAME, BORN, PASSPORT = "Testi Flowperson", "1994-02-03", "FLOW12345"


async def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    body: dict = response.json()
    return body


async def test_a_refused_applicant_who_absconds_is_handed_over_with_a_complete_package(
    service, kafka, topic_prefix
) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)

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

    [record] = await read_topic(kafka, topic_prefix + "handoff.returns.handover.v1", count=1)
    package = json.loads(record.value)
    assert record.key.decode() == case_id
    assert package["grounds"] == "absconded"
    assert package["identity"]["full_name"] == NAME
    assert package["identity"]["documents"][0]["document_number"] == PASSPORT
    assert package["destination_country"] == "IRQ"
    assert package["vulnerabilities"] == ["serious_illness"]
    assert len(package["counselling_history"]) == 1
    assert package["enforceable_on"] == "2026-10-22"
    assert package["last_known_address"]["municipality_code"] == "1280"

    case_events = await read_topic(kafka, topic_prefix + "handoff.returns.return-case.v1", count=3)
    for event in case_events:
        for personal in (NAME.encode(), BORN.encode(), PASSPORT.encode(), b"Testgatan"):
            assert personal not in event.value
