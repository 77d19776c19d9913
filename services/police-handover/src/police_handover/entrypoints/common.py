"""What every router of the Police's API shares: roles, the policy, paging, error mapping."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import field_error, not_found
from police_handover.adapters.repository import Paging
from police_handover.commands import NotFound
from police_handover.domain.errors import Conflict, IllegalTransition, InvalidInput
from police_handover.domain.policy import Policy

T = TypeVar("T")

# Only the Police's systems; the monitor gets its data through its own service, never here.
Police = Annotated[Caller, Depends(require_roles("police"))]
# Counts without personal data, for the Police and for operators watching the suite.
PoliceOrOperator = Annotated[Caller, Depends(require_roles("police", "operator"))]

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Illegal transition, or a conflict with the case: suspended, closed, full"}
}
UNPROCESSABLE: dict[int | str, dict[str, Any]] = {
    422: {"description": "A field breaks a rule; `detail[].loc` names it"}
}


def get_policy(request: Request) -> Policy:
    policy: Policy = request.app.state.settings.policy()
    return policy


PolicyDep = Annotated[Policy, Depends(get_policy)]


def paging(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(paging)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters, over all pages.")
    limit: int
    offset: int


async def handled(step: Awaitable[T]) -> T:
    """Run a command, turning a broken rule into 422 (naming the field), 409 or 404."""
    try:
        return await step
    except InvalidInput as exc:
        raise field_error(exc.field, exc.message) from exc
    except (IllegalTransition, Conflict) as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc
    except NotFound as exc:
        raise not_found(exc.what, exc.identifier) from exc
