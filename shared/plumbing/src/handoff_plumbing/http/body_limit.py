"""A limit on a request's body, answered with 413 (a problem) before the body is read whole.

A request that declares a ``Content-Length`` over the limit is refused at once, before the
route runs or a byte of the body is read; one that streams its body (chunked) is counted as
it arrives and refused as soon as it passes the limit. Either way the answer is the same
``application/problem+json`` 413, and nothing of the body reaches a handler.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handoff_plumbing.http.problems import problem


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the streamed body passes the limit; the app's problem
    handlers answer it (FastAPI lets an ``HTTPException`` from reading the body through)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=f"the request body is larger than the limit of {limit} bytes")


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware refusing request bodies over ``max_bytes`` with a 413 problem."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            Request(scope, receive),
            status=413,
            detail=f"the request body is larger than the limit of {self.max_bytes} bytes",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
