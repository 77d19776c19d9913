"""The monitor stores and shows only what monitoring needs: never a name, date of birth or document number.

The person of the committed handover example (``case-handed-over-to-police``) is removed
under a plan with the same pseudonymous reference; the handover itself, with all its
personal data, is even misrouted onto the removal-plan topic. Afterwards every column of
every table of the monitor's database, every API response and every event it published
(its outbox) are scanned for that person's name, date of birth, document number and address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import auth, eventually
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from monitoring.adapters import orm

pytestmark = [pytest.mark.db, pytest.mark.kafka]
EXAMPLE = Path(__file__).resolve().parents[3] / "shared/schemas/examples"
HANDOVER = json.loads((EXAMPLE / f"{CaseHandedOverToPoliceV1.event_type}.json").read_text(encoding="utf-8"))[
    "data"
]
IDENTITY = HANDOVER["identity"]
PLANTED = [
    IDENTITY["full_name"],
    *IDENTITY["other_names"],
    IDENTITY["full_name"].split()[-1],
    IDENTITY["date_of_birth"],
    *(document["document_number"] for document in IDENTITY["documents"]),
    HANDOVER["last_known_address"]["street_address"],
]


def as_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def personal_data_in(text: str) -> list[str]:
    folded = text.casefold()
    return [value for value in PLANTED if value.casefold() in folded]


async def test_no_name_birth_date_or_document_number_anywhere_in_the_monitor(
    monitoring, fixed_clock, police, send
) -> None:
    assert IDENTITY["date_of_birth"] == "1989-04-01"
    assert "TEST00001" in PLANTED
    runtime, client = await monitoring(clock=fixed_clock)
    responses: list[httpx.Response] = []

    async def call(method: str, path: str, role: str = "monitor", **kwargs: Any) -> httpx.Response:
        response = await client.request(method, path, headers=auth(role), **kwargs)
        assert response.status_code < 300, (method, path, response.text)
        responses.append(response)
        return response

    hook = await call("POST", "/webhooks", json={"url": "http://127.0.0.1:9/closed", "request_id": "dm-hook"})
    person = {"person_ref": HANDOVER["person_ref"], "return_case_id": HANDOVER["return_case_id"]}
    plan = police.plan(**person, age_band="26_64", minor=False)
    next_plan = police.plan(
        **person, age_band="26_64", minor=False, planned_departure="2027-01-20T06:00:00+02:00"
    )
    handover = CaseHandedOverToPoliceV1.model_validate(HANDOVER)
    await send(handover, key=plan.plan_id)  # misrouted, ahead of the plan on the same partition
    await send(plan, police.detained(HANDOVER["return_case_id"]))

    async def the_notice() -> dict[str, Any]:
        return (await client.get("/notices", headers=auth("monitor"))).json()

    listed = await eventually(the_notice, until=lambda page: page["total"] == 1)
    notice_id = listed["items"][0]["notice_id"]

    async def the_detail() -> dict[str, Any]:
        return (await client.get(f"/notices/{notice_id}", headers=auth("monitor"))).json()

    # The detention comes on the enforcement-case stream, which a consumer of its own reads.
    await eventually(the_detail, until=lambda n: n["detention"]["status"] == "detained")
    decision = await call(
        "POST",
        f"/notices/{notice_id}/decisions",
        json={"decision": "monitor", "monitors": ["MON-07"], "reason": "vulnerable_returnee"},
    )
    await send(police.executed(plan.plan_id, plan.return_case_id), next_plan)
    await eventually(the_notice, until=lambda page: page["total"] == 2)
    report = await call(
        "POST",
        "/reports",
        json={
            "notice_id": notice_id,
            "phases_observed": ["pre_departure", "in_flight"],
            "findings": [
                {
                    "right": "fitness_to_travel",
                    "observation": "Fit to travel was assessed.",
                    "severity": "good_practice",
                }
            ],
            "recommendations": ["Keep assessing fitness to travel."],
            "publish": True,
        },
    )
    report_id = report.json()["report_id"]
    subscription_id = hook.json()["subscription_id"]
    for path in (
        "/notices",
        f"/notices/{notice_id}",
        "/upcoming-removals",
        "/decisions",
        f"/decisions/{decision.json()['decision_id']}",
        "/reports",
        f"/reports/{report_id}",
        "/webhooks",
        f"/webhooks/{subscription_id}",
        f"/webhooks/{subscription_id}/deliveries",
        "/statistics",
        "/statistics/published",
    ):
        await call("GET", path)
    await call("GET", "/published-reports", role="police")
    await call("GET", f"/published-reports/{report_id}", role="police")
    await call("GET", "/ops/status", role="operator")

    stored: list[str] = []
    async with runtime.sessions() as session:
        for table in orm.metadata.sorted_tables:
            for row in await session.execute(select(table)):
                for column, value in row._mapping.items():
                    if value is not None:
                        text = as_text(value)
                        stored.append(text)
                        assert personal_data_in(text) == [], f"{table.name}.{column}"
    for response in responses:
        assert personal_data_in(response.text) == [], response.request.url

    # What the monitor publishes is scanned too: the outbox holds each event's exact bytes.
    async with runtime.sessions() as session:
        published = (await session.execute(select(orm.outbox.c.event_type))).scalars().all()
    assert sorted(published) == sorted(
        [
            "handoff.monitoring.notice-acknowledged.v1",
            "handoff.monitoring.notice-acknowledged.v1",
            "handoff.monitoring.monitoring-decision-made.v1",
            "handoff.monitoring.monitoring-report-filed.v1",
        ]
    )

    # The scans look where the data would be: the pseudonymous reference is found in all three places.
    assert any(HANDOVER["person_ref"] in text for text in stored)
    assert any(HANDOVER["person_ref"] in r.text for r in responses if r.request.url.path == "/notices")
    notice = (await client.get(f"/notices/{notice_id}", headers=auth("monitor"))).json()
    assert notice["detention"]["status"] == "detained"
    assert set(notice) >= {
        "age_band",
        "minor",
        "sex",
        "nationality",
        "destination_country",
        "vulnerabilities",
    }
    assert not set(notice) & {"full_name", "date_of_birth", "documents", "document_number", "name"}
