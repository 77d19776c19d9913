"""schemathesis over every operation of every service: no input gets a 500, every answer is
the one the OpenAPI document describes (problem+json errors included).

Each service runs in-process (ASGI) on its own database (SQLite, and PostgreSQL where the tests
have one: some inputs, a NUL character say, only PostgreSQL refuses) with its real lifespan, its
Kafka side pointed at nobody; the monitor's webhook deliveries reach nothing but this machine.
``FUZZ_EXAMPLES`` sets the examples per operation (``make fuzz`` runs more).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from schemathesis.python import asgi

import intake.bootstrap
import monitoring.bootstrap
import police_handover.bootstrap
import resettlement.bootstrap
import returns.bootstrap
from handoff_devtools.testing.fuzz import fuzz_app, fuzz_runtime
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
SERVICES: dict[str, tuple[Callable[..., ServiceRuntime], type[Settings]]] = {
    "intake": (intake.bootstrap.build, intake.bootstrap.IntakeSettings),
    "returns": (returns.bootstrap.build, returns.bootstrap.ReturnsSettings),
    "police-handover": (police_handover.bootstrap.build, police_handover.bootstrap.PoliceHandoverSettings),
    "monitoring": (monitoring.bootstrap.build, monitoring.bootstrap.MonitoringSettings),
    "resettlement": (resettlement.bootstrap.build, resettlement.bootstrap.ResettlementSettings),
}


@pytest.mark.fuzz
@pytest.mark.no_cover  # thousands of requests: under coverage's tracer it ran twice as long
@pytest.mark.db
@pytest.mark.parametrize("name", SERVICES)
def test_no_input_gets_a_server_error_or_an_undocumented_answer(name: str, database_url: str) -> None:
    runtime = fuzz_runtime(*SERVICES[name], database_url)
    app = runtime.create_app()
    operations = {
        f"{method.upper()} {path}" for path, item in app.openapi()["paths"].items() for method in item
    }
    try:
        report = fuzz_app(name, app, max_examples=EXAMPLES)
    finally:
        asgi.shutdown_lifespans()
    print(report.summary())
    assert report.operations == operations
    assert report.failures == [], report.details()
    assert report.errors == [], report.details()
