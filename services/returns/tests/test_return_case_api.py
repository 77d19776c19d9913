"""Returns as a running service: intake's and the Police's events arrive through the real broker,
the Agency works the case over HTTP, and returns publishes on its two topics."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from handoff_devtools.testing.helpers import auth, eventually, read_topic
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, ReturnCaseOpenedV1
from handoff_schemas.topics import RETURNS_HANDOVER_V1, RETURNS_RETURN_CASE_V1

pytestmark = [pytest.mark.db, pytest.mark.kafka]

AGENCY = auth("agency")
PERSONAL = (b"Amina", b"X0000001", b"1991-04-02", b"Storgatan", b"cried")
ADDRESS = {"street_address": "Storgatan 12 B", "municipality_code": "1280", "known_on": "2026-11-01"}


async def case_of(client: httpx.AsyncClient, application_id: str) -> dict[str, Any]:
    """Wait until returns opened a case for the application; return it."""
    page = await eventually(
        lambda: client.get("/return-cases", params={"application_id": application_id}, headers=AGENCY),
        until=lambda r: r.status_code == 200 and r.json()["total"] == 1,
    )
    return await get(client, page.json()["items"][0]["return_case_id"])


async def get(client: httpx.AsyncClient, case_id: str) -> dict[str, Any]:
    response = await client.get(f"/return-cases/{case_id}", headers=AGENCY)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def until_case(client: httpx.AsyncClient, case_id: str, check: Any) -> dict[str, Any]:
    response = await eventually(
        lambda: client.get(f"/return-cases/{case_id}", headers=AGENCY), until=lambda r: check(r.json())
    )
    body: dict[str, Any] = response.json()
    return body


async def test_a_case_opened_by_intake_is_handed_over_complete_once_the_stay_is_lifted(
    start_returns, send, kafka, topic_prefix, story
) -> None:
    _, client = await start_returns()
    person = story()
    await send(person.registered(), person.refused(), person.enforceable(), person.inhibition())
    case = await case_of(client, person.application_id)
    case_id = case["return_case_id"]
    assert case["deadlines"][0] == {
        "target": "first_counselling",
        "ref": case_id,
        "due_on": "2026-11-16",
        "met_on": None,
        "state": "overdue",
        "days_late": 7,
    }
    assert case["overdue"] == ["first_counselling"]
    [opened] = await read_topic(kafka, topic_prefix + RETURNS_RETURN_CASE_V1.name, count=1)
    assert (
        ReturnCaseOpenedV1.model_validate_json(opened.value).return_case_id == case_id == opened.key.decode()
    )

    base = f"/return-cases/{case_id}"
    counselled = await client.post(
        f"{base}/counselling",
        json={
            "meeting_number": 1,
            "held_on": "2026-11-20",
            "language": "ar",
            "interpreter_used": True,
            "stance": "refuses",
            "conversation_notes": "the person cried",
        },
        headers=AGENCY,
    )
    assert counselled.status_code == 201, counselled.text
    assert counselled.json()["has_conversation_notes"] is True
    absconded = await client.post(
        f"{base}/absconding", json={"noticed_on": "2026-11-22", "last_known_address": ADDRESS}, headers=AGENCY
    )
    assert absconded.json() == {
        "return_case_id": case_id,
        "noticed_on": "2026-11-22",
        "whereabouts_code": "1280",
        "last_known_address_recorded": True,
    }
    await until_case(client, case_id, lambda c: c["inhibition_in_force"])

    stayed = await client.post(f"{base}/handover", json={"grounds": "absconded"}, headers=AGENCY)
    assert stayed.status_code == 409
    assert stayed.json()["reason"] == "inhibition_in_force"
    impediment = await client.post(
        f"{base}/impediment-application", json={"lodged_on": "2026-11-23"}, headers=AGENCY
    )
    assert impediment.status_code == 201
    assert impediment.json()["stops_enforcement"] is False

    await send(person.lifted())
    await until_case(client, case_id, lambda c: not c["inhibition_in_force"])
    incomplete = await client.post(f"{base}/handover", json={"grounds": "absconded"}, headers=AGENCY)
    assert incomplete.status_code == 409
    assert incomplete.json()["reason"] == "handover_package_incomplete"
    assert [m["item"] for m in incomplete.json()["missing"]] == ["identity"]

    await send(person.identity())
    await until_case(client, case_id, lambda c: c["identity_known"])
    handed = await client.post(f"{base}/handover", json={"grounds": "absconded"}, headers=AGENCY)
    assert handed.status_code == 201, handed.text
    first_id = handed.json()["handover_id"]

    [record] = await read_topic(kafka, topic_prefix + RETURNS_HANDOVER_V1.name, count=1)
    package = CaseHandedOverToPoliceV1.model_validate_json(record.value)
    assert record.key.decode() == case_id
    assert package.handover_id == first_id
    assert package.identity.full_name == "Amina Testperson"
    assert package.identity.documents[0].document_number == "X0000001"
    assert package.destination_country == "IRQ"
    assert package.decisions[0].decision_id == person.decision_id
    assert package.counselling_history[0].conversation_notes == "the person cried"
    assert package.travel_document_status.value == "valid_document_held"
    assert package.last_known_address is not None
    assert package.last_known_address.street_address == "Storgatan 12 B"
    assert [(i.inhibition_id, str(i.lifted_on)) for i in package.inhibitions] == [("INH-1", "2026-11-20")]

    on_case_topic = await read_topic(kafka, topic_prefix + RETURNS_RETURN_CASE_V1.name, count=4)
    assert [dict(r.headers)["ce_type"].decode().split(".")[2] for r in on_case_topic] == [
        "return-case-opened",
        "counselling-held",
        "person-absconded",
        "impediment-application-lodged",
    ]
    for message in on_case_topic:
        assert not [p for p in PERSONAL if p in message.value], message.value
    assert not [p for p in PERSONAL if p in (await client.get(base, headers=AGENCY)).content]

    await send(story.rejected(case_id, first_id))
    reopened = await until_case(client, case_id, lambda c: c["status"] == "open")
    assert reopened["police_missing"] == [
        {"item": "identity.documents", "problem": "invalid", "detail": "the passport's copy is unreadable"}
    ]
    again = await client.post(f"{base}/handover", json={"grounds": "absconded"}, headers=AGENCY)
    assert again.status_code == 201
    second_id = again.json()["handover_id"]
    assert second_id != first_id
    records = await read_topic(kafka, topic_prefix + RETURNS_HANDOVER_V1.name, count=2)
    assert [CaseHandedOverToPoliceV1.model_validate_json(r.value).handover_id for r in records] == [
        first_id,
        second_id,
    ]

    await send(story.accepted(case_id, second_id))
    closed = await until_case(client, case_id, lambda c: c["status"] == "handed_over")
    assert closed["handovers"][-1]["enforcement_case_id"] == "EC-1"
    assert closed["closed_on"] == "2026-11-23"


async def test_bad_input_names_the_field_unknown_ids_are_404_and_state_conflicts_409(
    start_returns, send, story
) -> None:
    _, client = await start_returns()
    person = story()
    await send(*person.upstream())
    case_id = (await case_of(client, person.application_id))["return_case_id"]
    base = f"/return-cases/{case_id}"
    meeting = {
        "meeting_number": 1,
        "held_on": "2026-11-20",
        "language": "ar",
        "interpreter_used": False,
        "stance": "undecided",
    }
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("post", "counselling", {**meeting, "language": "Arabic"}, "language"),
        ("post", "counselling", {k: v for k, v in meeting.items() if k != "stance"}, "stance"),
        ("post", "counselling", {**meeting, "meeting_number": 0}, "meeting_number"),
        ("post", "counselling", {**meeting, "meeting_number": 2}, "meeting_number"),
        ("post", "counselling", {**meeting, "held_on": "2026-11-24"}, "held_on"),  # tomorrow
        ("post", "counselling", {**meeting, "evaluation": {"understood_decision": "yes"}}, "evaluation"),
        ("post", "counselling", {**meeting, "surprise": True}, "surprise"),
        ("post", "support-application", {"arrived_on": "soon"}, "arrived_on"),
        (
            "post",
            "support-decision",
            {"support_application_id": "RES-x", "decided_on": "2026-11-20", "granted": True},
            "support_application_id",
        ),
        (
            "post",
            "travel-document-request",
            {"document_kind": "library_card", "requested_on": "2026-11-20"},
            "document_kind",
        ),
        ("post", "travel-booking", {"stage": "booked"}, "booked_on"),
        (
            "post",
            "travel-booking",
            {"stage": "ordered", "ordered_on": "2026-11-20", "booked_on": "2026-11-20"},
            "booked_on",
        ),
        (
            "post",
            "departure",
            {"departed_on": "2026-11-20", "destination_country": "Iraq"},
            "destination_country",
        ),
        ("post", "departure", {"departed_on": "2026-10-01"}, "departed_on"),  # before enforceability
        (
            "post",
            "absconding",
            {
                "noticed_on": "2026-11-20",
                "last_known_address": {"municipality_code": "1280", "known_on": "2026-11-01"},
            },
            "street_address",
        ),
        ("post", "handover", {"grounds": "bored"}, "grounds"),
        ("post", "handover", {"grounds": "coercion_needed", "request_id": ""}, "request_id"),
        ("patch", "", {"unit": ""}, "unit"),
        ("patch", "", {"unit": "MALMO\x00"}, "unit"),
        (
            "post",
            "departure",
            {"departed_on": "2026-11-20", "destination_country": "ZZZ"},
            "destination_country",
        ),
        ("post", "departure", {"departed_on": "9999-12-31"}, "departed_on"),
        ("post", "impediment-application", {"lodged_on": "0001-01-01"}, "lodged_on"),
        ("post", "support-application", {"arrived_on": "9999-12-31"}, "arrived_on"),
    ]
    for method, path, body, field in cases:
        response = await client.request(method, f"{base}/{path}".rstrip("/"), json=body, headers=AGENCY)
        assert response.status_code == 422, (path, body, response.text)
        locations = [error["loc"] for error in response.json()["errors"]]
        assert any(field in location for location in locations), (path, field, locations)

    for query, field in [
        ({"limit": 0}, "limit"),
        ({"overdue": "lunch"}, "overdue"),
        ({"status": "x"}, "status"),
    ]:
        listed = await client.get("/return-cases", params=query, headers=AGENCY)
        assert listed.status_code == 422
        assert any(field in e["loc"] for e in listed.json()["errors"])
    for query, field in [
        ({"from_month": "2026-13"}, "from_month"),
        ({"to_month": "0000-01"}, "to_month"),
        ({"to_month": "9999-12"}, "to_month"),
        ({"as_of": "9999-12-31"}, "as_of"),
        ({"from_month": "1900-01", "to_month": "2100-12"}, "from_month"),  # more than ten years
    ]:
        report = await client.get("/follow-up", params=query, headers=AGENCY)
        assert report.status_code == 422, (query, report.text)
        assert report.json()["errors"][0]["loc"] == ["query", field]

    assert (await client.get("/return-cases/RC-nope", headers=AGENCY)).status_code == 404
    assert (
        await client.post("/return-cases/RC-nope/counselling", json=meeting, headers=AGENCY)
    ).status_code == 404

    assert (await client.post(f"{base}/counselling", json=meeting, headers=AGENCY)).status_code == 201
    twice = await client.post(f"{base}/counselling", json=meeting, headers=AGENCY)
    assert twice.status_code == 409
    assert twice.json()["reason"] == "meeting_already_recorded"
    assert (
        await client.post(f"{base}/departure", json={"departed_on": "2026-11-23"}, headers=AGENCY)
    ).status_code == 201
    departed = await client.post(f"{base}/departure", json={"departed_on": "2026-11-23"}, headers=AGENCY)
    assert departed.status_code == 409
    assert departed.json()["reason"] == "already_departed"

    assert (await client.get(base)).status_code == 401
    assert (await client.post(f"{base}/handover", json={"grounds": "absconded"})).status_code == 401
    assert (await client.get(base, headers=auth("police"))).status_code == 403
    assert (await client.get("/follow-up", headers=auth("monitor"))).status_code == 403


async def test_repeating_a_request_id_or_an_event_creates_and_publishes_nothing_more(
    start_returns, send, story
) -> None:
    _, client = await start_returns()
    person = story()
    await send(person.registered(), person.identity(), person.refused())
    await send(person.enforceable(), event_id="enforceable-once")
    await send(person.enforceable(), event_id="enforceable-once")  # redelivered: the inbox
    await send(person.enforceable())  # the same decision again: the state guard
    case_id = (await case_of(client, person.application_id))["return_case_id"]
    base = f"/return-cases/{case_id}"

    async def published() -> int:
        outbox = (await client.get("/ops/status", headers=auth("operator"))).json()["outbox"]
        return int(outbox["pending"] + outbox["published"])

    await eventually(
        lambda: client.get("/ops/status", headers=auth("operator")),
        until=lambda r: sum(i["count"] for i in r.json()["inbox"]) >= 5,
    )
    assert (
        await client.get("/return-cases", params={"application_id": person.application_id}, headers=AGENCY)
    ).json()["total"] == 1
    assert await published() == 1  # one return-case-opened

    bodies = {
        "support-application": {"request_id": "s-1", "arrived_on": "2026-11-20"},
        "travel-document-request": {
            "request_id": "t-1",
            "document_kind": "passport",
            "requested_on": "2026-11-20",
        },
        "travel-booking": {"request_id": "b-1", "stage": "ordered", "ordered_on": "2026-11-20"},
        "absconding": {"request_id": "a-1", "noticed_on": "2026-11-21", "whereabouts_code": "MO-12"},
        "handover": {"request_id": "h-1", "grounds": "absconded"},
    }
    for path, body in bodies.items():
        first = await client.post(f"{base}/{path}", json=body, headers=AGENCY)
        assert first.status_code == 201, (path, first.text)
        count = await published()
        again = await client.post(f"{base}/{path}", json=body, headers=AGENCY)
        assert again.status_code == 200, (path, again.text)
        assert again.json() == first.json()
        assert await published() == count
    assert await published() == 4  # opened, travel document requested, absconded, handed over
    reused = await client.post(
        f"{base}/departure", json={"request_id": "h-1", "departed_on": "2026-11-23"}, headers=AGENCY
    )
    assert reused.status_code == 422
    assert [e["field"] for e in reused.json()["errors"]] == ["request_id"]


async def test_the_follow_up_report_counts_per_target_unit_and_month_with_the_cost_of_delay(
    start_returns, send, story
) -> None:
    _, client = await start_returns()
    on_time, late = story(), story()
    await send(*on_time.upstream())  # enforceable 2 November: counselling due 16 November
    await send(late.registered(), late.refused(), late.enforceable())
    first = (await case_of(client, on_time.application_id))["return_case_id"]
    second = (await case_of(client, late.application_id))["return_case_id"]
    for case_id in (first, second):
        moved = await client.patch(f"/return-cases/{case_id}", json={"unit": "MALMO"}, headers=AGENCY)
        assert moved.json()["unit"] == "MALMO"
    meeting = {
        "meeting_number": 1,
        "language": "prs",
        "interpreter_used": True,
        "stance": "willing_to_return",
    }
    await client.post(
        f"/return-cases/{first}/counselling", json={**meeting, "held_on": "2026-11-16"}, headers=AGENCY
    )
    await client.post(
        f"/return-cases/{second}/counselling", json={**meeting, "held_on": "2026-11-20"}, headers=AGENCY
    )
    await client.post(
        f"/return-cases/{second}/travel-booking",
        json={"stage": "ordered", "ordered_on": "2026-11-19"},
        headers=AGENCY,
    )  # Thursday: to be booked on Friday 20th; three days overdue on Monday 23rd
    last = {
        **meeting,
        "meeting_number": 2,
        "held_on": "2026-11-23",
        "is_last_meeting": True,
        "evaluation": {"treated_with_respect": "yes", "return_humane_and_dignified": "partly"},
    }
    assert (
        await client.post(f"/return-cases/{first}/counselling", json=last, headers=AGENCY)
    ).status_code == 201

    report = await client.get(
        "/follow-up", params={"from_month": "2026-11", "to_month": "2027-01", "unit": "MALMO"}, headers=AGENCY
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["as_of"], body["cost_per_person_day"], body["currency"]) == ("2026-11-23", 380, "SEK")
    lines = {(line["target"], line["month"]): line for line in body["lines"]}
    counselling = lines[("first_counselling", "2026-11")]
    assert (counselling["due"], counselling["met_on_time"], counselling["met_late"]) == (2, 1, 1)
    assert (counselling["person_days_past_target"], counselling["cost_of_delay"]) == (4, 4 * 380)
    booking = lines[("travel_booking", "2026-11")]
    assert (booking["due"], booking["overdue"], booking["cost_of_delay"]) == (1, 1, 3 * 380)
    departure = lines[("departure", "2026-11")]  # four weeks from 2 November: 30 November
    assert (departure["due"], departure["not_yet_due"], departure["cost_of_delay"]) == (2, 2, 0)
    assert lines[("case_closure", "2027-01")]["due"] == 2
    evaluations = body["evaluations"]
    assert evaluations["last_meetings"] == 1
    assert evaluations["answers"]["treated_with_respect"]["yes"] == 1
    assert evaluations["answers"]["return_humane_and_dignified"]["partly"] == 1
    assert evaluations["answers"]["understood_decision"]["unanswered"] == 1

    overdue = await client.get("/return-cases", params={"overdue": "travel_booking"}, headers=AGENCY)
    assert [c["return_case_id"] for c in overdue.json()["items"]] == [second]
    assert overdue.json()["items"][0]["overdue"] == ["travel_booking"]
