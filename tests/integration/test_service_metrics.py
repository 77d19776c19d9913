"""Every service answers /metrics; after an application crossed from intake to returns through
the real broker, the operators' numbers say so, labelled by route template and never by a
person or a case."""

from __future__ import annotations

import pytest

from handoff_devtools.testing.helpers import auth, eventually
from handoff_devtools.testing.metrics import Scrape, scrape
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.kafka, pytest.mark.db]
AGENCY = auth("agency")
NAME = "Metri Personsson"


async def test_an_application_shows_in_the_metrics_of_intake_and_returns(service) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)
    intake_before, returns_before = await scrape(intake), await scrape(returns)

    created = await intake.post(
        "/applications",
        headers=AGENCY,
        json={
            "applicant": {"full_name": NAME, "date_of_birth": "1980-05-05", "nationality": "ERI"},
            "lodged_on": "2026-11-01",
        },
    )
    assert created.status_code == 201, created.text
    application_id = created.json()["application_id"]
    await eventually(
        lambda: returns.get(f"/applications/{application_id}", headers=AGENCY),
        until=lambda r: r.status_code == 200,
    )
    assert (await intake.get("/applications/no-such-id", headers=AGENCY)).status_code == 404

    def intake_settled(m: Scrape) -> bool:
        return m.value("handoff_outbox_pending", service="intake") == 0

    intake_after = await eventually(lambda: scrape(intake), until=intake_settled)
    requests = intake_after.series("handoff_http_requests_total", service="intake", method="POST")
    assert (
        intake_after.delta(
            intake_before,
            "handoff_http_requests_total",
            service="intake",
            route="/applications",
            method="POST",
            status="201",
        )
        == 1
    )
    assert (
        intake_after.delta(
            intake_before,
            "handoff_http_requests_total",
            service="intake",
            route="/applications/{application_id}",
            method="GET",
            status="404",
        )
        == 1
    )
    assert {labels["route"] for labels, _ in requests} >= {"/applications"}
    assert intake_after.delta(intake_before, "handoff_relay_published_total", service="intake") >= 1
    assert intake_after.value("handoff_http_request_duration_seconds_count", route="/applications") >= 1

    returns_after = await eventually(
        lambda: scrape(returns),
        until=lambda m: (
            m.delta(returns_before, "handoff_consumer_records_total", service="returns", outcome="processed")
            >= 1
            and m.value("handoff_consumer_lag", service="returns") == 0
            and m.series("handoff_consumer_lag", service="returns") != []
        ),
    )
    assert returns_after.value("handoff_dead_letters_total", service="returns") == returns_before.value(
        "handoff_dead_letters_total", service="returns"
    )
    for text in (intake_after.text, returns_after.text):
        assert application_id not in text
        assert NAME not in text
