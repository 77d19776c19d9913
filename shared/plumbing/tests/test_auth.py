"""Bearer tokens with roles: 401 without a valid token, 403 for the wrong role, deny by default."""

from __future__ import annotations

from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends, FastAPI

from handoff_devtools.testing.helpers import auth
from handoff_plumbing.auth import Caller, issue_token, main, require_roles, unguarded_routes
from handoff_plumbing.settings import Settings

pytestmark = pytest.mark.unit

SETTINGS = Settings(service_name="auth-test")


def app_with(router: APIRouter) -> FastAPI:
    app = FastAPI()
    app.state.settings = SETTINGS
    app.include_router(router)
    return app


def guarded_app() -> FastAPI:
    router = APIRouter()

    @router.get("/plans")
    async def plans(caller: Caller = Depends(require_roles("police", "operator"))) -> dict[str, str]:  # noqa: B008
        return {"role": caller.role, "subject": caller.subject}

    return app_with(router)


async def call(app: FastAPI, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get("/plans", headers=headers or {})


async def test_no_token_is_401_with_a_bearer_challenge() -> None:
    response = await call(guarded_app())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        jwt.encode(
            {"sub": "x", "role": "police"}, "another-secret-that-is-long-enough-for-hs256", algorithm="HS256"
        ),
        issue_token(SETTINGS, role="police", subject="x", lifetime=timedelta(seconds=-10)),
    ],
    ids=["garbage", "wrong-signature", "expired"],
)
async def test_an_invalid_token_is_401(token: str) -> None:
    response = await call(guarded_app(), {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "invalid token" in response.json()["detail"]


async def test_the_wrong_role_is_403_naming_the_roles_allowed() -> None:
    response = await call(guarded_app(), auth("monitor"))
    assert response.status_code == 403
    assert "'monitor'" in response.json()["detail"]
    assert "['operator', 'police']" in response.json()["detail"]


async def test_an_allowed_role_gets_through_with_its_identity() -> None:
    response = await call(guarded_app(), auth("police", subject="officer-7"))
    assert response.status_code == 200
    assert response.json() == {"role": "police", "subject": "officer-7"}


def test_a_route_without_a_role_guard_is_reported() -> None:
    router = APIRouter()

    @router.get("/forgotten")
    async def forgotten() -> None:
        return None

    assert unguarded_routes(app_with(router)) == ["GET /forgotten"]
    assert unguarded_routes(guarded_app()) == []


def test_unknown_roles_are_refused_when_declaring_or_issuing() -> None:
    with pytest.raises(ValueError, match="known roles"):
        require_roles("ombudsman")
    with pytest.raises(ValueError, match="unknown role"):
        issue_token(SETTINGS, role="admin", subject="x")


def test_the_token_command_prints_a_token_for_the_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--role", "county_board", "--subject", "board-ab"]) == 0
    token = capsys.readouterr().out.strip()
    claims = jwt.decode(
        token, SETTINGS.jwt_secret.get_secret_value(), algorithms=["HS256"], audience="handoff"
    )
    assert claims["role"] == "county_board"
    assert claims["sub"] == "board-ab"
