"""Resettlement's HTTP API on a real service (real broker, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.resettlement import MunicipalPlacesAgreedV1, ResettlementCaseSubmittedV1

pytestmark = [pytest.mark.db, pytest.mark.kafka]

ADULT = {"full_name": "Adult Testperson", "age_band": "26_64"}


def locations(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [".".join(str(part) for part in error["loc"]) for error in response.json()["errors"]]


async def test_submissions_selections_and_progress_towards_the_quota(api: Any) -> None:
    body = api.submission(request_id="unhcr-form-1")
    first = await api.client.post("/cases", json=body, headers=api.agency)
    again = await api.client.post("/cases", json=body, headers=api.agency)
    assert first.status_code == 201, first.text
    assert again.status_code == 200
    case = first.json()
    assert again.json()["case_id"] == case["case_id"]
    assert (case["state"], case["household_size"], case["member_age_bands"]) == (
        "submitted",
        2,
        ["26_64", "under_12"],
    )
    assert "Hala" not in first.text
    assert "SYR" not in first.text
    assert await api.outbox_count() == 1
    assert (await api.client.post("/cases", json=api.submission(), headers=api.board())).status_code == 403

    member = api.submission()["members"][0]
    for bad, field in [
        (api.submission(members=[]), "members"),
        (api.submission(members=[{**member, "age_band": "old"}]), "age_band"),
        (api.submission(members=[{**member, "nationality": "Syria"}]), "nationality"),
        (api.submission(submitted_on="2026-12-01"), "submitted_on"),
        (api.submission(priority="vip"), "priority"),
        (api.submission(linked_case_ids=["RS-2026-nope"]), "linked_case_ids"),
        (api.submission(surprise=True), "surprise"),
        (api.submission(members=[{**member, "nationality": "ZZZ"}]), "nationality"),
        (api.submission(members=[{**member, "full_name": "Hala\x00"}]), "full_name"),
        (api.submission(members=[{**member, "date_of_birth": "0001-01-01"}]), "date_of_birth"),
        (
            api.submission(members=[member, {**ADULT, "date_of_birth": "2099-01-01"}]),
            "members.1.date_of_birth",
        ),
        (api.submission(submitted_on="9999-12-31"), "submitted_on"),
    ]:
        response = await api.client.post("/cases", json=bad, headers=api.agency)
        assert any(field in loc for loc in locations(response)), (field, response.text)

    no_reserve = await api.client.put(
        "/quotas/2026", json={"total_places": 10, "emergency_reserve": 0}, headers=api.agency
    )
    assert "body.emergency_reserve" in locations(no_reserve)
    progress = await api.ok("PUT", "/quotas/2026", api.agency, {"total_places": 10})
    assert (progress["emergency_reserve"], progress["places_left_outside_reserve"]) == (1, 9)

    selected = await api.ok(
        "POST",
        f"/cases/{case['case_id']}/selection",
        api.agency,
        {"decision": "selected", "decided_on": "2026-03-01"},
    )
    assert (selected["state"], selected["waiting_since"]) == ("waiting", "2026-03-01")
    await api.quota_case(members=[ADULT] * 7)  # 2 + 7 = 9: all that is left outside the reserve
    extra = await api.quota_case(selected_on=None)
    response = await api.client.post(
        f"/cases/{extra}/selection",
        json={"decision": "selected", "decided_on": "2026-03-02"},
        headers=api.agency,
    )
    assert response.status_code == 409
    assert "emergency reserve" in response.json()["detail"]
    await api.quota_case(priority="emergency", members=[ADULT])
    progress = await api.ok("GET", "/quotas/2026", api.board())
    assert progress["selected"]["normal"] == {"cases": 2, "persons": 9}
    assert progress["selected"]["emergency"] == {"cases": 1, "persons": 1}
    assert (progress["emergency_reserve_used"], progress["places_left"]) == (1, 0)

    turned_down = {"decision": "not_selected", "decided_on": "2026-03-02"}
    assert (await api.ok("POST", f"/cases/{extra}/selection", api.agency, turned_down))[
        "state"
    ] == "not_selected"
    selecting = {"decision": "selected", "decided_on": "2026-03-03"}
    assert (
        await api.client.post(f"/cases/{extra}/selection", json=selecting, headers=api.agency)
    ).status_code == 409
    assert (
        await api.client.post("/cases/RS-none/selection", json=selecting, headers=api.agency)
    ).status_code == 404

    page = await api.ok("GET", "/cases?state=waiting&limit=2", api.board())
    assert (page["total"], len(page["items"]), page["limit"]) == (3, 2, 2)
    assert (await api.ok("GET", "/cases?priority=emergency", api.agency))["total"] == 1
    one = await api.client.get(f"/cases/{case['case_id']}", headers=api.board())
    assert one.status_code == 200
    assert "Hala" not in one.text
    assert (await api.client.get("/cases/RS-none", headers=api.board())).status_code == 404


async def test_places_offers_declines_and_the_follow_up(api: Any) -> None:
    await api.agree("1280")
    await api.agree("1281", assignable_places=10, accessible_places=0)
    other_county = {"county_code": "12", "municipality_code": "1282", "year": 2026, **api.terms()}
    assert (
        await api.client.post("/municipal-places", json=other_county, headers=api.board("01"))
    ).status_code == 403
    again = {**other_county, "municipality_code": "1280"}
    assert (await api.client.post("/municipal-places", json=again, headers=api.board())).status_code == 409
    impossible = {**other_county, "assignable_places": 50}
    response = await api.client.post("/municipal-places", json=impossible, headers=api.board())
    assert "body.assignable_places" in locations(response)
    own = await api.ok("GET", "/municipal-places", api.municipality("1281"))
    assert [a["municipality_code"] for a in own["items"]] == ["1281"]
    assert (
        await api.client.get("/municipal-places/AGR-2026-1280", headers=api.municipality("1281"))
    ).status_code == 404

    old = await api.quota_case(selected_on="2026-03-01")
    new = await api.quota_case(selected_on="2026-05-01")

    # A manual offer that passes an older household over needs a reason, recorded for it.
    offer = {"case_id": new, "agreement_id": "AGR-2026-1281", "request_id": "offer-1"}
    response = await api.client.post("/placements", json=offer, headers=api.board())
    assert "body.passed_over_reason" in locations(response)
    assert old in response.text
    offer["passed_over_reason"] = "The household's relatives live in this municipality"
    manual = await api.ok("POST", "/placements", api.board(), offer, status=201)
    assert (await api.ok("POST", "/placements", api.board(), offer))["placement_id"] == manual["placement_id"]
    audit = await api.ok("GET", f"/follow-up/fairness-audit?case_id={old}", api.board())
    [record] = audit["items"]
    assert (record["reasons"], record["passed_by"], record["overtaken_by"], record["placement_id"]) == (
        ["manual_offer"],
        "board-12",
        new,
        manual["placement_id"],
    )

    # The matcher offers the older household the place with the most room left.
    run = await api.run()
    assert [(p["case_id"], p["municipality_code"]) for p in run["proposals"]] == [(old, "1280")]
    placement = run["proposals"][0]["placement_id"]
    offered = await api.ok("GET", f"/placements/{placement}", api.municipality("1280"))
    assert offered["profile"] == {"household_size": 2, "member_age_bands": ["26_64", "under_12"], "needs": []}
    assert offered["answer_due_on"] == "2026-11-16"  # ten working days

    # Only the municipality offered answers, and never on a protected ground.
    decline = f"/placements/{placement}/decline"
    reason = {"reason": "no_suitable_housing_size", "reason_text": "Only studios are left this autumn"}
    assert (await api.client.post(decline, json=reason, headers=api.municipality("1281"))).status_code == 404
    for body, field in [
        ({"reason": "nationality", "reason_text": "We prefer other groups"}, "body.reason"),
        ({"reason": "other", "reason_text": "We cannot take Syrian families"}, "body.reason_text"),
        ({"reason": "no_accessible_housing", "reason_text": "No lift"}, "body.reason"),
    ]:
        response = await api.client.post(decline, json=body, headers=api.municipality("1280"))
        assert field in locations(response)
    declined = await api.ok("POST", decline, api.municipality("1280"), reason)
    assert declined["status"] == "declined"
    case = await api.ok("GET", f"/cases/{old}", api.board())
    assert (case["state"], case["waiting_since"]) == ("waiting", "2026-03-01")

    # Next run: not the municipality that declined.
    run = await api.run()
    assert [(p["case_id"], p["municipality_code"]) for p in run["proposals"]] == [(old, "1281")]

    report = await api.ok("GET", "/follow-up/quarterly?year=2026&quarter=4&county_code=12", api.board())
    lines = {line["municipality_code"]: line for line in report["municipalities"]}
    assert (lines["1280"]["offers"], lines["1280"]["declined"]) == (1, 1)
    assert lines["1280"]["declines_by_reason"] == {"no_suitable_housing_size": 1}
    assert lines["1280"]["answers"][0]["reason_text"] == "Only studios are left this autumn"
    assert sorted(r["ground"] for r in lines["1280"]["refused_declines"]) == [
        "nationality",
        "nationality",
        "special_needs",
    ]
    assert (lines["1281"]["offers"], lines["1281"]["unanswered"]) == (2, 2)
    assert lines["1281"]["agreed_places"] == 40

    waiting = await api.ok("GET", "/follow-up/waiting", api.agency)
    first = waiting["items"][0]
    assert first["case"]["case_id"] == old
    assert (first["days_waiting"], first["declined_by_municipalities"], first["times_passed_over"]) == (
        246,
        1,
        1,
    )
    lead = await api.ok("GET", "/follow-up/lead-times?year=2026", api.board())
    assert (lead["waiting_now"], lead["longest_waiting_days"]) == (2, 246)

    # The board withdraws the manual offer; the household waits again in its old place.
    withdraw = f"/placements/{manual['placement_id']}/withdrawal"
    body = {"reason": "No answer"}
    assert (await api.client.post(withdraw, json=body, headers=api.board("01"))).status_code == 404
    assert (await api.ok("POST", withdraw, api.board(), body))["status"] == "withdrawn"
    assert (await api.ok("GET", f"/cases/{new}", api.board()))["state"] == "waiting"
    mine = await api.ok("GET", "/placements?status=offered", api.municipality("1281"))
    assert [p["case_id"] for p in mine["items"]] == [old]


async def test_full_details_go_to_the_confirming_municipality_alone_and_never_on_a_topic(
    api: Any, kafka: KafkaAccess, topic_prefix: str
) -> None:
    await api.agree("1280")
    case_id = await api.quota_case()
    [proposal] = (await api.run())["proposals"]
    placement = proposal["placement_id"]
    details = f"/cases/{case_id}/full-details"
    await api.ok("POST", f"/placements/{placement}/acceptance", api.municipality("1280"))
    assert (
        await api.client.get(details, headers=api.municipality("1280"))
    ).status_code == 404  # not confirmed
    confirm = {"arrival_planned_on": "2026-11-20"}
    assert (await api.ok("POST", f"/placements/{placement}/confirmation", api.board(), confirm))[
        "status"
    ] == "confirmed"

    full = await api.ok("GET", details, api.municipality("1280"))
    assert [m["full_name"] for m in full["members"]] == ["Hala Testperson", "Omar Testperson"]
    assert full["members"][0]["nationality"] == "SYR"
    assert (await api.client.get(details, headers=api.municipality("1281"))).status_code == 404
    assert (await api.client.get(details, headers=auth("municipality", "someone"))).status_code == 403
    assert (await api.client.get(details, headers=api.board())).status_code == 403
    assert (await api.client.get(details, headers=api.agency)).status_code == 403

    # Each disclosure of the full details is in the audit trail: who, which fields, never the values.
    dpo = auth("data_protection_officer", "dpo-1")
    trail = await api.ok("GET", "/audit/personal-data", dpo)
    [entry] = trail["items"]
    assert (entry["subject"], entry["role"], entry["unit"], entry["person_ref"]) == (
        "municipality-1280",
        "municipality",
        "1280",
        case_id,
    )
    assert "members[].full_name" in entry["fields"]
    assert entry["purpose"] == "settlement of the household in the municipality"
    assert "Testperson" not in json.dumps(trail)
    assert (await api.ok("GET", "/audit/personal-data/verification", dpo))["intact"] is True
    for role in ("municipality", "county_board", "agency", "operator"):
        assert (await api.client.get("/audit/personal-data", headers=auth(role))).status_code == 403

    records = await read_topic(kafka, topic_prefix + ResettlementCaseSubmittedV1.topic.name, count=5)
    assert {r.key.decode() for r in records} == {case_id}
    for record in records:
        for personal in (b"Testperson", b"SYR", b"1985-05-05", b"UNHCR-LBN", b"upper secondary", b'"ar"'):
            assert personal not in record.value
    [agreed] = await read_topic(kafka, topic_prefix + MunicipalPlacesAgreedV1.topic.name, count=1)
    assert MunicipalPlacesAgreedV1.model_validate_json(agreed.value).agreement_id == "AGR-2026-1280"
