"""Registering an asylum application over intake's HTTP API."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from handoff_plumbing.testing.helpers import auth, read_topic
from handoff_schemas.events.intake import ApplicationRegisteredV1
from intake.bootstrap import IntakeSettings, build

pytestmark = [pytest.mark.db, pytest.mark.kafka]

APPLICATION: dict[str, Any] = {
    "applicant": {"full_name": "Amina Testperson", "date_of_birth": "1991-04-02", "nationality": "SOM"},
    "lodged_on": "2026-10-01",
    "eurodac_hit": False,
    "identity_documents": [{"kind": "passport", "number": "P1234567"}],
    "vulnerabilities": ["serious_illness", "child_in_family"],
}


def application(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(APPLICATION)
    body.update(changes)
    return body


async def test_a_registered_application_is_published_without_personal_data(
    service, kafka, topic_prefix
) -> None:
    _, client = await service(build, IntakeSettings)
    response = await client.post("/applications", json=application(), headers=auth("agency"))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["identity_category"] == "documented"
    assert body["dublin_case"] is False
    assert body["vulnerabilities"] == ["child_in_family", "serious_illness"]
    [record] = await read_topic(kafka, topic_prefix + ApplicationRegisteredV1.topic.name, count=1)
    event = ApplicationRegisteredV1.model_validate_json(record.value)
    assert event.application_id == body["application_id"] == record.key.decode()
    assert event.person_ref == body["person_ref"]
    for personal in (b"Amina", b"1991-04-02", b"P1234567"):
        assert personal not in record.value


async def test_a_repeated_request_id_creates_nothing_new(service, kafka, topic_prefix) -> None:
    _, client = await service(build, IntakeSettings)
    body = application(request_id="agency-system-42")
    first = await client.post("/applications", json=body, headers=auth("agency"))
    again = await client.post("/applications", json=body, headers=auth("agency"))

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["application_id"] == first.json()["application_id"]
    status = await client.get("/ops/status", headers=auth("operator"))
    outbox = status.json()["outbox"]
    assert outbox["pending"] + outbox["published"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (application(applicant={"date_of_birth": "1991-04-02", "nationality": "SOM"}), "full_name"),
        (application(applicant={**APPLICATION["applicant"], "nationality": "Somalia"}), "nationality"),
        (application(lodged_on="yesterday"), "lodged_on"),
        (application(lodged_on="2999-01-01"), "lodged_on"),
        (application(applicant={**APPLICATION["applicant"], "date_of_birth": "2026-10-02"}), "date_of_birth"),
        (application(vulnerabilities=["tired"]), "vulnerabilities"),
        (application(identity_documents=[{"kind": "library_card", "number": "1"}]), "kind"),
        (application(surprise=True), "surprise"),
    ],
    ids=[
        "missing-name",
        "bad-nationality",
        "bad-date",
        "future",
        "born-after",
        "vulnerability",
        "doc",
        "extra",
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(
    service, body: dict[str, Any], field: str
) -> None:
    _, client = await service(build, IntakeSettings)
    response = await client.post("/applications", json=body, headers=auth("agency"))

    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(field in location for location in locations), locations
    status = await client.get("/ops/status", headers=auth("operator"))
    assert status.json()["outbox"]["pending"] + status.json()["outbox"]["published"] == 0


async def test_only_the_agency_may_register(service) -> None:
    _, client = await service(build, IntakeSettings)
    assert (await client.post("/applications", json=application())).status_code == 401
    response = await client.post("/applications", json=application(), headers=auth("police"))
    assert response.status_code == 403
