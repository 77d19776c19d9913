"""Who may call the Police's API: the Police; operators only its counts; never the monitor."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from handoff_devtools.testing.helpers import auth
from police_handover.bootstrap import PoliceHandoverSettings, build

pytestmark = pytest.mark.unit


async def test_only_the_police_reach_the_police_api_and_operators_only_its_counts(tmp_path: Path) -> None:
    runtime = build(
        PoliceHandoverSettings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'police.db'}",
            kafka_bootstrap_servers="127.0.0.1:1",
        )
    )
    await runtime.prepare_database()
    app = runtime.create_app()  # no lifespan: no relay, no broker
    operations = [
        (method, re.sub(r"\{[^}]+\}", "some-id", path))
        for path, methods in app.openapi()["paths"].items()
        if not path.startswith(("/health", "/ops"))
        for method in methods
    ]
    assert len(operations) >= 20
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://police"
        ) as client:
            for method, path in operations:
                assert (await client.request(method, path, json={})).status_code == 401, path
                for role in ("monitor", "agency", "county_board", "municipality"):
                    response = await client.request(method, path, json={}, headers=auth(role))
                    assert response.status_code == 403, (role, method, path)
                operator = await client.request(method, path, json={}, headers=auth("operator"))
                assert operator.status_code == (200 if path.startswith("/stats") else 403), (method, path)
            measures = await client.get("/stats/measures", headers=auth("police"))
    finally:
        await runtime.engine.dispose()
    assert measures.status_code == 200
    body = measures.json()
    assert body["detention_capacity"] == 109
    assert [(f["facility"], f["capacity"]) for f in body["facilities"]] == [
        ("FV-HELSINKI", 40),
        ("FV-JOUTSENO", 69),
    ]
