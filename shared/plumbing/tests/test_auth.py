"""Bearer tokens at the HTTP edge: 401 without a valid token, 403 for the wrong role, deny by default."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends, FastAPI

from handoff_devtools.issuer import DEVELOPMENT_ISSUER, LocalIssuer, main
from handoff_devtools.testing.helpers import auth
from handoff_plumbing.auth import Caller, require_roles, unguarded_routes
from handoff_plumbing.settings import Settings

pytestmark = pytest.mark.unit

SETTINGS = Settings(service_name="auth-test", development_mode=True)


def app_with(router: APIRouter, settings: Settings = SETTINGS) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings
    app.include_router(router)
    return app


def guarded_app(settings: Settings = SETTINGS) -> FastAPI:
    router = APIRouter()

    @router.get("/plans")
    async def plans(caller: Caller = Depends(require_roles("police", "operator"))) -> dict[str, str | None]:  # noqa: B008
        return {"role": caller.role, "subject": caller.subject, "department": caller.department}

    return app_with(router, settings)


async def call(app: FastAPI, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get("/plans", headers=headers or {})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_no_token_is_401_with_a_bearer_challenge() -> None:
    response = await call(guarded_app())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def _forged() -> str:
    """The development token's claims, re-signed by someone else's key under the same kid."""
    claims = jwt.decode(DEVELOPMENT_ISSUER.token("police"), options={"verify_signature": False})
    impostor = LocalIssuer.generate(kid="handoff-development-1")
    return jwt.encode(
        claims, impostor.current.private, algorithm="ES256", headers={"kid": "handoff-development-1"}
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("not-a-jwt", "Not enough segments"),
        (_forged(), "Signature verification failed"),
        (LocalIssuer.generate(kid="elsewhere").token("police"), "unknown signing key 'elsewhere'"),
        (DEVELOPMENT_ISSUER.token("police", lifetime=timedelta(seconds=-60)), "expired"),
        (DEVELOPMENT_ISSUER.token("police", aud="another-suite"), "Audience"),
        (DEVELOPMENT_ISSUER.token("police", iss="someone-else"), "Invalid issuer"),
        (
            jwt.encode(
                {"sub": "x", "roles": ["police"]}, "a-shared-secret-of-32-characters!", algorithm="HS256"
            ),
            "HS256",
        ),
        (jwt.encode({"sub": "x", "roles": ["police"]}, None, algorithm="none"), "'none'"),
        (DEVELOPMENT_ISSUER.token("police", department="syd/../all"), "claim 'department'"),
    ],
    ids=[
        "garbage",
        "forged",
        "unknown-key",
        "expired",
        "audience",
        "issuer",
        "shared-secret",
        "unsigned",
        "bad-unit",
    ],
)
async def test_an_invalid_token_is_401_saying_why(token: str, why: str) -> None:
    response = await call(guarded_app(), bearer(token))
    assert response.status_code == 401
    assert "invalid token" in response.json()["detail"]
    assert why in response.json()["detail"]


async def test_the_wrong_role_is_403_naming_the_roles_allowed() -> None:
    response = await call(guarded_app(), auth("monitor"))
    assert response.status_code == 403
    assert "'monitor'" in response.json()["detail"]
    assert "['operator', 'police']" in response.json()["detail"]


@pytest.mark.parametrize("roles", [["police", "monitor"], ["admin"], []])
async def test_a_token_carries_exactly_one_handoff_role(roles: list[str]) -> None:
    token = DEVELOPMENT_ISSUER.token("police", roles=roles)
    response = await call(guarded_app(), bearer(token))
    assert response.status_code == 403
    assert "exactly one Handoff role" in response.json()["detail"]


async def test_an_allowed_role_gets_through_with_its_identity_and_unit() -> None:
    response = await call(guarded_app(), auth("police", subject="officer-7", department="syd"))
    assert response.status_code == 200
    assert response.json() == {"role": "police", "subject": "officer-7", "department": "syd"}


async def test_roles_the_identity_provider_adds_for_other_systems_are_ignored() -> None:
    token = DEVELOPMENT_ISSUER.token("police", roles=["offline_access", "police", "uma_authorization"])
    assert (await call(guarded_app(), bearer(token))).status_code == 200


def provider_settings(jwks: Path, *, development_mode: bool = False) -> Settings:
    return Settings(service_name="auth-test", jwt_jwks_url=jwks.as_uri(), development_mode=development_mode)


async def test_tokens_of_a_configured_provider_are_verified_with_its_published_keys(tmp_path: Path) -> None:
    provider = LocalIssuer.generate("RS256", kid="rsa-1")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(provider.jwks()))
    app = guarded_app(provider_settings(jwks))
    assert (await call(app, bearer(provider.token("police")))).status_code == 200
    assert (await call(app, auth("police"))).status_code == 401  # the development key is not this provider's


async def test_the_provider_rotates_its_key_and_new_tokens_verify_without_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handoff_plumbing import identity

    monkeypatch.setattr(identity, "MIN_REFRESH_SECONDS", 0.0)
    provider = LocalIssuer.generate(kid="2026-01")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(provider.jwks()))
    app = guarded_app(provider_settings(jwks))
    old_token = provider.token("police")
    assert (await call(app, bearer(old_token))).status_code == 200

    provider.rotate(kid="2026-02")  # both keys published for a while
    jwks.write_text(json.dumps(provider.jwks()))
    new_token = provider.token("police")
    assert jwt.get_unverified_header(new_token)["kid"] == "2026-02"
    assert (await call(app, bearer(new_token))).status_code == 200
    assert (await call(app, bearer(old_token))).status_code == 200

    provider.rotate(kid="2026-03", retire_old=True)
    jwks.write_text(json.dumps(provider.jwks()))
    assert (await call(app, bearer(provider.token("police")))).status_code == 200
    response = await call(app, bearer(new_token))  # its key was retired: gone at the last fetch
    assert response.status_code == 401
    assert "unknown signing key '2026-02'" in response.json()["detail"]


async def test_the_development_key_is_ignored_outside_development_mode_even_when_published(
    tmp_path: Path,
) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(DEVELOPMENT_ISSUER.jwks()))
    response = await call(guarded_app(provider_settings(jwks)), auth("police"))
    assert response.status_code == 401
    assert "unknown signing key 'handoff-development-1'" in response.json()["detail"]


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
        DEVELOPMENT_ISSUER.token("admin")


def test_the_token_command_prints_a_token_with_the_unit_as_its_own_claim(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--role", "county_board", "--subject", "board-ab", "--county", "12"]) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "kid": "handoff-development-1", "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["roles"], claims["sub"], claims["county"]) == (["county_board"], "board-ab", "12")
    assert "municipality" not in claims
