"""Statistics per police department and month as charts and tables, and as CSV: the published
figures (counts from 1 to 4 suppressed), from the service's own statistics query."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from handoff_plumbing.http import Uow, get_uow
from handoff_schemas.events.monitoring import RemovalPhase
from monitoring import queries
from monitoring.domain.statistics import PublishedDepartmentMonth, publish
from monitoring.entrypoints.http.dependencies import Rules
from monitoring.entrypoints.web.charts import department_charts
from monitoring.entrypoints.web.identity import MonitorVisit
from monitoring.entrypoints.web.refusals import PageRefused
from monitoring.entrypoints.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
Text = Annotated[str | None, Query(max_length=32)]
COLUMNS = (
    "department",
    "month",
    "notices",
    "on_time",
    "late",
    "share_on_time",
    "median_lead_time_working_days",
    "missing",
    "removals",
    "monitored",
    "monitored_share",
)


def month(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not MONTH.fullmatch(value):
        raise PageRefused(status.HTTP_422_UNPROCESSABLE_CONTENT, "Not a month", f"{name}: a month, YYYY-MM")
    return value


@dataclass(frozen=True)
class Selection:
    """Which figures: one department or all, from and to a month (YYYY-MM) or open-ended."""

    department: str | None
    from_month: str | None
    to_month: str | None

    def query(self) -> str:
        return urlencode({k: v for k, v in asdict(self).items() if v})


def selection(department: Text = None, from_month: Text = None, to_month: Text = None) -> Selection:
    return Selection(department or None, month(from_month, "from_month"), month(to_month, "to_month"))


Selected = Annotated[Selection, Depends(selection)]


async def published_rows(uow: Uow, rules: Rules, chosen: Selection) -> list[PublishedDepartmentMonth]:
    rows = await queries.statistics(
        uow, rules, department=chosen.department, from_month=chosen.from_month, to_month=chosen.to_month
    )
    return [publish(row) for row in rows]


@router.get("/statistics", response_class=HTMLResponse)
async def statistics_page(
    request: Request, visit: MonitorVisit, uow: Uow, rules: Rules, chosen: Selected
) -> HTMLResponse:
    by_department: dict[str, list[PublishedDepartmentMonth]] = defaultdict(list)
    for row in await published_rows(uow, rules, chosen):
        by_department[row.department].append(row)
    query = chosen.query()
    return render(
        request,
        "statistics.html",
        {
            "visit": visit,
            "departments_shown": [
                (name, department_charts(found), found) for name, found in sorted(by_department.items())
            ],
            "filters": chosen,
            "csv_link": "/ui/statistics.csv" + (f"?{query}" if query else ""),
            "departments": await queries.departments(get_uow(request)),
            "current": "statistics",
        },
    )


@router.get("/statistics.csv")
async def statistics_csv(_visit: MonitorVisit, uow: Uow, rules: Rules, chosen: Selected) -> Response:
    return Response(
        as_csv(await published_rows(uow, rules, chosen)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="monitoring-statistics.csv"'},
    )


def as_csv(rows: Sequence[PublishedDepartmentMonth]) -> str:
    """One line per department and month, the columns of ``GET /statistics/published``; the phases
    monitored in a column each, and the suppressed figures named in the last."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    phases = list(RemovalPhase)
    writer.writerow([*COLUMNS, *(f"phases_monitored.{p.value}" for p in phases), "suppressed"])
    for row in rows:
        values = [getattr(row, column) for column in COLUMNS]
        phase_counts = [row.phases_monitored.get(p, 0) for p in phases]
        writer.writerow([cell(v) for v in (*values, *phase_counts, " ".join(row.suppressed))])
    return out.getvalue()


def cell(value: object) -> str:
    """A CSV cell that no spreadsheet takes for a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else str(value)
