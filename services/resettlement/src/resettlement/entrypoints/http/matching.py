"""Matching runs and manual offers (county boards)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from handoff_plumbing.http import Uow
from resettlement.entrypoints.http.common import ERRORS, CountyBoard, Policy, actor, domain_errors
from resettlement.entrypoints.http.models import MatchingRunIn, MatchingRunOut, OfferIn, PlacementOut
from resettlement.handlers import matching as handlers

router = APIRouter(tags=["matching"])


@router.post(
    "/matching-runs",
    status_code=status.HTTP_201_CREATED,
    summary="Match the national queue to the county's places: proposals, and every case passed over and why",
    responses={200: {"description": "Already run under this request id", "model": MatchingRunOut}, **ERRORS},
)
async def run(
    body: MatchingRunIn, uow: Uow, caller: CountyBoard, policy: Policy, response: Response
) -> MatchingRunOut:
    command = handlers.RunMatching(year=body.year, send_offers=body.send_offers, request_id=body.request_id)
    with domain_errors():
        result, created = await handlers.run_matching(command, actor(caller), uow, policy)
    if not created:
        response.status_code = status.HTTP_200_OK
    return MatchingRunOut.of(result)


@router.get("/matching-runs/{run_id}", summary="One matching run", responses=ERRORS)
async def get_run(run_id: str, uow: Uow, caller: CountyBoard) -> MatchingRunOut:
    with domain_errors():
        return MatchingRunOut.of(await handlers.get_run(run_id, actor(caller), uow))


@router.post(
    "/placements",
    status_code=status.HTTP_201_CREATED,
    tags=["placements"],
    summary="Offer one household a place (publishes placement-offered with the anonymised profile)",
    responses={
        200: {"description": "Already offered under this request id", "model": PlacementOut},
        422: {
            "description": "The place does not meet the household's needs, or cases ahead are passed over "
            "without a reason (passed_over_reason)"
        },
        **ERRORS,
    },
)
async def offer(
    body: OfferIn, uow: Uow, caller: CountyBoard, policy: Policy, response: Response
) -> PlacementOut:
    command = handlers.OfferPlace(
        case_id=body.case_id,
        agreement_id=body.agreement_id,
        passed_over_reason=body.passed_over_reason,
        request_id=body.request_id,
    )
    with domain_errors():
        placement, created = await handlers.offer_place(command, actor(caller), uow, policy)
    if not created:
        response.status_code = status.HTTP_200_OK
    return PlacementOut.of(placement)
