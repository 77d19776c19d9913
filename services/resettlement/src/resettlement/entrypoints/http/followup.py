"""The follow-up for county boards (and the Agency): lead times, the quarterly report per
county and municipality, the longest-waiting and hard-to-place cases, the fairness audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from resettlement.adapters.repository import PassedOverFilter
from resettlement.entrypoints.http.common import (
    CODE,
    AgencyOrCountyBoard,
    PageOut,
    Paging,
    domain_errors,
    page_of,
)
from resettlement.entrypoints.http.models import CaseOut, PassedOverOut, WaitingCaseOut
from resettlement.handlers import followup as handlers

router = APIRouter(prefix="/follow-up", tags=["follow-up"])
Year = Annotated[int, Query(ge=2000, le=2100)]
CountyCode = Annotated[str | None, Query(pattern=CODE)]


@router.get(
    "/lead-times",
    summary="Days from permit or selection to an assigned place and to settlement, per source",
)
async def lead_times(
    year: Year,
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    county_code: CountyCode = None,
    municipality_code: CountyCode = None,
) -> handlers.LeadTimes:
    return await handlers.lead_times(year, county_code, municipality_code, uow)


@router.get(
    "/quarterly",
    summary="Per county and municipality: places agreed and used, offers, answers with their reasons, "
    "refused declines",
)
async def quarterly(
    year: Year,
    quarter: Annotated[int, Query(ge=1, le=4)],
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    county_code: CountyCode = None,
) -> handlers.QuarterlyReport:
    with domain_errors():
        return await handlers.quarterly_report(year, quarter, county_code, uow)


@router.get(
    "/waiting", summary="The cases waiting longest for a place (hard-to-place ones with hard_to_place=true)"
)
async def waiting(
    uow: Uow, _caller: AgencyOrCountyBoard, page: Paging, hard_to_place: bool | None = None
) -> PageOut[WaitingCaseOut]:
    found, total = await handlers.longest_waiting(hard_to_place, page, uow)
    return page_of(
        [
            WaitingCaseOut(
                case=CaseOut.of(line.case),
                days_waiting=line.days_waiting,
                declined_by_municipalities=line.declined_by,
                times_passed_over=line.passed_over,
            )
            for line in found
        ],
        total,
        page,
    )


@router.get(
    "/fairness-audit",
    summary="Every case passed over: by which matching run or offer, by which county board, and why",
)
async def fairness_audit(
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    page: Paging,
    county_code: CountyCode = None,
    case_id: str | None = None,
    run_id: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    include_proposal_runs: Annotated[
        bool,
        Query(description="Also runs that only proposed and sent no offers (nobody was passed over yet)."),
    ] = False,
) -> PageOut[PassedOverOut]:
    where = PassedOverFilter(
        county_code=county_code,
        case_id=case_id,
        run_id=run_id,
        year=year,
        binding_only=not include_proposal_runs,
    )
    found, total = await handlers.fairness_audit(where, page, uow)
    return page_of([PassedOverOut.of(r) for r in found], total, page)
