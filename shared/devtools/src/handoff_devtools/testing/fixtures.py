"""Pytest fixtures shared by every test tier (loaded by the repository's root conftest).

* ``kafka``: one real Kafka broker for the session, as a
  :class:`~handoff_devtools.testing.kafka.KafkaAccess` (address, credentials per principal,
  ACLs per topic prefix; see :mod:`handoff_devtools.testing.kafka`). The ``service`` and
  ``ledger`` fixtures run each service as its own principal under the generated ACLs.
* ``database_url``: a fresh database per test, once on SQLite and once on PostgreSQL when
  ``HANDOFF_TEST_POSTGRES_URL`` names a server. With ``HANDOFF_REQUIRE_POSTGRES=1`` (CI)
  a missing server fails the run instead of skipping.
* ``topic_prefix``: a unique prefix so that tests never share topics or consumer groups.
* ``spans``: the in-memory span exporter of the process-wide tracer provider.
* :func:`require_tool`: an operators' tool (promtool, prometheus, helm) or a skip; with
  ``HANDOFF_REQUIRE_OPS_TOOLS=1`` (``make test``, so CI) a missing tool fails the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.engine import make_url

from handoff_plumbing import db
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings

if TYPE_CHECKING:
    from handoff_devtools.testing.kafka import KafkaAccess

_EXPORTER = InMemorySpanExporter()


def install_test_tracing() -> None:
    """One SDK provider for the whole test process, exporting to memory."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)


install_test_tracing()


def postgres_base_url() -> str | None:
    url = os.environ.get("HANDOFF_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("HANDOFF_REQUIRE_POSTGRES") == "1":
        pytest.fail("HANDOFF_REQUIRE_POSTGRES=1 but HANDOFF_TEST_POSTGRES_URL is not set")
    return None


def require_tool(name: str, *, also_in: Path | None = None) -> str:
    """The path of ``name`` on PATH (or in ``also_in``); skip, or fail where the tools are required."""
    found = shutil.which(name) or shutil.which(name, path=str(also_in) if also_in else None)
    if found:
        return found
    message = f"{name} is not installed (bash tools/ops-tools.sh installs it; make test does)"
    if os.environ.get("HANDOFF_REQUIRE_OPS_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaAccess]:
    """A real Kafka broker, started once per test session, and the credentials to use it."""
    from handoff_devtools.testing.kafka import kafka_for_tests

    with kafka_for_tests(tmp_path_factory.mktemp("kafka")) as access:
        secured = "secured" if access.secured else "no authentication"
        ready = f"ready in {access.startup_seconds:.1f}s"
        print(f"\nkafka: {access.kind} at {access.bootstrap} ({secured}), {ready}")
        yield access


@pytest.fixture
def topic_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


def unique_database_url(base: str, backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.db'}"
    return (
        make_url(base)
        .set(database=f"handoff_test_{uuid.uuid4().hex[:12]}")
        .render_as_string(hide_password=False)
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs twice: on SQLite and on PostgreSQL."""
    backend: str = request.param
    if backend == "postgresql" and postgres_base_url() is None:
        pytest.skip("PostgreSQL not configured (set HANDOFF_TEST_POSTGRES_URL; CI does)")
    return backend


@pytest.fixture
async def new_database_url(
    database_backend: str, tmp_path: Path
) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Make fresh, empty databases of the test's backend; PostgreSQL ones are dropped after."""
    created: list[str] = []

    async def make() -> str:
        url = unique_database_url(postgres_base_url() or "", database_backend, tmp_path)
        if database_backend == "postgresql":
            await db.ensure_postgres_database(url)
            created.append(url)
        return url

    yield make
    for url in created:
        await db.drop_postgres_database(url)


@pytest.fixture
async def database_url(new_database_url: Callable[[], Awaitable[str]]) -> str:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    return await new_database_url()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


@pytest.fixture
async def ledger(
    kafka: KafkaAccess, database_url: str, topic_prefix: str
) -> AsyncIterator[Callable[..., Awaitable[ServiceRuntime]]]:
    """Start ledger runtimes (the plumbing's test service) on one database; stops them all."""
    from handoff_devtools.testing import ledger as ledger_service

    started: list[ServiceRuntime] = []

    async def start(
        *, consume: bool = True, relay: bool = True, bootstrap: str | None = None, **overrides: Any
    ) -> ServiceRuntime:
        await kafka.grant(topic_prefix)
        options: dict[str, Any] = {
            **kafka.settings("ledger"),
            "service_name": "ledger",
            "kafka_bootstrap_servers": bootstrap or kafka.bootstrap,
            "kafka_topic_prefix": topic_prefix,
            "database_url": database_url,
            "relay_poll_seconds": 0.1,
            "consumer_max_attempts": 3,
            "consumer_backoff_initial_seconds": 0.05,
        }
        settings = Settings(**{**options, **overrides})
        runtime = ServiceRuntime(ledger_service.definition(consume=consume), settings)
        started.append(runtime)
        await runtime.start(consume=consume, relay=relay)
        if bootstrap is None:
            await asyncio.wait_for(runtime.kafka_connected.wait(), timeout=60)
        return runtime

    yield start
    for runtime in reversed(started):
        await runtime.stop()


@pytest.fixture
async def service(
    kafka: KafkaAccess, topic_prefix: str, new_database_url: Callable[[], Awaitable[str]]
) -> AsyncIterator[Callable[..., Awaitable[tuple[ServiceRuntime, httpx.AsyncClient]]]]:
    """Run real services in this process: app lifespan, own database, real broker (as the
    service's own principal), a client."""
    stack = contextlib.AsyncExitStack()

    async def start(
        build: Callable[[Settings], ServiceRuntime], settings_class: type[Settings], **overrides: Any
    ) -> tuple[ServiceRuntime, httpx.AsyncClient]:
        await kafka.grant(topic_prefix)
        name = overrides.get("service_name") or settings_class.model_fields["service_name"].default
        options: dict[str, Any] = {
            **kafka.settings(name),
            "kafka_topic_prefix": topic_prefix,
            "database_url": await new_database_url(),
            "relay_poll_seconds": 0.1,
            "consumer_backoff_initial_seconds": 0.05,
        }
        settings = settings_class(**{**options, **overrides})
        runtime = build(settings)
        app = runtime.create_app()
        await stack.enter_async_context(app.router.lifespan_context(app))
        await asyncio.wait_for(runtime.kafka_connected.wait(), timeout=60)
        client = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=f"http://{settings.service_name}"
            )
        )
        return runtime, client

    yield start
    await stack.aclose()
