"""Resettlement cases: UNHCR submissions and selections (agency), the queue (county boards),
and the full details for the municipality whose placement is confirmed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier, not_after
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.resettlement import ResettlementPriority, ResettlementSource
from resettlement.adapters.cases import CaseFilter
from resettlement.commands import cases as commands
from resettlement.domain.case import CaseState
from resettlement.entrypoints.http.dependencies import (
    CODE,
    ERRORS,
    Agency,
    AgencyOrCountyBoard,
    Municipality,
    Rules,
    actor,
)
from resettlement.entrypoints.http.models import QuotaSubmissionIn, SelectionIn
from resettlement.entrypoints.http.views import CaseDetailOut, CaseOut, FullDetailsOut, PlacementOut
from resettlement.queries import cases as queries

router = APIRouter(prefix="/cases", tags=["cases"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a UNHCR resettlement submission (a quota case)",
    responses=replayed(CaseOut),
)
async def submit(body: QuotaSubmissionIn, command: Command, _caller: Agency) -> CaseOut:
    submission = commands.SubmitQuotaCase(
        quota_year=body.quota_year,
        priority=body.priority,
        submission_category=body.submission_category,
        submitted_on=body.submitted_on,
        members=[m.to_domain() for m in body.members],
        needs=body.needs,
        linked_case_ids=body.linked_case_ids,
        unhcr_case_number=body.unhcr_case_number,
    )

    async def step(uow: UnitOfWork) -> CaseOut:
        today = uow.clock.now().date()
        for index, member in enumerate(body.members):
            not_after(f"members.{index}.date_of_birth", member.date_of_birth, today)
        return CaseOut.of(await commands.submit_quota_case(submission, uow))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{case_id}/selection",
    summary="Record the selection decision on a quota case (counts against the year's quota)",
    responses={**ERRORS, 409: {"description": "Not a submitted quota case, or the quota is full"}},
)
async def select(
    case_id: Identifier, body: SelectionIn, command: Command, _caller: Agency, rules: Rules
) -> CaseOut:
    decision = commands.DecideSelection(
        case_id=case_id, selected=body.decision == "selected", decided_on=body.decided_on
    )

    async def step(uow: UnitOfWork) -> CaseOut:
        return CaseOut.of(await commands.decide_selection(decision, uow, rules))

    return await command.run(step)


@router.get("", summary="Cases, anonymised, with filters and paging")
async def list_cases(
    uow: Uow,
    _caller: AgencyOrCountyBoard,
    paging: PagingQuery,
    state: CaseState | None = None,
    source: ResettlementSource | None = None,
    priority: ResettlementPriority | None = None,
    hard_to_place: bool | None = None,
    quota_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    municipality_code: Annotated[str | None, Query(pattern=CODE)] = None,
) -> Page[CaseOut]:
    where = CaseFilter(
        state=state,
        source=source,
        priority=priority,
        hard_to_place=hard_to_place,
        quota_year=quota_year,
        municipality_code=municipality_code,
    )
    found, total = await queries.list_cases(where, paging, uow)
    return Page[CaseOut].of([CaseOut.of(c) for c in found], total, paging)


@router.get("/{case_id}", summary="One case, anonymised, with its offers", responses=ERRORS)
async def get_case(case_id: Identifier, uow: Uow, _caller: AgencyOrCountyBoard) -> CaseDetailOut:
    case, history = await queries.get_case(case_id, uow)
    return CaseDetailOut(**CaseOut.of(case).model_dump(), placements=[PlacementOut.of(p) for p in history])


@router.get(
    "/{case_id}/full-details",
    summary="The household's full details: only for the municipality whose placement is confirmed",
    responses={
        403: {"description": "The token names no municipality (claim 'municipality')"},
        404: {"description": "No placement of this case is confirmed for the calling municipality"},
    },
)
async def full_details(case_id: Identifier, uow: Uow, caller: Municipality) -> FullDetailsOut:
    case, placement = await queries.full_details(case_id, actor(caller), uow)
    return FullDetailsOut.of(case, placement)
