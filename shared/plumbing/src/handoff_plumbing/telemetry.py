"""OpenTelemetry set-up: a tracer provider named after the service, export on request.

Spans go over OTLP/HTTP (``OTEL_EXPORTER_OTLP_ENDPOINT``: a collector, Jaeger, ...) and/or as
Zipkin JSON (``OTEL_EXPORTER_ZIPKIN_ENDPOINT``: the Zipkin server that ``make observe`` runs
on this machine from Maven Central's jar; see the README's Observability section).
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

_configured = False


def configure_tracing(
    service_name: str,
    *,
    otlp_endpoint: str | None = None,
    zipkin_endpoint: str | None = None,
    extra_processors: list[SpanProcessor] | None = None,
) -> None:
    """Install the process's tracer provider once.

    Spans go to OTLP/HTTP when ``otlp_endpoint`` (``OTEL_EXPORTER_OTLP_ENDPOINT``) is set, to
    Zipkin when ``zipkin_endpoint`` (``OTEL_EXPORTER_ZIPKIN_ENDPOINT``) is.
    A process that already has an SDK provider (a test with an in-memory exporter) keeps it.
    """
    global _configured
    if _configured or isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    exported = bool(otlp_endpoint or zipkin_endpoint or extra_processors)
    provider = tracer_provider(
        service_name, otlp_endpoint=otlp_endpoint, zipkin_endpoint=zipkin_endpoint, record=exported
    )
    for processor in extra_processors or []:
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    _configured = True


def tracer_provider(
    service_name: str,
    *,
    otlp_endpoint: str | None = None,
    zipkin_endpoint: str | None = None,
    record: bool = True,
) -> TracerProvider:
    """A provider named after the service, batching spans to each endpoint that is set.

    With ``record=False`` (nothing would receive the spans) every span is sampled out: it
    still has its ids, so the trace context goes on to the next service and logs carry the
    trace id, but nothing is recorded, which on the consumer's and the relay's hot paths
    costs a tenth of the work per event.
    """
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}), sampler=None if record else ALWAYS_OFF
    )
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_traces_url(otlp_endpoint)))
        )
    if zipkin_endpoint:
        from opentelemetry.exporter.zipkin.json import ZipkinExporter

        provider.add_span_processor(BatchSpanProcessor(ZipkinExporter(endpoint=zipkin_endpoint)))
    return provider


def otlp_traces_url(endpoint: str) -> str:
    """``OTEL_EXPORTER_OTLP_ENDPOINT`` is the collector's base URL; traces go to ``/v1/traces``."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else f"{base}/v1/traces"


def current_trace_ids() -> tuple[str, str] | None:
    """The current (trace id, span id) in hex, or None outside a span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")
