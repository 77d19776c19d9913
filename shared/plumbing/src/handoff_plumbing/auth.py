"""Bearer tokens (JWT) carrying the caller's role; every route denies by default.

Roles: agency, police, monitor, county_board, municipality, operator. A route states
the roles that may call it with :func:`require_roles`; :func:`assert_every_route_guarded`
lets a service's tests prove that no route was left open by accident.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from handoff_plumbing.settings import Settings
from handoff_schemas.topics import ROLES

ALGORITHM = "HS256"
PUBLIC_PATHS = frozenset(
    {"/health/live", "/health/ready", "/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"}
)
_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Caller:
    subject: str
    role: str


def issue_token(
    settings: Settings, *, role: str, subject: str, lifetime: timedelta = timedelta(hours=12)
) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {sorted(ROLES)}")
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "role": role,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("a bearer token is required")
    settings: Settings = request.app.state.settings
    try:
        claims = jwt.decode(
            credentials.credentials,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub", "role"]},
        )
    except jwt.PyJWTError as exc:
        raise _unauthorized(f"invalid token: {exc}") from exc
    role = claims.get("role")
    if role not in ROLES:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"unknown role {role!r}")
    return Caller(subject=str(claims["sub"]), role=str(role))


def require_roles(*roles: str) -> Callable[..., Caller]:
    """A dependency admitting only callers with one of ``roles``."""
    unknown = set(roles) - ROLES
    if unknown or not roles:
        raise ValueError(f"require_roles needs known roles, got {roles!r}")
    allowed = frozenset(roles)

    def guard(caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
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


def main(argv: list[str] | None = None) -> int:
    """``python -m handoff_plumbing.auth --role agency``: print a development token."""
    parser = argparse.ArgumentParser(description="Print a development bearer token for a role.")
    parser.add_argument("--role", required=True, choices=sorted(ROLES))
    parser.add_argument("--subject", default=None, help="who the token speaks for")
    parser.add_argument("--hours", type=float, default=12.0)
    args = parser.parse_args(argv)
    settings = Settings(service_name="token-cli")
    token = issue_token(
        settings,
        role=args.role,
        subject=args.subject or f"dev-{args.role}",
        lifetime=timedelta(hours=args.hours),
    )
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
