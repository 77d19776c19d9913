"""Placements: the municipality's answer, the county board's confirmation, arrival, settlement."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier
from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.placements import PlacementFilter
from resettlement.commands import placements as commands
from resettlement.domain.answers import RefusedDecline
from resettlement.domain.placement import Placement, PlacementStatus
from resettlement.entrypoints.http.dependencies import (
    CODE,
    ERRORS,
    CountyBoard,
    CountyBoardOrMunicipality,
    Municipality,
    actor,
)
from resettlement.entrypoints.http.models import (
    ArrivalIn,
    ConfirmationIn,
    DeclineIn,
    SettlementIn,
    WithdrawalIn,
)
from resettlement.entrypoints.http.views import PlacementOut
from resettlement.queries import cases as queries

router = APIRouter(prefix="/placements", tags=["placements"])


async def _changed(command: Command, change: Callable[[UnitOfWork], Awaitable[Placement]]) -> PlacementOut:
    async def step(uow: UnitOfWork) -> PlacementOut:
        return PlacementOut.of(await change(uow))

    return await command.run(step)


@router.get("", summary="Offers and placements (a municipality sees its own), with filters and paging")
async def list_placements(
    uow: Uow,
    caller: CountyBoardOrMunicipality,
    paging: PagingQuery,
    status: PlacementStatus | None = None,
    case_id: Identifier | None = None,
    agreement_id: Identifier | None = None,
    county_code: Annotated[str | None, Query(pattern=CODE)] = None,
    municipality_code: Annotated[str | None, Query(pattern=CODE)] = None,
) -> Page[PlacementOut]:
    where = PlacementFilter(
        status=status,
        county_code=county_code,
        municipality_code=municipality_code,
        case_id=case_id,
        agreement_id=agreement_id,
    )
    found, total = await queries.list_placements(where, paging, actor(caller), uow)
    return Page[PlacementOut].of([PlacementOut.of(p) for p in found], total, paging)


@router.get("/{placement_id}", summary="One offer or placement", responses=ERRORS)
async def get_placement(
    placement_id: Identifier, uow: Uow, caller: CountyBoardOrMunicipality
) -> PlacementOut:
    return PlacementOut.of(await queries.get_placement(placement_id, actor(caller), uow))


@router.post(
    "/{placement_id}/acceptance",
    summary="The municipality accepts the offer (publishes placement-accepted)",
    responses=ERRORS,
)
async def accept(placement_id: Identifier, command: Command, caller: Municipality) -> PlacementOut:
    return await _changed(command, lambda uow: commands.accept(placement_id, actor(caller), uow))


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
async def decline(
    placement_id: Identifier, body: DeclineIn, command: Command, caller: Municipality
) -> PlacementOut:
    declining = commands.Decline(placement_id=placement_id, reason=body.reason, reason_text=body.reason_text)
    try:
        return await _changed(command, lambda uow: commands.decline(declining, actor(caller), uow))
    except RefusedDecline as refused:  # the attempt is recorded in a transaction of its own
        await _record_attempt(command, declining, refused)
        raise


async def _record_attempt(command: Command, declining: commands.Decline, refused: RefusedDecline) -> None:
    async def record(uow: UnitOfWork) -> None:
        await commands.record_refused_decline(declining, refused, uow)

    await command.run(record)


@router.post(
    "/{placement_id}/withdrawal",
    summary="The county board withdraws an open offer; the case waits again in its old place",
    responses=ERRORS,
)
async def withdraw(
    placement_id: Identifier, body: WithdrawalIn, command: Command, caller: CountyBoard
) -> PlacementOut:
    return await _changed(
        command, lambda uow: commands.withdraw(placement_id, body.reason, actor(caller), uow)
    )


@router.post(
    "/{placement_id}/confirmation",
    summary="The county board confirms an accepted offer (publishes placement-confirmed)",
    responses=ERRORS,
)
async def confirm(
    placement_id: Identifier, body: ConfirmationIn, command: Command, caller: CountyBoard
) -> PlacementOut:
    return await _changed(
        command, lambda uow: commands.confirm(placement_id, body.arrival_planned_on, actor(caller), uow)
    )


@router.post("/{placement_id}/arrival", summary="The household arrived in the municipality", responses=ERRORS)
async def arrive(
    placement_id: Identifier, body: ArrivalIn, command: Command, caller: CountyBoardOrMunicipality
) -> PlacementOut:
    return await _changed(
        command, lambda uow: commands.arrive(placement_id, body.arrived_on, actor(caller), uow)
    )


@router.post(
    "/{placement_id}/settlement",
    summary="The household settled in the municipality (publishes person-settled)",
    responses=ERRORS,
)
async def settle(
    placement_id: Identifier, body: SettlementIn, command: Command, caller: CountyBoardOrMunicipality
) -> PlacementOut:
    return await _changed(
        command, lambda uow: commands.settle(placement_id, body.settled_on, actor(caller), uow)
    )
