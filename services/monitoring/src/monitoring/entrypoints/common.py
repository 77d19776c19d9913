"""What every router of the monitor's API shares: roles, paging, the policy, error answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import field_error, not_found
from monitoring.commands import NotFound
from monitoring.domain.errors import Conflict, InvalidInput
from monitoring.policy import MonitoringPolicy

Monitor = Annotated[Caller, Depends(require_roles("monitor"))]
"""The monitor's own data: notices, decisions, unpublished reports, webhooks, exact statistics."""

PublishedReader = Annotated[Caller, Depends(require_roles("monitor", "police", "operator"))]
"""What the monitor has published: reports and statistics with small figures suppressed."""

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
REQUEST_ID_DESCRIPTION = "Client-chosen id; repeating it returns the first result, creating nothing."


def get_policy(request: Request) -> MonitoringPolicy:
    policy: MonitoringPolicy = request.app.state.runtime.policy
    return policy


Policy = Annotated[MonitoringPolicy, Depends(get_policy)]


def http_error(exc: Exception) -> HTTPException:
    """The HTTP answer to a domain refusal."""
    if isinstance(exc, InvalidInput):
        return field_error(exc.field, exc.message)
    if isinstance(exc, NotFound):
        return not_found(exc.what, exc.identifier)
    if isinstance(exc, Conflict):
        return HTTPException(status.HTTP_409_CONFLICT, detail=str(exc))
    raise exc


DOMAIN_ERRORS = (InvalidInput, NotFound, Conflict)
