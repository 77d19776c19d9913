"""The HTTP side of the metrics: ``GET /metrics`` and the middleware that counts requests.

Kept apart from :mod:`handoff_plumbing.metrics` so that the consumer and the relay, which
record metrics too, import no web framework.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handoff_plumbing.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS, render

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
async def metrics_endpoint(_request: Request) -> Response:
    """Prometheus metrics (open, like the health checks: no personal data, no ids)."""
    return Response(await render(), media_type=CONTENT_TYPE_LATEST)


class HttpMetrics:
    """ASGI middleware: counts and times every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_REQUEST_SECONDS.labels(self.service, method, route).observe(time.perf_counter() - started)
