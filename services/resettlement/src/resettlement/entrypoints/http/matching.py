"""Matching runs and manual offers (county boards)."""

from __future__ import annotations

from fastapi import APIRouter, status

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, replayed
from handoff_plumbing.http.types import Identifier
from handoff_plumbing.uow import UnitOfWork
from resettlement.commands import matching as commands
from resettlement.entrypoints.http.dependencies import ERRORS, CountyBoard, Rules, actor
from resettlement.entrypoints.http.models import MatchingRunIn, OfferIn
from resettlement.entrypoints.http.views import MatchingRunOut, PlacementOut
from resettlement.queries import cases as queries

router = APIRouter(tags=["matching"])


@router.post(
    "/matching-runs",
    status_code=status.HTTP_201_CREATED,
    summary="Match the national queue to the county's places: proposals, and every case passed over and why",
    responses={**replayed(MatchingRunOut), **ERRORS},
)
async def run(body: MatchingRunIn, command: Command, caller: CountyBoard, rules: Rules) -> MatchingRunOut:
    matching = commands.RunMatching(year=body.year, send_offers=body.send_offers)

    async def step(uow: UnitOfWork) -> MatchingRunOut:
        return MatchingRunOut.of(await commands.run_matching(matching, actor(caller), uow, rules))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("/matching-runs/{run_id}", summary="One matching run", responses=ERRORS)
async def get_run(run_id: Identifier, uow: Uow, caller: CountyBoard) -> MatchingRunOut:
    return MatchingRunOut.of(await queries.get_run(run_id, actor(caller), uow))


@router.post(
    "/placements",
    status_code=status.HTTP_201_CREATED,
    tags=["placements"],
    summary="Offer one household a place (publishes placement-offered with the anonymised profile)",
    responses={
        **replayed(PlacementOut),
        422: {
            "description": "The place does not meet the household's needs, or cases ahead are passed over "
            "without a reason (passed_over_reason)"
        },
        **ERRORS,
    },
)
async def offer(body: OfferIn, command: Command, caller: CountyBoard, rules: Rules) -> PlacementOut:
    offer = commands.OfferPlace(
        case_id=body.case_id, agreement_id=body.agreement_id, passed_over_reason=body.passed_over_reason
    )

    async def step(uow: UnitOfWork) -> PlacementOut:
        return PlacementOut.of(await commands.offer_place(offer, actor(caller), uow, rules))

    return await command.run(step, request_id=body.request_id, body=body)
