"""Every error answer of every service is an RFC 9457 problem of one shape, and says so in its
OpenAPI document: a test over every operation of every service."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from handoff_devtools.testing.helpers import auth
from handoff_plumbing.http.problems import MEDIA_TYPE
from handoff_plumbing.service import ServiceRuntime

from .test_every_service import SERVICES, runtime_for

pytestmark = pytest.mark.unit
# A token per role, with the subject a county board's or municipality's rules expect.
CALLERS = {
    "agency": auth("agency"),
    "police": auth("police"),
    "monitor": auth("monitor"),
    "county_board": auth("county_board", "county:12"),
    "municipality": auth("municipality", "municipality:1280"),
    "operator": auth("operator"),
}
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: httpx.Response, where: str) -> dict[str, Any]:
    assert response.headers["content-type"] == MEDIA_TYPE, f"{where}: {response.headers['content-type']}"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_MEMBERS, f"{where}: {body}"
    assert body["status"] == response.status_code, where
    assert body["instance"] == response.request.url.path, where
    if response.status_code == 422:
        assert body["errors"], where
        assert all({"loc", "field", "message"} == set(error) for error in body["errors"]), where
    return body


@pytest.fixture
async def service_app(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[ServiceRuntime, Any]]:
    runtime = runtime_for(request.param, f"sqlite+aiosqlite:///{tmp_path / 'problems.db'}")
    await runtime.prepare_database()
    yield runtime, runtime.create_app()
    await runtime.engine.dispose()


def operations(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in app.openapi()["paths"].items()
        for method, operation in methods.items()
        if not path.startswith("/health")
    ]


@pytest.mark.parametrize("service_app", SERVICES, indirect=True)
async def test_every_documented_error_answer_is_a_problem(service_app: tuple[ServiceRuntime, Any]) -> None:
    _, app = service_app
    document = app.openapi()
    assert {"Problem", "FieldError"} <= set(document["components"]["schemas"])
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for method, path, operation in operations(app):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), f"{method} {path}"
        for code, answer in responses.items():
            if code[0] in "45":
                assert answer["content"] == {
                    MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, f"{method} {path} {code}"


async def first_allowed(client: httpx.AsyncClient, method: str, path: str) -> tuple[str, httpx.Response]:
    """The first role this operation admits, and its answer to an empty body."""
    answer = None
    for role, headers in CALLERS.items():
        answer = await client.request(method, path, json={}, headers=headers)
        if answer.status_code != 403:
            return role, answer
    assert answer is not None
    return "", answer


@pytest.mark.parametrize("service_app", SERVICES, indirect=True)
async def test_a_sample_of_answers_of_every_operation_is_a_problem_of_one_shape(
    service_app: tuple[ServiceRuntime, Any],
) -> None:
    _, app = service_app
    seen: set[int] = set()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for method, path, _operation in operations(app):
            where = f"{method.upper()} {path}"
            concrete = re.sub(r"\{[^}]+\}", "2026" if "{year}" in path else "no-such-id", path)
            unauthenticated = await client.request(method, concrete, json={})
            assert unauthenticated.status_code == 401, where
            assert_problem(unauthenticated, where)

            role, answer = await first_allowed(client, method, concrete)
            if answer.status_code >= 400:
                assert_problem(answer, f"{where} as {role or 'anyone'}")
                seen.add(answer.status_code)
            wrong_role = next(r for r in CALLERS if r != role)
            refused = await client.request(method, concrete, json={}, headers=CALLERS[wrong_role])
            if refused.status_code == 403:
                assert_problem(refused, f"{where} as {wrong_role}")
                seen.add(403)
        unknown_route = await client.get("/no/such/route", headers=CALLERS["operator"])
        assert_problem(unknown_route, "an unknown route")
    assert {403, 404, 422} <= seen, seen


@pytest.mark.parametrize("service_app", ["intake"], indirect=True)
async def test_a_conflict_is_a_problem_too(service_app: tuple[ServiceRuntime, Any]) -> None:
    _, app = service_app
    agency = CALLERS["agency"]
    application = {
        "applicant": {"full_name": "A Person", "date_of_birth": "1990-01-01", "nationality": "IRQ"},
        "lodged_on": "2026-01-05",
    }
    refusal = {
        "decided_on": "2026-02-01",
        "outcome": "refused",
        "removal_order": "expulsion",
        "destination_country": "IRQ",
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as client:
        registered = (await client.post("/applications", json=application, headers=agency)).json()
        url = f"/applications/{registered['application_id']}/decision"
        assert (await client.post(url, json=refusal, headers=agency)).status_code == 201
        twice = await client.post(url, json=refusal, headers=agency)

    assert twice.status_code == 409
    body = assert_problem(twice, "deciding twice")
    assert body["type"] == "urn:handoff:problem:conflict"
    assert "already decided" in body["detail"]
