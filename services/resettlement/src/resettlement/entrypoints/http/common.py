"""What every resettlement router shares: callers, policy, paging and domain errors as HTTP.

Roles: ``agency`` registers UNHCR submissions and selection decisions; ``county_board``
(token subject ``county:<code>``) agrees municipal places, runs the matching, offers,
confirms and follows up; ``municipality`` (token subject ``municipality:<code>``) answers
the offers addressed to it and, once a placement is confirmed, reads the household's full
details.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import field_error
from resettlement.adapters.repository import Page
from resettlement.domain.errors import InvalidInput, NotFound, NotPermitted, StateConflict
from resettlement.domain.policy import SettlementPolicy
from resettlement.handlers.actor import Actor

T = TypeVar("T")

CODE = r"^[0-9A-Za-z-]{1,16}$"
"""A county or municipality code, e.g. ``12`` or ``1280``."""

Agency = Annotated[Caller, Depends(require_roles("agency"))]
CountyBoard = Annotated[Caller, Depends(require_roles("county_board"))]
Municipality = Annotated[Caller, Depends(require_roles("municipality"))]
AgencyOrCountyBoard = Annotated[Caller, Depends(require_roles("agency", "county_board"))]
CountyBoardOrMunicipality = Annotated[Caller, Depends(require_roles("county_board", "municipality"))]
Readers = Annotated[Caller, Depends(require_roles("agency", "county_board", "municipality"))]


def actor(caller: Caller) -> Actor:
    return Actor(subject=caller.subject, role=caller.role)


def get_policy(request: Request) -> SettlementPolicy:
    settings = request.app.state.settings
    defaults = SettlementPolicy()
    return SettlementPolicy(
        quota_places=getattr(settings, "quota_places", defaults.quota_places),
        emergency_reserve_percent=getattr(
            settings, "emergency_reserve_percent", defaults.emergency_reserve_percent
        ),
        answer_working_days=getattr(settings, "offer_answer_working_days", defaults.answer_working_days),
        calendar_country=getattr(settings, "working_calendar_country", defaults.calendar_country),
    )


Policy = Annotated[SettlementPolicy, Depends(get_policy)]


def get_page(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


Paging = Annotated[Page, Depends(get_page)]


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters, on all pages.")
    limit: int
    offset: int


def page_of(items: list[T], total: int, page: Page) -> PageOut[T]:
    return PageOut[T](items=items, total=total, limit=page.limit, offset=page.offset)


@contextmanager
def domain_errors() -> Iterator[None]:
    """The domain's refusals as HTTP: 422 naming the field, 404, 409, 403."""
    try:
        yield
    except InvalidInput as exc:
        raise field_error(exc.field, exc.message) from exc
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    except StateConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc
    except NotPermitted as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc


ERRORS: dict[int | str, dict[str, object]] = {
    403: {"description": "The caller may not act on this (e.g. another county's agreement)"},
    404: {"description": "No such thing, or none the caller may see"},
    409: {"description": "The command does not fit the current state"},
}
