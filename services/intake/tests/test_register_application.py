"""Registering an asylum application over intake's HTTP API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, read_topic
from handoff_schemas.events.intake import ApplicantIdentityRecordedV1, ApplicationRegisteredV1

pytestmark = [pytest.mark.db, pytest.mark.kafka]

PERSONAL = (b"Amina", b"1991-04-02", b"P1234567", b"female", b"2029-05-31")


async def test_a_registered_application_is_published_without_personal_data_and_the_identity_for_the_agency(
    intake, bodies, kafka, topic_prefix
) -> None:
    _, client = await intake()
    response = await client.post("/applications", json=bodies.application(), headers=auth("agency"))
    old_style = {  # what clients sent before sex, issuing country and expiry were asked for
        "applicant": {"full_name": "R Un", "date_of_birth": "1980-05-05", "nationality": "ERI"},
        "lodged_on": "2026-11-01",
        "identity_documents": [{"kind": "birth_certificate", "number": "BC-1"}],
    }
    old = await client.post("/applications", json=old_style, headers=auth("agency"))

    assert response.status_code == 201, response.text
    assert old.status_code == 201, old.text
    body = response.json()
    assert body["identity_category"] == "documented"
    assert body["dublin_case"] is False
    assert body["housing_steer"] == "ordinary"
    assert body["status"] == "undecided"
    assert body["decision_due_on"] == "2027-04-01"
    assert body["vulnerabilities"] == ["child_in_family", "serious_illness"]
    for personal in PERSONAL:
        assert personal.decode() not in response.text
    records = await read_topic(kafka, topic_prefix + ApplicationRegisteredV1.topic.name, count=2)
    [record] = [r for r in records if r.key.decode() == body["application_id"]]
    event = ApplicationRegisteredV1.model_validate_json(record.value)
    assert event.application_id == body["application_id"] == record.key.decode()
    assert event.person_ref == body["person_ref"]
    for personal in PERSONAL:
        assert personal not in record.value

    identities = {
        r.key.decode(): ApplicantIdentityRecordedV1.model_validate_json(r.value)
        for r in await read_topic(kafka, topic_prefix + ApplicantIdentityRecordedV1.topic.name, count=2)
    }
    recorded = identities[body["application_id"]]
    assert recorded.person_ref == body["person_ref"]
    identity = recorded.identity
    assert (
        identity.full_name,
        identity.date_of_birth.isoformat(),
        identity.sex.value,
        identity.nationality,
    ) == (
        "Amina Testperson",
        "1991-04-02",
        "female",
        "SOM",
    )
    [document] = identity.documents
    assert document.model_dump(mode="json") == {
        "kind": "passport",
        "document_number": "P1234567",
        "issuing_country": "SOM",
        "expires_on": "2029-05-31",
        "original_held_by_agency": True,
    }
    unknowns = identities[old.json()["application_id"]].identity
    assert unknowns.sex.value == "unknown"
    assert unknowns.documents[0].issuing_country == "XXX"
    assert unknowns.documents[0].original_held_by_agency is False


async def test_a_repeated_request_id_creates_and_publishes_nothing_new(intake, bodies, outbox) -> None:
    runtime, client = await intake()
    body = bodies.application(request_id="agency-system-42")
    first = await client.post("/applications", json=body, headers=auth("agency"))
    again = await client.post("/applications", json=body, headers=auth("agency"))

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert await outbox.types(runtime) == [
        "handoff.intake.application-registered.v1",
        "handoff.intake.applicant-identity-recorded.v1",
    ]


async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(intake, bodies, outbox) -> None:
    runtime, client = await intake()
    cases: list[tuple[dict[str, Any], str]] = [
        (bodies.application(applicant={"date_of_birth": "1991-04-02", "nationality": "SOM"}), "full_name"),
        (bodies.applicant(full_name="N" * 201), "full_name"),
        (bodies.applicant(nationality="Somalia"), "nationality"),
        (bodies.applicant(sex="x"), "sex"),
        (bodies.application(lodged_on="yesterday"), "lodged_on"),
        (bodies.application(lodged_on="2999-01-01"), "lodged_on"),
        (bodies.applicant(date_of_birth="2026-10-02"), "date_of_birth"),
        (bodies.application(vulnerabilities=["tired"]), "vulnerabilities"),
        (bodies.document(kind="library_card"), "kind"),
        (bodies.document(issuing_country="Somalia"), "issuing_country"),
        (bodies.document(expires_on="soon"), "expires_on"),
        (bodies.application(surprise=True), "surprise"),
        (bodies.applicant(full_name="Amina\x00Testperson"), "full_name"),
        (bodies.applicant(full_name="R2-D2"), "full_name"),
        (bodies.applicant(date_of_birth="0001-01-01"), "date_of_birth"),
        (bodies.applicant(date_of_birth="1899-12-31"), "date_of_birth"),
        (bodies.applicant(date_of_birth="2026-11-24"), "date_of_birth"),  # after the service's today
        (bodies.applicant(date_of_birth="9999-12-31"), "date_of_birth"),
        (bodies.applicant(nationality="ZZZ"), "nationality"),
        (bodies.document(issuing_country="ZZZ"), "issuing_country"),
        (bodies.document(number="P123\x07"), "number"),
        (bodies.document(expires_on="9999-12-31"), "expires_on"),
        (bodies.application(lodged_on="0000-01-01"), "lodged_on"),
        (bodies.application(request_id="\x00"), "request_id"),
    ]
    for body, field in cases:
        response = await client.post("/applications", json=body, headers=auth("agency"))
        assert response.status_code == 422, (field, response.text)
        locations = [error["loc"] for error in response.json()["errors"]]
        assert any(field in location for location in locations), (field, locations)
    assert await outbox.count(runtime) == 0


async def test_a_lone_surrogate_in_a_name_is_a_422_and_nothing_is_stored(intake, bodies, outbox) -> None:
    runtime, client = await intake()
    body = json.dumps(bodies.application()).replace("Amina Testperson", "Amina \\ud800Testperson")
    response = await client.post(
        "/applications", content=body, headers={**auth("agency"), "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "holds a lone surrogate: text must be valid Unicode"
    assert await outbox.count(runtime) == 0


async def test_stateless_and_kosovo_are_nationalities(intake, bodies) -> None:
    _, client = await intake()
    for nationality in ("XXA", "XKX"):
        body = bodies.applicant(nationality=nationality)
        response = await client.post("/applications", json=body, headers=auth("agency"))
        assert response.status_code == 201, response.text


async def test_only_the_agency_may_call_intake(intake, bodies) -> None:
    _, client = await intake()
    assert (await client.post("/applications", json=bodies.application())).status_code == 401
    calls = [
        ("POST", "/applications", bodies.application()),
        ("GET", "/applications", None),
        ("GET", "/applications/APP-x", None),
        ("POST", "/applications/APP-x/decision", bodies.refusal()),
        ("POST", "/applications/APP-x/enforceability", {"enforceable_on": "2026-11-20"}),
        ("POST", "/applications/APP-x/inhibitions", {"court": "MIGD", "ordered_on": "2026-11-20"}),
        ("POST", "/applications/APP-x/inhibitions/INH-x/lift", {"lifted_on": "2026-11-20"}),
        ("POST", "/applications/APP-x/dublin-transfer", {"accepted_on": "2026-11-20"}),
    ]
    for method, path, body in calls:
        for role in ("police", "monitor", "operator"):
            response = await client.request(method, path, json=body, headers=auth(role))
            assert response.status_code == 403, (method, path, role, response.status_code)
        response = await client.request(method, path, json=body, headers=auth("agency"))
        assert response.status_code in {200, 201, 404}, (method, path, response.text)
