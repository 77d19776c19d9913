"""Late and missing notices per police department: the totals, then each late or missing notice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from handoff_plumbing.http import Uow, get_uow
from handoff_plumbing.paging import Paging
from monitoring import queries
from monitoring.adapters.notices import NoticeFilter
from monitoring.domain.notice import Timeliness
from monitoring.domain.statistics import DepartmentMonth
from monitoring.entrypoints.http.dependencies import Rules
from monitoring.entrypoints.web.identity import MonitorVisit
from monitoring.entrypoints.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
LISTED = 50


@dataclass(frozen=True)
class DepartmentTotals:
    department: str
    notices: int
    late: int
    missing: int
    removals: int

    @property
    def late_share(self) -> float | None:
        return self.late / self.notices if self.notices else None


def per_department(rows: Iterable[DepartmentMonth]) -> list[DepartmentTotals]:
    """The statistics' months added up per department, the most late and missing first."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        total = totals.setdefault(row.department, [0, 0, 0, 0])
        for index, value in enumerate((row.notices, row.late, row.missing, row.removals)):
            total[index] += value
    found = [DepartmentTotals(department, *values) for department, values in totals.items()]
    return sorted(found, key=lambda t: (-(t.late + t.missing), t.department))


@router.get("/late-and-missing", response_class=HTMLResponse)
async def late_and_missing(
    request: Request,
    visit: MonitorVisit,
    uow: Uow,
    rules: Rules,
    department: Annotated[str | None, Query(max_length=32)] = None,
) -> HTMLResponse:
    chosen = department or None
    rows = await queries.statistics(uow, rules, department=chosen, from_month=None, to_month=None)
    listed = {}
    for timeliness in (Timeliness.LATE, Timeliness.MISSING):
        listed[timeliness.value] = await queries.notices(
            get_uow(request),
            NoticeFilter(department=chosen, timeliness=timeliness),
            rules,
            Paging(limit=LISTED),
        )
    return render(
        request,
        "late.html",
        {
            "visit": visit,
            "totals": per_department(rows),
            "late": listed["late"],
            "missing": listed["missing"],
            "department": chosen,
            "departments": await queries.departments(get_uow(request)),
            "listed": LISTED,
            "current": "late",
        },
    )
