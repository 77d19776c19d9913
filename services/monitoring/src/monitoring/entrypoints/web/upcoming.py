"""Upcoming removals by priority and departure, with filters, and the lead time against the policy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse

from handoff_plumbing.http import Uow, get_uow
from handoff_plumbing.paging import Paging
from handoff_schemas.events.common import Transport
from monitoring import queries
from monitoring.domain.notice import Timeliness
from monitoring.entrypoints.http.dependencies import Rules
from monitoring.entrypoints.web.identity import MonitorVisit
from monitoring.entrypoints.web.refusals import PageRefused
from monitoring.entrypoints.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
PAGE_SIZE = 25
E = TypeVar("E", bound=Enum)
Choice = Annotated[str | None, Query(max_length=32)]


def choice(kind: type[E], value: str | None, name: str) -> E | None:
    """A filter chosen from a list ("" is "any"); anything else is a 422 naming the filter."""
    if not value:
        return None
    try:
        return kind(value)
    except ValueError as exc:
        options = ", ".join(str(member.value) for member in kind)
        raise PageRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "Unknown filter", f"{name}: one of {options}"
        ) from exc


@dataclass(frozen=True)
class Pages:
    """Which page of a listing this is, and the addresses of its neighbours."""

    number: int
    count: int
    previous: str | None
    next: str | None

    @classmethod
    def of(cls, path: str, filters: dict[str, str], number: int, total: int, size: int) -> Pages:
        count = max(1, -(-total // size))

        def link(n: int) -> str:
            return f"{path}?{urlencode({**filters, 'page': n})}"

        return cls(
            number=number,
            count=count,
            previous=link(number - 1) if number > 1 else None,
            next=link(number + 1) if number < count else None,
        )


@router.get("/upcoming", response_class=HTMLResponse)
async def upcoming(
    request: Request,
    visit: MonitorVisit,
    uow: Uow,
    rules: Rules,
    department: Choice = None,
    transport: Choice = None,
    timeliness: Choice = None,
    decided: Choice = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    decided_flag = {"yes": True, "no": False}.get(decided or "")
    if decided and decided_flag is None:
        raise PageRefused(status.HTTP_422_UNPROCESSABLE_CONTENT, "Unknown filter", "decided: yes or no")
    files, total = await queries.upcoming(
        uow,
        rules,
        Paging(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE),
        decided=decided_flag,
        department=department or None,
        transport=choice(Transport, transport, "transport"),
        timeliness=choice(Timeliness, timeliness, "timeliness"),
    )
    filters = {
        name: value
        for name, value in (
            ("department", department),
            ("transport", transport),
            ("timeliness", timeliness),
            ("decided", decided),
        )
        if value
    }
    return render(
        request,
        "upcoming.html",
        {
            "visit": visit,
            "files": files,
            "total": total,
            "filters": filters,
            "departments": await queries.departments(get_uow(request)),
            "transports": list(Transport),
            "timeliness_options": [Timeliness.ON_TIME, Timeliness.LATE],
            "pages": Pages.of("/ui/upcoming", filters, page, total, PAGE_SIZE),
            "current": "upcoming",
        },
    )
