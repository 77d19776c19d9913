"""Resettlement cases: UNHCR submissions and selections (agency), the queue (county boards),
and the full details for the municipality whose placement is confirmed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from handoff_plumbing.http import Uow
from handoff_schemas.events.resettlement import ResettlementPriority, ResettlementSource
from resettlement.adapters.repository import CaseFilter
from resettlement.domain.case import CaseState
from resettlement.entrypoints.http.common import (
    ERRORS,
    Agency,
    AgencyOrCountyBoard,
    Municipality,
    PageOut,
    Paging,
    Policy,
    actor,
    domain_errors,
    page_of,
)
from resettlement.entrypoints.http.models import (
    CaseDetailOut,
    CaseOut,
    FullDetailsOut,
    PlacementOut,
    QuotaSubmissionIn,
    SelectionIn,
)
from resettlement.handlers import cases as handlers

router = APIRouter(prefix="/cases", tags=["cases"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a UNHCR resettlement submission (a quota case)",
    responses={200: {"description": "Already registered under this request id", "model": CaseOut}},
)
async def submit(body: QuotaSubmissionIn, uow: Uow, _caller: Agency, response: Response) -> CaseOut:
    command = handlers.SubmitQuotaCase(
        quota_year=body.quota_year,
        priority=body.priority,
        submission_category=body.submission_category,
        submitted_on=body.submitted_on,
        members=[m.to_domain() for m in body.members],
        needs=body.needs,
        linked_case_ids=body.linked_case_ids,
        unhcr_case_number=body.unhcr_case_number,
        request_id=body.request_id,
    )
    with domain_errors():
        case, created = await handlers.submit_quota_case(command, uow)
    if not created:
        response.status_code = status.HTTP_200_OK
    return CaseOut.of(case)


@router.post(
    "/{case_id}/selection",
    summary="Record the selection decision on a quota case (counts against the year's quota)",
    responses={**ERRORS, 409: {"description": "Not a submitted quota case, or the quota is full"}},
)
async def select(case_id: str, body: SelectionIn, uow: Uow, _caller: Agency, policy: Policy) -> CaseOut:
    with domain_errors():
        case = await handlers.decide_selection(
            handlers.DecideSelection(
                case_id=case_id, selected=body.decision == "selected", decided_on=body.decided_on
            ),
            uow,
            policy,
        )
    return CaseOut.of(case)


@router.get("", summary="Cases, anonymised, with filters and paging")
async def list_cases(
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    page: Paging,
    state: CaseState | None = None,
    source: ResettlementSource | None = None,
    priority: ResettlementPriority | None = None,
    hard_to_place: bool | None = None,
    quota_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    municipality_code: str | None = None,
) -> PageOut[CaseOut]:
    where = CaseFilter(
        state=state,
        source=source,
        priority=priority,
        hard_to_place=hard_to_place,
        quota_year=quota_year,
        municipality_code=municipality_code,
    )
    found, total = await handlers.list_cases(where, page, uow)
    return page_of([CaseOut.of(c) for c in found], total, page)


@router.get("/{case_id}", summary="One case, anonymised, with its offers", responses=ERRORS)
async def get_case(case_id: str, uow: Uow, _caller: AgencyOrCountyBoard) -> CaseDetailOut:
    with domain_errors():
        case, history = await handlers.get_case(case_id, uow)
    return CaseDetailOut(**CaseOut.of(case).model_dump(), placements=[PlacementOut.of(p) for p in history])


@router.get(
    "/{case_id}/full-details",
    summary="The household's full details: only for the municipality whose placement is confirmed",
    responses={
        403: {"description": "The token's subject is not 'municipality:<code>'"},
        404: {"description": "No placement of this case is confirmed for the calling municipality"},
    },
)
async def full_details(case_id: str, uow: Uow, caller: Municipality) -> FullDetailsOut:
    with domain_errors():
        case, placement = await handlers.full_details(case_id, actor(caller), uow)
    return FullDetailsOut.of(case, placement)
