"""Running a service as a process: logging, tracing, then uvicorn serving the app."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import uvicorn

from handoff_plumbing.development import DevelopmentCredentialsRefused, refuse_development_credentials
from handoff_plumbing.logs import configure_logging
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_plumbing.telemetry import configure_tracing

S = TypeVar("S", bound=Settings)


def serve(build: Callable[[S], ServiceRuntime], settings: S) -> None:
    try:
        refuse_development_credentials(settings)
    except DevelopmentCredentialsRefused as refused:
        sys.stderr.write(f"{refused}\n")
        raise SystemExit(2) from None
    configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)
    configure_tracing(
        settings.service_name,
        otlp_endpoint=settings.otel_exporter_otlp_endpoint,
        zipkin_endpoint=settings.otel_exporter_zipkin_endpoint,
    )
    runtime = build(settings)
    uvicorn.run(
        runtime.create_app(),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )
