"""An application registered over intake's HTTP API is seen by returns through the broker,
and one trace runs from the HTTP request through the relay into returns' consumer."""

from __future__ import annotations

import pytest
from opentelemetry.trace import SpanKind

from handoff_devtools.testing.helpers import auth, eventually
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]

APPLICATION = {
    "request_id": "e2e-1",
    "applicant": {"full_name": "Amina Testperson", "date_of_birth": "1991-04-02", "nationality": "SOM"},
    "lodged_on": "2026-10-01",
    "eurodac_hit": True,
    "identity_documents": [{"kind": "birth_certificate", "number": "BC-12345"}],
    "vulnerabilities": ["unaccompanied_minor"],
}


async def test_registered_application_is_seen_by_returns_in_one_trace(service, spans) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)

    created = await intake.post("/applications", json=APPLICATION, headers=auth("agency"))
    assert created.status_code == 201, created.text
    application_id = created.json()["application_id"]

    async def seen_by_returns():  # type: ignore[no-untyped-def]
        return await returns.get(f"/applications/{application_id}", headers=auth("agency"))

    response = await eventually(seen_by_returns, until=lambda r: r.status_code == 200)
    seen = response.json()
    assert seen["person_ref"] == created.json()["person_ref"]
    assert seen["dublin_case"] is True
    assert seen["vulnerabilities"] == ["unaccompanied_minor"]
    assert "Amina" not in response.text
    assert "1991-04-02" not in response.text

    finished = spans.get_finished_spans()
    http = next(s for s in finished if s.kind == SpanKind.SERVER and s.name.startswith("POST /applications"))
    publish = next(
        s
        for s in finished
        if s.kind == SpanKind.PRODUCER and s.name.endswith("intake.application.v1 publish")
    )
    consume = next(
        s
        for s in finished
        if s.kind == SpanKind.CONSUMER
        and ".returns" in str(s.attributes.get("messaging.consumer.group.name", ""))
        and str(s.attributes.get("messaging.destination.name", "")).endswith("handoff.intake.application.v1")
    )
    trace_id = http.context.trace_id
    assert publish.context.trace_id == trace_id
    assert consume.context.trace_id == trace_id
    assert consume.parent is not None
    assert consume.parent.span_id == publish.context.span_id
