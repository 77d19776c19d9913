"""Fuzzing every HTTP operation of a service with schemathesis, in-process (ASGI) on SQLite.

* :func:`fuzz_runtime` builds a service as it runs in production, on its database, with a
  broker address that answers nobody (the outbox keeps what the API stages) and, for the
  monitor, a webhook transport that reaches nothing but this machine;
* :func:`roles_by_operation` reads from the app which roles each operation admits, so that
  the fuzzer calls it with a token of a role that passes the guard and reaches the handler;
* :func:`fuzz_config` is the one configuration every run shares: bounded examples, the
  checks for server errors and for answers the OpenAPI document does not describe.
"""

from __future__ import annotations

import inspect
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings

# The broker address of a fuzzing run: nothing listens there, so nothing leaves the process.
NO_BROKER = "127.0.0.1:9"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class LoopbackOnlyTransport(httpx.AsyncBaseTransport):
    """Deliver to this machine only: a request to any other host fails before any lookup."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.refused: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not is_loopback(request.url.host):
            self.refused.append(request.url.host)
            raise httpx.ConnectError("fuzzing keeps webhook deliveries on this machine", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def fuzz_runtime(
    build: Callable[..., ServiceRuntime], settings_class: type[Settings], database_url: str
) -> ServiceRuntime:
    """The service on ``database_url`` (SQLite or PostgreSQL), its Kafka side pointed at nobody."""
    settings = settings_class(
        database_url=database_url, kafka_bootstrap_servers=NO_BROKER, log_level="WARNING"
    )
    parameters = inspect.signature(build).parameters
    if "webhook_transport" in parameters:
        return build(settings, webhook_transport=LoopbackOnlyTransport())
    return build(settings)


def _roles(dependant: Dependant) -> Iterator[frozenset[str]]:
    call = dependant.call
    if call is not None and getattr(call, "__qualname__", "").startswith("require_roles."):
        allowed = inspect.getclosurevars(call).nonlocals.get("allowed")
        if isinstance(allowed, frozenset):
            yield allowed
    for sub in dependant.dependencies:
        yield from _roles(sub)


def roles_by_operation(app: FastAPI) -> dict[tuple[str, str], list[str]]:
    """``(METHOD, path template)`` -> the roles its guard admits (none for open operations)."""
    found: dict[tuple[str, str], list[str]] = {}
    for route in app.routes:
        if isinstance(route, APIRoute):
            roles = sorted(set().union(*_roles(route.dependant)))
            for method in route.methods or ():
                found[(method.upper(), route.path)] = roles
    return found


class RoleTokens:
    """A schemathesis auth provider: each case gets a token of a role its operation admits."""

    def __init__(self, roles: dict[tuple[str, str], list[str]]) -> None:
        self._roles = roles

    def get(self, case: Any, _context: Any) -> dict[str, str]:
        from handoff_devtools.testing.helpers import auth

        roles = self._roles.get((case.method.upper(), case.path), [])
        return auth(roles[0], subject="fuzzer") if roles else {}

    def set(self, case: Any, headers: dict[str, str], _context: Any) -> None:
        case.headers = {**(case.headers or {}), **headers}


@dataclass
class FuzzReport:
    """What one service's run did: operations and cases, and every failed check."""

    service: str
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.service}: {len(self.operations)} operations, {self.cases} requests, "
            f"{len(self.failures)} failures, {len(self.errors)} errors in {self.seconds:.0f}s"
        )

    def details(self) -> str:
        return "\n".join([self.summary(), *self.failures, *self.errors])


def fuzz_app(service: str, app: FastAPI, *, max_examples: int, seed: int | None = None) -> FuzzReport:
    """schemathesis over every operation of ``app`` (in-process), every phase but the stateful one."""
    import schemathesis
    from schemathesis.engine import Status, events, from_schema

    config = schemathesis.Config.from_dict(fuzz_config(max_examples=max_examples, seed=seed))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    schema.auth.providers.append(RoleTokens(roles_by_operation(app)))
    report = FuzzReport(service)
    seen: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            report.operations.add(recorder.label)
            report.cases += len(recorder.interactions)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.status is not Status.FAILURE or check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = f"{recorder.label} {failure.title}"
                    if key not in seen:
                        seen.add(key)
                        report.failures.append(
                            f"{recorder.label}: {failure.title}: {failure.message}\n"
                            f"    {check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            report.seconds = event.running_time
    return report


def fuzz_config(*, max_examples: int, seed: int | None = None) -> dict[str, Any]:
    """The schemathesis configuration (as in a ``schemathesis.toml``) of every fuzzing run."""
    config: dict[str, Any] = {
        "generation": {"max-examples": max_examples, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {"stateful": {"enabled": False}},
        # Readiness answers 503 by design while the broker is away, as it is in a fuzzing run.
        "operations": [
            {
                "include-path": "/health/ready",
                "checks": {"not_a_server_error": {"expected-statuses": ["2XX", "4XX", "503"]}},
            }
        ],
    }
    if seed is not None:
        config["seed"] = seed
    return config
