"""The ombudsman's pages under ``/ui``: server-rendered HTML for the monitor's staff.

Signed in with the API's own bearer token (see :mod:`.session` and :mod:`.identity`), for the
role ``monitor`` only. The pages read through the service's queries and change things through
its commands, as the API does; they are not part of the API's OpenAPI document. Every asset
(styles, the one script, the icon) is served from ``/ui/static`` by the service itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handoff_plumbing.errors import DomainError
from handoff_plumbing.http.problems import KINDS
from monitoring.entrypoints.web import incoming, late, notice, notice_forms, signin, statistics, upcoming
from monitoring.entrypoints.web.identity import WebConfig
from monitoring.entrypoints.web.refusals import PageRefused, SignInRequired
from monitoring.entrypoints.web.rendering import STATIC, render
from monitoring.settings import MonitoringSettings

PREFIX = "/ui"
routers = [
    signin.router,
    upcoming.router,
    notice.router,
    notice_forms.router,
    late.router,
    statistics.router,
    incoming.router,
]
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install(app: FastAPI, settings: MonitoringSettings) -> None:
    """Add the pages to the service's app: routes, assets, error pages and the pages' headers."""
    app.state.web = WebConfig.of(settings)
    for router in routers:
        app.include_router(router)
    app.add_api_route("/", signin.start, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="ui-static")
    app.add_exception_handler(SignInRequired, sign_in_first)
    app.add_exception_handler(PageRefused, refused_page)
    for kind in (StarletteHTTPException, RequestValidationError, DomainError):
        api_handler: Handler = app.exception_handlers[kind]
        app.add_exception_handler(kind, pages_first(api_handler))
    app.add_middleware(PageHeaders)


async def sign_in_first(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    response = RedirectResponse(exc.location(), status.HTTP_303_SEE_OTHER)
    if exc.reason is not None:  # the token no longer holds: the cookie goes
        signin.forget(response, request)
    return response


async def refused_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefused)
    return render(request, "error.html", {"title": exc.title, "detail": exc.detail}, status=exc.status_code)


def pages_first(api_handler: Handler) -> Handler:
    """An error under ``/ui`` as a page; elsewhere as the API answers it (a problem)."""

    async def handle(request: Request, exc: Any) -> Response:
        if not request.url.path.startswith(PREFIX):
            answer = api_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        return await refused_page(request, as_page(exc))

    return handle


def as_page(exc: Exception) -> PageRefused:
    if isinstance(exc, RequestValidationError):
        fields = ", ".join(
            dict.fromkeys(".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]) for e in exc.errors())
        )
        return PageRefused(422, "Something in the address is not right", f"Check {fields}.")
    if isinstance(exc, DomainError):
        code = next((KINDS[c][0] for c in type(exc).__mro__ if c in KINDS), 500)
        return PageRefused(code, HTTPStatus(code).phrase, str(exc))
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == status.HTTP_404_NOT_FOUND:
        return PageRefused(404, "Page not found", "There is no such page. Use the menu above.")
    return PageRefused(exc.status_code, HTTPStatus(exc.status_code).phrase, str(exc.detail))


class PageHeaders:
    """The pages' security headers; pages are never cached (assets may be)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        cached = path.startswith(f"{PREFIX}/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not cached:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
