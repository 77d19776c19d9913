"""Placements: the municipality's answer, the county board's confirmation, arrival, settlement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from resettlement.adapters.repository import PlacementFilter
from resettlement.domain.placement import PlacementStatus
from resettlement.entrypoints.http.common import (
    CODE,
    ERRORS,
    CountyBoard,
    CountyBoardOrMunicipality,
    Municipality,
    PageOut,
    Paging,
    actor,
    domain_errors,
    page_of,
)
from resettlement.entrypoints.http.models import (
    ArrivalIn,
    ConfirmationIn,
    DeclineIn,
    PlacementOut,
    SettlementIn,
    WithdrawalIn,
)
from resettlement.handlers import placements as handlers

router = APIRouter(prefix="/placements", tags=["placements"])


@router.get("", summary="Offers and placements (a municipality sees its own), with filters and paging")
async def list_placements(
    uow: Uow,
    caller: CountyBoardOrMunicipality,
    page: Paging,
    status: PlacementStatus | None = None,
    case_id: str | None = None,
    agreement_id: str | None = None,
    county_code: Annotated[str | None, Query(pattern=CODE)] = None,
    municipality_code: Annotated[str | None, Query(pattern=CODE)] = None,
) -> PageOut[PlacementOut]:
    where = PlacementFilter(
        status=status,
        county_code=county_code,
        municipality_code=municipality_code,
        case_id=case_id,
        agreement_id=agreement_id,
    )
    with domain_errors():
        found, total = await handlers.list_placements(where, page, actor(caller), uow)
    return page_of([PlacementOut.of(p) for p in found], total, page)


@router.get("/{placement_id}", summary="One offer or placement", responses=ERRORS)
async def get_placement(placement_id: str, uow: Uow, caller: CountyBoardOrMunicipality) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(await handlers.get_placement(placement_id, actor(caller), uow))


@router.post(
    "/{placement_id}/acceptance",
    summary="The municipality accepts the offer (publishes placement-accepted)",
    responses=ERRORS,
)
async def accept(placement_id: str, uow: Uow, caller: Municipality) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(await handlers.accept(placement_id, actor(caller), uow))


@router.post(
    "/{placement_id}/decline",
    summary="The municipality declines, with a practical reason (publishes placement-declined)",
    responses={
        **ERRORS,
        422: {
            "description": "A protected ground (in reason or reason_text), or a reason that does not "
            "concern the household: refused, and the attempt recorded"
        },
    },
)
async def decline(placement_id: str, body: DeclineIn, uow: Uow, caller: Municipality) -> PlacementOut:
    command = handlers.Decline(placement_id=placement_id, reason=body.reason, reason_text=body.reason_text)
    with domain_errors():
        return PlacementOut.of(await handlers.decline(command, actor(caller), uow))


@router.post(
    "/{placement_id}/withdrawal",
    summary="The county board withdraws an open offer; the case waits again in its old place",
    responses=ERRORS,
)
async def withdraw(placement_id: str, body: WithdrawalIn, uow: Uow, caller: CountyBoard) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(await handlers.withdraw(placement_id, body.reason, actor(caller), uow))


@router.post(
    "/{placement_id}/confirmation",
    summary="The county board confirms an accepted offer (publishes placement-confirmed)",
    responses=ERRORS,
)
async def confirm(placement_id: str, body: ConfirmationIn, uow: Uow, caller: CountyBoard) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(
            await handlers.confirm(placement_id, body.arrival_planned_on, actor(caller), uow)
        )


@router.post("/{placement_id}/arrival", summary="The household arrived in the municipality", responses=ERRORS)
async def arrive(
    placement_id: str, body: ArrivalIn, uow: Uow, caller: CountyBoardOrMunicipality
) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(await handlers.arrive(placement_id, body.arrived_on, actor(caller), uow))


@router.post(
    "/{placement_id}/settlement",
    summary="The household settled in the municipality (publishes person-settled)",
    responses=ERRORS,
)
async def settle(
    placement_id: str, body: SettlementIn, uow: Uow, caller: CountyBoardOrMunicipality
) -> PlacementOut:
    with domain_errors():
        return PlacementOut.of(await handlers.settle(placement_id, body.settled_on, actor(caller), uow))
