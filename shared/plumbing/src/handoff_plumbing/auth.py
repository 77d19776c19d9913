"""Bearer tokens at the HTTP edge: every route denies by default and states the roles it admits.

Roles: agency, police, monitor, county_board, municipality, operator. A route states the
roles that may call it with :func:`require_roles`; :func:`assert_every_route_guarded`
lets a service's tests prove that no route was left open by accident. Tokens are verified
by :mod:`handoff_plumbing.identity` (the identity provider's keys, issuer, audience);
:func:`caller_from_token` does the same for a token that came another way (a session cookie).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from handoff_plumbing.identity import (
    Caller,
    InvalidToken,
    KeysUnavailable,
    NotAHandoffCaller,
    TokenVerifier,
)
from handoff_plumbing.settings import Settings
from handoff_schemas.topics import ROLES

__all__ = ["PUBLIC_PATHS", "Caller", "authenticate", "caller_from_token", "require_roles", "unguarded_routes"]

PUBLIC_PATHS = frozenset(
    {"/health/live", "/health/ready", "/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"}
)
_bearer = HTTPBearer(auto_error=False)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def token_verifier(app: FastAPI) -> TokenVerifier:
    """The app's verifier, made from ``app.state.settings`` on first use and kept (with its key cache)."""
    verifier: TokenVerifier | None = getattr(app.state, "token_verifier", None)
    if verifier is None:
        settings: Settings = app.state.settings
        verifier = TokenVerifier(settings)
        app.state.token_verifier = verifier
    return verifier


async def caller_from_token(app: FastAPI, token: str) -> Caller:
    """The caller ``token`` speaks for, or the HTTP error to answer (401, 403 or 503)."""
    try:
        return await token_verifier(app).verify(token)
    except InvalidToken as exc:
        raise _unauthorized(f"invalid token: {exc}") from exc
    except NotAHandoffCaller as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc
    except KeysUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(exc)) from exc


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("a bearer token is required")
    return await caller_from_token(request.app, credentials.credentials)


def require_roles(*roles: str) -> Callable[..., Awaitable[Caller]]:
    """A dependency admitting only callers with one of ``roles``."""
    unknown = set(roles) - ROLES
    if unknown or not roles:
        raise ValueError(f"require_roles needs known roles, got {roles!r}")
    allowed = frozenset(roles)

    async def guard(caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
        if caller.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role {caller.role!r} may not call this; allowed: {sorted(allowed)}",
            )
        return caller

    return guard


def unguarded_routes(app: FastAPI, public: Iterable[str] = PUBLIC_PATHS) -> list[str]:
    """Operations that are neither public nor behind the bearer guard: should be none.

    Read from the app's OpenAPI document, where every operation that depends on
    :func:`authenticate` (and so on :func:`require_roles`) carries a bearer requirement.
    """
    exposed = []
    for path, operations in app.openapi().get("paths", {}).items():
        if path in public:
            continue
        for method, operation in operations.items():
            if not operation.get("security"):
                exposed.append(f"{method.upper()} {path}")
    return sorted(exposed)
