"""What holds for every one of the five services: guarded APIs, docs served without a CDN, own
migrated database."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import intake.bootstrap
import monitoring.bootstrap
import police_handover.bootstrap
import resettlement.bootstrap
import returns.bootstrap
from handoff_plumbing.auth import unguarded_routes
from handoff_plumbing.service import ServiceRuntime
from handoff_plumbing.settings import Settings

ASSET_REFERENCE = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|\burl:\s*["']([^"']+)["']""")

SERVICES: dict[str, tuple[Callable[..., ServiceRuntime], type[Settings]]] = {
    "intake": (intake.bootstrap.build, intake.bootstrap.IntakeSettings),
    "returns": (returns.bootstrap.build, returns.bootstrap.ReturnsSettings),
    "police-handover": (police_handover.bootstrap.build, police_handover.bootstrap.PoliceHandoverSettings),
    "monitoring": (monitoring.bootstrap.build, monitoring.bootstrap.MonitoringSettings),
    "resettlement": (resettlement.bootstrap.build, resettlement.bootstrap.ResettlementSettings),
}


def runtime_for(name: str, database_url: str) -> ServiceRuntime:
    build, settings_class = SERVICES[name]
    return build(settings_class(database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1"))


@pytest.mark.unit
@pytest.mark.parametrize("name", SERVICES)
async def test_every_operation_denies_a_caller_without_a_token(name: str, tmp_path: Path) -> None:
    runtime = runtime_for(name, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    app = runtime.create_app()
    assert unguarded_routes(app) == []
    operations = [
        (method, re.sub(r"\{[^}]+\}", "some-id", path))
        for path, methods in app.openapi()["paths"].items()
        if not path.startswith("/health")
        for method in methods
    ]
    assert operations, "every service has at least its operator endpoints"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        for method, path in operations:
            response = await client.request(method, path, json={})
            assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
    await runtime.engine.dispose()


@pytest.mark.unit
@pytest.mark.parametrize("name", SERVICES)
def test_every_service_documents_its_api(name: str, tmp_path: Path) -> None:
    runtime = runtime_for(name, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    spec = runtime.create_app().openapi()
    assert spec["info"]["title"].startswith(f"Handoff {name}")
    assert "/health/ready" in spec["paths"]
    assert "/ops/status" in spec["paths"]


@pytest.mark.db
@pytest.mark.parametrize("name", SERVICES)
async def test_migrations_build_exactly_the_tables_the_code_maps(name: str, database_url: str) -> None:
    runtime = runtime_for(name, database_url)
    try:
        await runtime.prepare_database()
        await runtime.prepare_database()  # a second start finds nothing to do

        def differences(connection):  # type: ignore[no-untyped-def]
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, runtime.definition.metadata)

        async with runtime.engine.connect() as connection:
            diff = await connection.run_sync(differences)
        assert diff == []
    finally:
        await runtime.engine.dispose()


@pytest.mark.unit
@pytest.mark.parametrize("name", ["intake", "returns", "police-handover"])
async def test_the_monitor_cannot_read_agency_or_police_endpoints(name: str, tmp_path: Path) -> None:
    from handoff_devtools.testing.helpers import auth

    runtime = runtime_for(name, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    app = runtime.create_app()
    operations = [
        (method, re.sub(r"\{[^}]+\}", "some-id", path))
        for path, methods in app.openapi()["paths"].items()
        if not path.startswith(("/health", "/ops"))
        for method in methods
    ]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        for method, path in operations:
            response = await client.request(method, path, json={}, headers=auth("monitor"))
            assert response.status_code == 403, f"{name}: {method} {path} answered {response.status_code}"
    await runtime.engine.dispose()


@pytest.mark.unit
@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_reference_only_the_services_own_assets(
    name: str, page: str, tmp_path: Path
) -> None:
    """Swagger UI and ReDoc work without a CDN: each service serves their scripts and styles."""
    runtime = runtime_for(name, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    app = runtime.create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        html = await client.get(page)
        assert html.status_code == 200
        assert "text/html" in html.headers["content-type"]
        references = [a or b for a, b in ASSET_REFERENCE.findall(html.text)]
        assert len(references) >= 2, html.text  # the script and the OpenAPI document at least
        assert "http" not in html.text.replace("http-equiv", ""), "an absolute URL: a CDN or another site"
        for reference in references:
            assert reference.startswith("/"), reference
            assert not reference.startswith("//"), reference
            asset = await client.get(reference)
            assert asset.status_code == 200, reference
            assert len(asset.content) > 0
    await runtime.engine.dispose()
