"""How a Dublin transfer ends (carried out, or its time limit passed), the legal force on the
enforceable decision, and the applicant's identity read only with a record in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, read_topic
from handoff_schemas.events.intake import DecisionEnforceableV1
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1

pytestmark = [pytest.mark.db, pytest.mark.kafka]
AGENCY = auth("agency", subject="caseworker-7")
DPO = auth("data_protection_officer", subject="dpo-1")
TOPIC = DecisionEnforceableV1.topic.name


async def registered(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/applications", json=body, headers=AGENCY)
    assert response.status_code == 201, response.text
    registered: dict[str, Any] = response.json()
    return registered


async def test_a_transfer_carried_out_moves_responsibility_to_the_receiving_state(
    intake, bodies, outbox, kafka, topic_prefix
) -> None:
    runtime, client = await intake()
    application_id = (await registered(client, bodies.application(eurodac_hit=True)))["application_id"]
    url = f"/applications/{application_id}/dublin-transfer"
    too_soon = await client.post(f"{url}/carried-out", json={"transferred_on": "2026-11-10"}, headers=AGENCY)
    assert too_soon.status_code == 409  # no acceptance yet
    accepted = await client.post(url, json={"accepted_on": "2026-10-20"}, headers=AGENCY)
    assert accepted.status_code == 200, accepted.text

    for body, field in [
        ({"transferred_on": "2026-11-10"}, "receiving_state"),  # none recorded yet
        ({"transferred_on": "2026-11-10", "receiving_state": "Germany"}, "receiving_state"),
        ({"transferred_on": "2026-10-19", "receiving_state": "DEU"}, "transferred_on"),  # before acceptance
        ({"transferred_on": "2026-11-24", "receiving_state": "DEU"}, "transferred_on"),  # the future
    ]:
        refused = await client.post(f"{url}/carried-out", json=body, headers=AGENCY)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["errors"][0]["loc"][-1] == field

    body = {"transferred_on": "2026-11-10", "receiving_state": "DEU"}
    done = await client.post(f"{url}/carried-out", json=body, headers=AGENCY)
    again = await client.post(f"{url}/carried-out", json=body, headers=AGENCY)
    assert done.status_code == again.status_code == 200, done.text
    assert done.json()["dublin_transfer"]["transferred_on"] == "2026-11-10"
    assert done.json()["dublin_transfer"]["receiving_state"] == "DEU"
    other_day = await client.post(
        f"{url}/carried-out", json={**body, "transferred_on": "2026-11-11"}, headers=AGENCY
    )
    assert other_day.status_code == 409
    assert (await client.post(url, json={"status": "absconded"}, headers=AGENCY)).status_code == 409
    assert (await client.post("/dublin-transfers/lapsed", headers=AGENCY)).json() == {"application_ids": []}

    assert (await outbox.types(runtime))[-1] == DublinTransferCarriedOutV1.event_type
    records = await read_topic(kafka, topic_prefix + TOPIC, count=2)
    carried_out = DublinTransferCarriedOutV1.model_validate_json(records[-1].value)
    assert carried_out.application_id == application_id
    assert (carried_out.receiving_state, str(carried_out.transfer_deadline)) == ("DEU", "2027-04-20")


async def test_the_daily_sweep_records_each_lapsed_transfer_once(intake, bodies, outbox) -> None:
    runtime, client = await intake()
    lapsed_id = (await registered(client, bodies.application(eurodac_hit=True, lodged_on="2026-03-02")))[
        "application_id"
    ]
    running_id = (await registered(client, bodies.application(eurodac_hit=True, lodged_on="2026-06-01")))[
        "application_id"
    ]
    for application_id, accepted_on in ((lapsed_id, "2026-05-20"), (running_id, "2026-06-30")):
        response = await client.post(
            f"/applications/{application_id}/dublin-transfer",
            json={"accepted_on": accepted_on, "receiving_state": "ITA"},
            headers=AGENCY,
        )
        assert response.status_code == 200, response.text

    first = await client.post("/dublin-transfers/lapsed", headers=AGENCY)
    second = await client.post("/dublin-transfers/lapsed", headers=AGENCY)

    assert first.json() == {"application_ids": [lapsed_id]}
    assert second.json() == {"application_ids": []}
    lapsed = (await client.get(f"/applications/{lapsed_id}", headers=AGENCY)).json()["dublin_transfer"]
    assert (lapsed["transfer_deadline"], lapsed["responsible_from"]) == ("2026-11-20", "2026-11-21")
    types = await outbox.types(runtime)
    assert types.count(DublinTransferDeadlinePassedV1.event_type) == 1
    late = await client.post(
        f"/applications/{lapsed_id}/dublin-transfer/carried-out",
        json={"transferred_on": "2026-11-22"},
        headers=AGENCY,
    )
    assert late.status_code == 409
    assert "time limit passed" in late.json()["detail"]


async def test_the_enforceable_decision_says_when_it_gained_legal_force_and_whose_it_is(
    intake, bodies, kafka, topic_prefix
) -> None:
    _, client = await intake()
    expelled = (await registered(client, bodies.application()))["application_id"]
    refused_at_once = (await registered(client, bodies.application()))["application_id"]
    await client.post(f"/applications/{expelled}/decision", json=bodies.refusal(), headers=AGENCY)
    await client.post(
        f"/applications/{refused_at_once}/decision",
        json=bodies.refusal(removal_order="refusal_of_entry", immediate_enforcement=True),
        headers=AGENCY,
    )
    mismatch = await client.post(
        f"/applications/{expelled}/enforceability",
        json={"enforceable_on": "2026-11-23", "legal_force_on": "2026-11-22"},
        headers=AGENCY,
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["errors"][0]["loc"][-1] == "legal_force_on"
    court = await client.post(
        f"/applications/{expelled}/enforceability",
        json={"enforceable_on": "2026-11-23", "decided_by": "MIGD-MALMO"},
        headers=AGENCY,
    )
    at_once = await client.post(
        f"/applications/{refused_at_once}/enforceability",
        json={"enforceable_on": "2026-11-02"},
        headers=AGENCY,
    )
    assert court.status_code == at_once.status_code == 200, court.text

    records = await read_topic(kafka, topic_prefix + TOPIC, count=6)
    enforceable: dict[str, DecisionEnforceableV1] = {}
    for record in records:
        if dict(record.headers).get("ce_type") == DecisionEnforceableV1.event_type.encode():
            event = DecisionEnforceableV1.model_validate_json(record.value)
            enforceable[event.application_id] = event
    assert (str(enforceable[expelled].legal_force_on), enforceable[expelled].decided_by) == (
        "2026-11-23",
        "MIGD-MALMO",
    )
    assert (enforceable[refused_at_once].legal_force_on, enforceable[refused_at_once].decided_by) == (
        None,
        "MIGRATIONSVERKET",
    )


async def test_every_read_of_an_identity_is_recorded_and_only_the_officer_reads_the_trail(
    intake, bodies
) -> None:
    _, client = await intake()
    application = await registered(client, bodies.application())
    person_ref = application["person_ref"]
    assert "Amina" not in str(application)

    read = await client.get(f"/applications/{application['application_id']}/identity", headers=AGENCY)
    assert read.status_code == 200
    assert read.json()["full_name"] == "Amina Testperson"
    assert (await client.get("/applications/APP-none/identity", headers=AGENCY)).status_code == 404

    trail = await client.get("/audit/personal-data", params={"person_ref": person_ref}, headers=DPO)
    assert trail.status_code == 200
    entries = trail.json()["items"]
    assert [(e["access"], e["recipient"], e["subject"], e["role"]) for e in entries] == [
        ("disclosed", "returns", "caseworker-7", "agency"),
        ("read", None, "caseworker-7", "agency"),
    ]
    assert entries[1]["fields"] == sorted(
        [
            "applicant.full_name",
            "applicant.date_of_birth",
            "applicant.sex",
            "applicant.nationality",
            "identity_documents[].number",
            "identity_documents[].issuing_country",
            "identity_documents[].expires_on",
        ]
    )
    assert entries[1]["resource"] == "GET /applications/{application_id}/identity"
    assert all(value not in trail.text for value in ("Amina", "1991-04-02", "P1234567"))
    by_caller = await client.get("/audit/personal-data", params={"subject": "caseworker-7"}, headers=DPO)
    assert by_caller.json()["total"] == 2
    verified = await client.get("/audit/personal-data/verification", headers=DPO)
    assert verified.json()["intact"] is True
    assert verified.json()["entries"] == 2

    for role in ("agency", "police", "monitor", "operator", "county_board", "municipality"):
        for path in ("/audit/personal-data", "/audit/personal-data/verification"):
            assert (await client.get(path, headers=auth(role))).status_code == 403, (role, path)
