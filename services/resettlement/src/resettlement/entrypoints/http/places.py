"""Municipal places agreements (county boards record them; municipalities read their own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from handoff_plumbing.http import Uow
from resettlement.adapters.repository import AgreementFilter
from resettlement.domain.errors import NotFound
from resettlement.entrypoints.http.common import (
    CODE,
    ERRORS,
    CountyBoard,
    PageOut,
    Paging,
    Readers,
    actor,
    domain_errors,
    page_of,
)
from resettlement.entrypoints.http.models import AgreementIn, AgreementOut, PlacesTermsIn
from resettlement.handlers import places as handlers

router = APIRouter(prefix="/municipal-places", tags=["municipal places"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Record the places a municipality agreed to take in a year (publishes municipal-places-agreed)",
    responses={
        200: {"description": "Already recorded under this request id", "model": AgreementOut},
        403: {"description": "Another county's municipality"},
        409: {"description": "The municipality already has an agreement for the year: revise it"},
    },
)
async def agree(body: AgreementIn, uow: Uow, caller: CountyBoard, response: Response) -> AgreementOut:
    command = handlers.AgreePlaces(
        county_code=body.county_code,
        municipality_code=body.municipality_code,
        year=body.year,
        terms=body.to_domain(),
        request_id=body.request_id,
    )
    with domain_errors():
        agreement, usage, created = await handlers.agree_places(command, actor(caller), uow)
    if not created:
        response.status_code = status.HTTP_200_OK
    return AgreementOut.of(agreement, usage)


@router.put(
    "/{agreement_id}",
    summary="Revise an agreement (same id; places held by offers cannot be taken away)",
    responses=ERRORS,
)
async def revise(agreement_id: str, body: PlacesTermsIn, uow: Uow, caller: CountyBoard) -> AgreementOut:
    with domain_errors():
        agreement, usage = await handlers.revise_places(agreement_id, body.to_domain(), actor(caller), uow)
    return AgreementOut.of(agreement, usage)


@router.get("", summary="Agreements with the places held and free, with filters and paging")
async def list_agreements(
    uow: Uow,
    caller: Readers,
    page: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county_code: Annotated[str | None, Query(pattern=CODE)] = None,
    municipality_code: Annotated[str | None, Query(pattern=CODE)] = None,
) -> PageOut[AgreementOut]:
    with domain_errors():
        if caller.role == "municipality":  # a municipality reads its own agreements only
            municipality_code = actor(caller).municipality()
    found, total = await handlers.list_agreements(
        AgreementFilter(year=year, county_code=county_code, municipality_code=municipality_code), page, uow
    )
    return page_of([AgreementOut.of(a, u) for a, u in found], total, page)


@router.get("/{agreement_id}", summary="One agreement", responses=ERRORS)
async def get_agreement(agreement_id: str, uow: Uow, caller: Readers) -> AgreementOut:
    with domain_errors():
        agreement, usage = await handlers.get_agreement(agreement_id, uow)
        if caller.role == "municipality" and agreement.municipality_code != actor(caller).municipality():
            raise NotFound("agreement", agreement_id)
    return AgreementOut.of(agreement, usage)
