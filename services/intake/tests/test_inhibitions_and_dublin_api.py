"""Inhibitions (court stays) and Dublin transfers over intake's HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, headers_of, read_topic
from handoff_schemas.events.intake import InhibitionLiftedV1, InhibitionOrderedV1

pytestmark = [pytest.mark.db, pytest.mark.kafka]
AGENCY = auth("agency")


async def registered(client: Any, body: dict[str, Any]) -> str:
    response = await client.post("/applications", json=body, headers=AGENCY)
    assert response.status_code == 201, response.text
    application_id: str = response.json()["application_id"]
    return application_id


async def test_an_inhibition_is_ordered_and_lifted_and_published_once_each(
    intake, bodies, outbox, kafka, topic_prefix
) -> None:
    runtime, client = await intake()
    application_id = await registered(client, bodies.application())
    url = f"/applications/{application_id}"
    stay = {"request_id": "inh-1", "court": "MIGD-MALMO", "ordered_on": "2026-11-05"}

    undecided = await client.post(f"{url}/inhibitions", json=stay, headers=AGENCY)
    assert undecided.status_code == 409
    assert "no removal order" in undecided.json()["detail"]
    decision = await client.post(f"{url}/decision", json=bodies.refusal(), headers=AGENCY)
    for body, field in [
        ({**stay, "ordered_on": "2026-11-01"}, "ordered_on"),  # before the decision
        ({**stay, "ordered_on": "2026-11-24"}, "ordered_on"),
        ({"ordered_on": "2026-11-05"}, "court"),
        ({**stay, "court": "C" * 65}, "court"),
    ]:
        response = await client.post(f"{url}/inhibitions", json=body, headers=AGENCY)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["errors"][0]["loc"] == ["body", field]

    ordered = await client.post(f"{url}/inhibitions", json=stay, headers=AGENCY)
    repeated = await client.post(f"{url}/inhibitions", json=stay, headers=AGENCY)
    assert ordered.status_code == 201, ordered.text
    assert repeated.status_code == 200
    assert repeated.json() == ordered.json()
    inhibition = ordered.json()
    assert inhibition["in_force"] is True
    assert inhibition["decision_id"] == decision.json()["decision"]["decision_id"]
    lift_url = f"{url}/inhibitions/{inhibition['inhibition_id']}/lift"
    assert (await client.get(url, headers=AGENCY)).json()["inhibition_in_force"] is True
    assert (await client.get(f"{url}?on=2026-11-04", headers=AGENCY)).json()["inhibition_in_force"] is False

    early = await client.post(lift_url, json={"lifted_on": "2026-11-04"}, headers=AGENCY)
    assert early.status_code == 422
    assert early.json()["errors"][0]["loc"] == ["body", "lifted_on"]
    assert "before the inhibition was ordered (2026-11-05)" in early.json()["errors"][0]["message"]
    lifted = await client.post(lift_url, json={"lifted_on": "2026-11-20", "court": "MIGÖD"}, headers=AGENCY)
    lifted_again = await client.post(
        lift_url, json={"lifted_on": "2026-11-20", "court": "MIGÖD"}, headers=AGENCY
    )
    other_day = await client.post(lift_url, json={"lifted_on": "2026-11-21"}, headers=AGENCY)
    unknown = await client.post(
        f"{url}/inhibitions/INH-none/lift", json={"lifted_on": "2026-11-21"}, headers=AGENCY
    )
    assert lifted.status_code == lifted_again.status_code == 200, lifted.text
    assert lifted.json()["lifted_by"] == "MIGÖD"
    assert lifted.json()["in_force"] is False
    assert other_day.status_code == 409
    assert "already lifted on 2026-11-20" in other_day.json()["detail"]
    assert unknown.status_code == 404
    now = (await client.get(url, headers=AGENCY)).json()
    assert now["inhibition_in_force"] is False
    assert (await client.get(f"{url}?on=2026-11-19", headers=AGENCY)).json()["inhibition_in_force"] is True
    assert await outbox.count(runtime) == 5  # registered, identity, decided, ordered, lifted

    records = await read_topic(kafka, topic_prefix + InhibitionOrderedV1.topic.name, count=4)
    by_type = {headers_of(r)["ce_type"]: r for r in records}
    ordered_event = InhibitionOrderedV1.model_validate_json(by_type[InhibitionOrderedV1.event_type].value)
    lifted_event = InhibitionLiftedV1.model_validate_json(by_type[InhibitionLiftedV1.event_type].value)
    assert (ordered_event.inhibition_id, ordered_event.court, ordered_event.ordered_on.isoformat()) == (
        inhibition["inhibition_id"],
        "MIGD-MALMO",
        "2026-11-05",
    )
    assert (lifted_event.inhibition_id, lifted_event.court, lifted_event.lifted_on.isoformat()) == (
        inhibition["inhibition_id"],
        "MIGÖD",
        "2026-11-20",
    )


async def test_dublin_transfer_deadlines_follow_the_configured_periods(intake, bodies, outbox) -> None:
    runtime, client = await intake(dublin_transfer_months=5, dublin_transfer_months_absconded=20)
    dublin_id = await registered(client, bodies.application(eurodac_hit=True, lodged_on="2026-03-01"))
    other_id = await registered(client, bodies.application())
    url = f"/applications/{dublin_id}/dublin-transfer"
    assert (await client.get(f"/applications/{dublin_id}", headers=AGENCY)).json()[
        "housing_steer"
    ] == "near_place_of_departure"

    for body, field in [
        ({}, "accepted_on"),
        ({"accepted_on": "2026-11-24"}, "accepted_on"),
        ({"accepted_on": "2026-02-28"}, "accepted_on"),
        ({"accepted_on": "2026-06-31"}, "accepted_on"),
        ({"status": "lost"}, "status"),
    ]:
        response = await client.post(url, json=body, headers=AGENCY)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["loc"] == ["body", field]
    status_first = await client.post(url, json={"status": "absconded"}, headers=AGENCY)
    assert status_first.status_code == 409
    not_dublin = await client.post(
        f"/applications/{other_id}/dublin-transfer", json={"accepted_on": "2026-11-01"}, headers=AGENCY
    )
    assert not_dublin.status_code == 409
    assert "not a Dublin case" in not_dublin.json()["detail"]

    accepted = await client.post(url, json={"accepted_on": "2026-06-30"}, headers=AGENCY)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["dublin_transfer"] == {
        "accepted_on": "2026-06-30",
        "receiving_state": None,
        "transferred_on": None,
        "responsible_from": None,
        "status": "normal",
        "period_months": 5,
        "transfer_deadline": "2026-11-30",
    }
    due_soon = await client.get("/applications?transfer_due_within_days=7", headers=AGENCY)
    assert [a["application_id"] for a in due_soon.json()["items"]] == [dublin_id]
    absconded = await client.post(
        url, json={"status": "absconded", "accepted_on": "2026-06-30"}, headers=AGENCY
    )
    assert absconded.json()["dublin_transfer"]["transfer_deadline"] == "2028-02-29"
    found = await client.post(url, json={"status": "normal"}, headers=AGENCY)
    assert found.json()["dublin_transfer"]["status"] == "normal"
    assert found.json()["dublin_transfer"]["transfer_deadline"] == "2028-02-29"
    assert (await client.get("/applications?transfer_due_within_days=7", headers=AGENCY)).json()["total"] == 0
    moved = await client.post(url, json={"accepted_on": "2026-07-01"}, headers=AGENCY)
    assert moved.status_code == 409
    assert await outbox.count(runtime) == 4  # the two registrations: a transfer publishes no event
