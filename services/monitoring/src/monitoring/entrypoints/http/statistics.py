"""Statistics per police department and month: exact for the monitor, suppressed for publication."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from monitoring import queries
from monitoring.domain.statistics import publish
from monitoring.entrypoints.http.dependencies import Monitor, PublishedReader, Rules
from monitoring.entrypoints.http.views import PublishedStatisticsRowOut, StatisticsRowOut

router = APIRouter(prefix="/statistics", tags=["statistics"])
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Department = Annotated[str | None, Query(min_length=1, max_length=32, description="Police department code.")]
FromMonth = Annotated[str | None, Query(pattern=MONTH, description="First month, YYYY-MM.")]
ToMonth = Annotated[str | None, Query(pattern=MONTH, description="Last month, YYYY-MM.")]


@router.get("", summary="Exact figures per department and month (the monitor only)")
async def exact(
    uow: Uow,
    _caller: Monitor,
    rules: Rules,
    department: Department = None,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
) -> list[StatisticsRowOut]:
    rows = await queries.statistics(
        uow, rules, department=department, from_month=from_month, to_month=to_month
    )
    return [StatisticsRowOut.of(row) for row in rows]


@router.get("/published", summary='Figures for publication: counts under 5 shown as "<5"')
async def published(
    uow: Uow,
    _caller: PublishedReader,
    rules: Rules,
    department: Department = None,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
) -> list[PublishedStatisticsRowOut]:
    rows = await queries.statistics(
        uow, rules, department=department, from_month=from_month, to_month=to_month
    )
    return [PublishedStatisticsRowOut.of(publish(row)) for row in rows]
