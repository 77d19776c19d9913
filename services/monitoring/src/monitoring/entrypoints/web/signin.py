"""Signing in and out: a person pastes the bearer token the API takes; a session cookie keeps it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from monitoring.entrypoints.web.forms import read_form
from monitoring.entrypoints.web.identity import (
    TokenRefused,
    current_session,
    expiry_of,
    now,
    verified_monitor,
    web_config,
)
from monitoring.entrypoints.web.refusals import REASONS, PageRefused
from monitoring.entrypoints.web.rendering import render
from monitoring.entrypoints.web.session import COOKIE, PATH, Session

router = APIRouter(prefix="/ui", include_in_schema=False)
START = "/ui/upcoming"
MAX_TOKEN_CHARS = 16_384


def safe_next(target: str | None) -> str:
    """Only a page of these pages: never another site (``//host``, ``/\\host``) after signing in."""
    if target and target.startswith("/ui/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return START


def keep(response: Response, request: Request, session: Session) -> Response:
    config = web_config(request)
    response.set_cookie(
        COOKIE,
        config.seal.seal(session),
        max_age=session.max_age(now()),
        path=PATH,
        secure=config.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


def forget(response: Response, request: Request) -> Response:
    response.delete_cookie(
        COOKIE, path=PATH, secure=web_config(request).cookie_secure, httponly=True, samesite="strict"
    )
    return response


@router.get("/login")
async def login_page(
    request: Request,
    next_: Annotated[str | None, Query(alias="next", max_length=2048)] = None,
    reason: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    session = current_session(request)
    if session is not None and session.token is not None:
        try:
            await verified_monitor(request, session.token)
            return RedirectResponse(safe_next(next_), status.HTTP_303_SEE_OTHER)
        except (TokenRefused, PageRefused):
            session = None
    fresh = session is None
    session = session or Session.before_sign_in(now())
    page = _form(request, session, next_=safe_next(next_), notice=REASONS.get(reason or ""))
    return keep(page, request, session) if fresh else page


def _form(
    request: Request,
    session: Session,
    *,
    next_: str,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "login.html",
        {"login_csrf": session.csrf, "next": next_, "notice": notice, "error": error},
        status=status_code,
    )


@router.post("/login")
async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    session = current_session(request)
    if session is None or not session.csrf_matches(form.one("csrf_token")):
        raise PageRefused(
            status.HTTP_403_FORBIDDEN,
            "The sign-in form has expired",
            "The sign-in form is valid for an hour and needs your browser to keep this site's cookie. "
            "Open the sign-in page again.",
        )
    next_ = safe_next(form.one("next"))
    token = (form.one("token") or "").removeprefix("Bearer ").strip()
    if not token or len(token) > MAX_TOKEN_CHARS:
        return _form(request, session, next_=next_, error="Paste your bearer token.", status_code=422)
    try:
        await verified_monitor(request, token)
    except TokenRefused as refused:
        return _form(
            request,
            session,
            next_=next_,
            error=f"The token was not accepted ({refused.detail}). Ask for a new one.",
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    signed_in = Session.signed_in(token, expiry_of(token))
    return keep(RedirectResponse(next_, status.HTTP_303_SEE_OTHER), request, signed_in)


@router.post("/logout")
async def sign_out(request: Request) -> Response:
    session = current_session(request)
    form = await read_form(request)
    if session is not None and session.token is not None and not session.csrf_matches(form.one("csrf_token")):
        raise PageRefused(
            status.HTTP_403_FORBIDDEN, "The form has expired", "Open the page again, then sign out."
        )
    done = RedirectResponse("/ui/login?reason=signed-out", status.HTTP_303_SEE_OTHER)
    return forget(done, request)


@router.get("/")
async def start() -> Response:
    return RedirectResponse(START, status.HTTP_303_SEE_OTHER)
