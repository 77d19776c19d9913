"""Small pieces every service's HTTP edge uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from handoff_plumbing.uow import UnitOfWork


def get_uow(request: Request) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.runtime.uow()
    return uow


Uow = Annotated[UnitOfWork, Depends(get_uow)]


def field_error(field: str, message: str) -> HTTPException:
    """A 422 in FastAPI's own shape, naming the body field at fault."""
    return HTTPException(
        422,
        detail=[{"loc": ["body", *field.split(".")], "msg": message, "type": "value_error"}],
    )


def not_found(what: str, identifier: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no {what} {identifier!r}")
