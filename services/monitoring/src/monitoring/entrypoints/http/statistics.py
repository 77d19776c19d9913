"""Statistics per police department and month: exact for the monitor, suppressed for publication."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from handoff_plumbing.http.types import Month
from monitoring import queries
from monitoring.domain.statistics import publish
from monitoring.entrypoints.http.dependencies import DepartmentQuery, Monitor, PublishedReader, Rules
from monitoring.entrypoints.http.views import PublishedStatisticsRowOut, StatisticsRowOut

router = APIRouter(prefix="/statistics", tags=["statistics"])
FromMonth = Annotated[Month | None, Query(description="First month, YYYY-MM.")]
ToMonth = Annotated[Month | None, Query(description="Last month, YYYY-MM.")]


def _text(month: date | None) -> str | None:
    return None if month is None else f"{month:%Y-%m}"


@router.get("", summary="Exact figures per department and month (the monitor only)")
async def exact(
    uow: Uow,
    _caller: Monitor,
    rules: Rules,
    department: DepartmentQuery = None,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
) -> list[StatisticsRowOut]:
    rows = await queries.statistics(
        uow, rules, department=department, from_month=_text(from_month), to_month=_text(to_month)
    )
    return [StatisticsRowOut.of(row) for row in rows]


@router.get("/published", summary='Figures for publication: counts under 5 shown as "<5"')
async def published(
    uow: Uow,
    _caller: PublishedReader,
    rules: Rules,
    department: DepartmentQuery = None,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
) -> list[PublishedStatisticsRowOut]:
    rows = await queries.statistics(
        uow, rules, department=department, from_month=_text(from_month), to_month=_text(to_month)
    )
    return [PublishedStatisticsRowOut.of(publish(row)) for row in rows]
