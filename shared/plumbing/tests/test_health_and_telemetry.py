"""Readiness tells the truth about the database and the broker; traces can go to OTLP."""

from __future__ import annotations

import pytest

from handoff_plumbing.telemetry import otlp_traces_url, tracer_provider


@pytest.mark.db
@pytest.mark.kafka
async def test_ready_when_database_and_broker_answer(ledger) -> None:
    runtime = await ledger(consume=False, relay=False)
    assert await runtime.readiness() == {"database": "ok", "kafka": "ok"}


@pytest.mark.db
async def test_not_ready_while_the_broker_is_unreachable_but_the_service_still_runs(ledger) -> None:
    runtime = await ledger(consume=False, relay=True, bootstrap="127.0.0.1:1")
    checks = await runtime.readiness()
    assert checks["database"] == "ok"
    assert checks["kafka"].startswith("failed: ")
    assert not runtime.kafka_connected.is_set()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("endpoint", "url"),
    [
        ("http://collector:4318", "http://collector:4318/v1/traces"),
        ("http://collector:4318/", "http://collector:4318/v1/traces"),
        ("http://collector:4318/v1/traces", "http://collector:4318/v1/traces"),
    ],
)
def test_otlp_endpoint_is_the_collectors_base_url(endpoint: str, url: str) -> None:
    assert otlp_traces_url(endpoint) == url


@pytest.mark.unit
def test_spans_are_exported_over_otlp_only_when_an_endpoint_is_set() -> None:
    with_endpoint = tracer_provider("intake", otlp_endpoint="http://collector:4318")
    without = tracer_provider("intake")
    exporters = [
        type(p.span_exporter).__name__ for p in with_endpoint._active_span_processor._span_processors
    ]
    assert exporters == ["OTLPSpanExporter"]
    assert without._active_span_processor._span_processors == ()
    assert with_endpoint.resource.attributes["service.name"] == "intake"


@pytest.mark.unit
def test_spans_go_to_zipkin_when_its_endpoint_is_set() -> None:
    provider = tracer_provider("returns", zipkin_endpoint="http://127.0.0.1:9411/api/v2/spans")
    [processor] = provider._active_span_processor._span_processors
    exporter = processor.span_exporter  # type: ignore[attr-defined]
    assert type(exporter).__name__ == "ZipkinExporter"
    assert exporter.endpoint == "http://127.0.0.1:9411/api/v2/spans"
