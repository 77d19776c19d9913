"""Return statistics on Eurostat's definitions, a quarter at a time, as CSV (roles ``agency``,
``operator``): small figures suppressed, fit for publication and for Eurostat and Frontex reporting."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from handoff_plumbing.http import Uow
from returns import queries
from returns.domain.eurostat import CSV_COLUMNS, Quarter, csv_text
from returns.entrypoints.http.dependencies import AgencyOrOperator

router = APIRouter(prefix="/statistics", tags=["statistics"])

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"example": ",".join(CSV_COLUMNS) + "\n2026-Q4,returned,VOL,IRQ,Y18-34,<5\n"}
        },
        "description": "One row per indicator, type of return, destination and age group, and a TOTAL "
        "row per destination; persons from 1 to 4 are shown as <5.",
    }
}


@router.get(
    "/eurostat",
    summary="Persons ordered to leave and returned in a quarter, on Eurostat's definitions (CSV)",
    response_class=PlainTextResponse,
    responses=CSV_RESPONSE,
)
async def eurostat(
    uow: Uow,
    _caller: AgencyOrOperator,
    quarter: Annotated[str, Query(pattern=r"^[0-9]{4}-Q[1-4]$", description="The quarter, e.g. 2026-Q4.")],
) -> PlainTextResponse:
    rows = await queries.eurostat_figures(uow, Quarter.parse(quarter))
    return PlainTextResponse(
        csv_text(rows),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="returns-eurostat-{quarter}.csv"'},
    )
