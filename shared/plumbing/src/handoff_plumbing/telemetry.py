"""OpenTelemetry set-up: a tracer provider named after the service, OTLP export on request."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_configured = False


def configure_tracing(
    service_name: str,
    *,
    otlp_endpoint: str | None = None,
    extra_processors: list[SpanProcessor] | None = None,
) -> None:
    """Install the process's tracer provider once.

    Spans go to OTLP/HTTP when ``otlp_endpoint`` (``OTEL_EXPORTER_OTLP_ENDPOINT``) is set.
    A process that already has an SDK provider (a test with an in-memory exporter) keeps it.
    """
    global _configured
    if _configured or isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = otlp_endpoint.rstrip("/")
        if not endpoint.endswith("/v1/traces"):
            endpoint += "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    for processor in extra_processors or []:
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    _configured = True


def current_trace_ids() -> tuple[str, str] | None:
    """The current (trace id, span id) in hex, or None outside a span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")
