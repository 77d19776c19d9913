"""The follow-up for county boards (and the Agency): lead times, the quarterly report per
county and municipality, the longest-waiting and hard-to-place cases, the fairness audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier
from resettlement.adapters.matching_runs import PassedOverFilter
from resettlement.entrypoints.http.dependencies import CODE, AgencyOrCountyBoard
from resettlement.entrypoints.http.views import CaseOut, PassedOverOut, WaitingCaseOut
from resettlement.queries import follow_up as queries

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
) -> queries.LeadTimes:
    return await queries.lead_times(year, county_code, municipality_code, uow)


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
) -> queries.QuarterlyReport:
    return await queries.quarterly_report(year, quarter, county_code, uow)


@router.get(
    "/waiting", summary="The cases waiting longest for a place (hard-to-place ones with hard_to_place=true)"
)
async def waiting(
    uow: Uow, _caller: AgencyOrCountyBoard, paging: PagingQuery, hard_to_place: bool | None = None
) -> Page[WaitingCaseOut]:
    found, total = await queries.longest_waiting(hard_to_place, paging, uow)
    return Page[WaitingCaseOut].of(
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
        paging,
    )


@router.get(
    "/fairness-audit",
    summary="Every case passed over: by which matching run or offer, by which county board, and why",
)
async def fairness_audit(
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    paging: PagingQuery,
    county_code: CountyCode = None,
    case_id: Identifier | None = None,
    run_id: Identifier | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    include_proposal_runs: Annotated[
        bool,
        Query(description="Also runs that only proposed and sent no offers (nobody was passed over yet)."),
    ] = False,
) -> Page[PassedOverOut]:
    where = PassedOverFilter(
        county_code=county_code,
        case_id=case_id,
        run_id=run_id,
        year=year,
        binding_only=not include_proposal_runs,
    )
    found, total = await queries.fairness_audit(where, paging, uow)
    return Page[PassedOverOut].of([PassedOverOut.of(r) for r in found], total, paging)
