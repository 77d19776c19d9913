"""A command at the HTTP edge: one unit of work, at most once per ``request_id``.

A route takes a :data:`Command` and hands it a step, ``async def step(uow) -> Answer``, that calls the
service's command inside the unit of work and builds the answer. The command runs, the
answer is built, and, when the body carries a ``request_id``, the answer is remembered
(:mod:`handoff_plumbing.idempotency`), all in one transaction that commits only if every
part succeeds. Then:

1. The same ``request_id`` with the same request (method, path, canonical body) from the
   same caller gets the first answer again: its body, and its status (200 where it was 201,
   since nothing is created this time). Nothing runs, nothing is published.
2. The same ``request_id`` with another request is a 422 naming ``request_id``: a request
   id names one request.
3. Two twins at once: the one that commits second fails on the table's key, its
   transaction (effects, outbox rows) rolls back, and it answers as in 1 or 2.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy.exc import IntegrityError

from handoff_plumbing import idempotency
from handoff_plumbing.auth import Caller, authenticate
from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.http import Uow
from handoff_plumbing.http.types import Text
from handoff_plumbing.idempotency import RequestKey, StoredAnswer
from handoff_plumbing.uow import UnitOfWork

A = TypeVar("A")
REQUEST_ID_DESCRIPTION = (
    "Client-chosen id of this request; repeating the same request with it answers the first "
    "result and changes nothing, using it for another request is a 422."
)

RequestId = Annotated[
    Annotated[str, Text(max_length=128)] | None,
    Field(default=None, description=REQUEST_ID_DESCRIPTION),
]
"""The ``request_id`` field of a command's body: optional, 1..128 characters of text."""


class RequestIdReused(InvalidInput):
    """A ``request_id`` already named another request of this caller."""

    def __init__(self, request_id: str, operation: str) -> None:
        super().__init__(
            "request_id",
            f"{request_id!r} already named another request ({operation} with other content); "
            "a request id names one request",
        )


def replayed(model: type[BaseModel], what: str = "the first answer") -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of a replayed request id (for a route that answers 201 the first time)."""
    return {200: {"description": f"A repeated request_id: {what}; nothing changed", "model": model}}


class CommandRunner:
    """A dependency: run one command for this request (see the module's docstring)."""

    def __init__(
        self,
        request: Request,
        response: Response,
        uow: Uow,
        caller: Annotated[Caller, Depends(authenticate)],
    ) -> None:
        self._request = request
        self._response = response
        self._uow = uow
        self._caller = caller

    async def run(
        self,
        step: Callable[[UnitOfWork], Awaitable[A]],
        *,
        request_id: str | None = None,
        body: BaseModel | None = None,
    ) -> A:
        """Run ``step`` in one unit of work and commit; once per ``request_id`` when one is given."""
        if request_id is None:
            async with self._uow as uow:
                answer = await step(uow)
                await uow.commit()
            return answer
        key = self._key(request_id, body)
        try:
            async with self._uow as uow:
                stored = await idempotency.find(uow.session, key)
                if stored is not None:
                    return cast(A, self._replay(key, stored))
                answer = await step(uow)
                await idempotency.remember(
                    uow.session, key, status=self._status(), body=self._encode(answer), now=uow.clock.now()
                )
                await uow.commit()
            return answer
        except IntegrityError:
            async with self._uow as uow:
                stored = await idempotency.find(uow.session, key)
            if stored is None:
                raise
            return cast(A, self._replay(key, stored))

    @property
    def _route(self) -> APIRoute:
        route = self._request.scope.get("route")
        if not isinstance(route, APIRoute):
            raise RuntimeError("a Command runs inside a FastAPI route only")
        return route

    def _key(self, request_id: str, body: BaseModel | None) -> RequestKey:
        query = "&".join(sorted(self._request.url.query.split("&"))) if self._request.url.query else ""
        operation = f"{self._request.method} {self._request.url.path}" + (f"?{query}" if query else "")
        content = body.model_dump(mode="json") if body is not None else None
        return RequestKey(
            scope=f"{self._caller.role}:{self._caller.subject}",
            request_id=request_id,
            operation=operation,
            fingerprint=idempotency.fingerprint(operation, content),
        )

    def _status(self) -> int:
        return self._response.status_code or self._route.status_code or 200

    def _encode(self, answer: Any) -> Any:
        model = self._route.response_model
        if model is None:
            return jsonable_encoder(answer)
        return TypeAdapter(model).dump_python(answer, mode="json")

    def _replay(self, key: RequestKey, stored: StoredAnswer) -> Any:
        """The first answer again (validated into the route's answer model), or a 422."""
        if stored.fingerprint != key.fingerprint:
            raise RequestIdReused(key.request_id, stored.operation)
        self._response.status_code = 200 if stored.status == 201 else stored.status
        model = self._route.response_model
        return stored.body if model is None else TypeAdapter(model).validate_python(stored.body)


Command = Annotated[CommandRunner, Depends()]
"""What a route takes to run its command: ``command: Command``."""
