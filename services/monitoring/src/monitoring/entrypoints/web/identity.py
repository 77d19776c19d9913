"""Who is visiting the pages: the session's token, verified on every request, for the monitor only.

The token is verified by :func:`handoff_plumbing.auth.authenticate`, the API's own check,
and the role by :func:`handoff_plumbing.auth.require_roles`: the pages admit exactly whom
the monitor's API admits. A form is taken only with the session's CSRF token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import jwt
import structlog
from fastapi import Depends, HTTPException, Request, status

from handoff_plumbing.auth import Caller, caller_from_token, require_roles
from monitoring.entrypoints.web.forms import Form, read_form
from monitoring.entrypoints.web.refusals import PageRefused, SignInRequired
from monitoring.entrypoints.web.session import COOKIE, Session, SessionSeal
from monitoring.settings import MonitoringSettings

log = structlog.get_logger("monitoring.web")
ROLE = "monitor"
_monitor_only = require_roles(ROLE)


@dataclass(frozen=True)
class WebConfig:
    """What the pages need beyond the service's: the cookie's seal and whether it is Secure."""

    seal: SessionSeal
    cookie_secure: bool

    @classmethod
    def of(cls, settings: MonitoringSettings) -> WebConfig:
        if settings.web_session_secret is not None:
            key = settings.web_session_secret.get_secret_value().encode()
        else:
            log.warning("WEB_SESSION_SECRET is not set: the pages' sessions use a random key of this process")
            key = secrets.token_bytes(32)
        return cls(seal=SessionSeal(key), cookie_secure=settings.web_cookie_secure)


class TokenRefused(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def now() -> datetime:
    """Sessions expire in real time, with the tokens, whatever clock the service's rules run on."""
    return datetime.now(UTC)


def web_config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.web
    return config


def current_session(request: Request) -> Session | None:
    return web_config(request).seal.open(request.cookies.get(COOKIE), now())


async def verified_monitor(request: Request, token: str) -> Caller:
    """The caller ``token`` speaks for, verified as the API verifies it; the monitor only."""
    try:
        caller = await caller_from_token(request.app, token)
    except HTTPException as exc:
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            raise TokenRefused(str(exc.detail)) from exc
        if exc.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            raise PageRefused(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                "Sign-in is unavailable",
                f"The identity provider's keys could not be fetched ({exc.detail}). Try again shortly.",
            ) from exc
        raise PageRefused(status.HTTP_403_FORBIDDEN, "Not for this role", str(exc.detail)) from exc
    try:
        return await _monitor_only(caller)
    except HTTPException as exc:
        raise PageRefused(
            status.HTTP_403_FORBIDDEN,
            "These pages are the monitor's",
            f"You signed in with the role {caller.role!r}. The ombudsman's pages are open to the "
            f"role {ROLE!r} only: the notices, decisions and reports are the monitor's own.",
        ) from exc


def expiry_of(token: str) -> int:
    """The expiry (Unix seconds) of a token :func:`verified_monitor` has accepted."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["exp"])


@dataclass(frozen=True)
class Visit:
    """A signed-in monitor's request: who, and their session (with its CSRF token)."""

    caller: Caller
    session: Session


def back_to(request: Request) -> str:
    """Where to return after signing in: this page (a GET), else the start page."""
    if request.method != "GET" or request.url.path.endswith("/feed"):
        return "/ui/"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


async def visit_of(request: Request) -> Visit:
    session = current_session(request)
    if session is None or session.token is None:
        raise SignInRequired(back_to(request))
    try:
        caller = await verified_monitor(request, session.token)
    except TokenRefused as exc:
        raise SignInRequired(back_to(request), "ended") from exc
    return Visit(caller=caller, session=session)


MonitorVisit = Annotated[Visit, Depends(visit_of)]
"""A page of the monitor's: the signed-in monitor, or a redirect to the sign-in page (403 for others)."""


async def checked_form(request: Request, visit: Visit) -> Form:
    """The form a signed-in monitor posted, refused unless it carries the session's CSRF token."""
    form = await read_form(request)
    if not visit.session.csrf_matches(form.one("csrf_token")):
        raise PageRefused(
            status.HTTP_403_FORBIDDEN,
            "The form has expired",
            "The form did not come from your current session. Open the page again and repeat what you did.",
        )
    return form
