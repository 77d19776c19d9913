"""Municipal places agreements (county boards record them; municipalities read their own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from handoff_plumbing.errors import NotFound
from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier
from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.agreements import AgreementFilter
from resettlement.commands import places as commands
from resettlement.entrypoints.http.dependencies import CODE, ERRORS, CountyBoard, Readers, actor
from resettlement.entrypoints.http.models import AgreementIn, PlacesTermsIn
from resettlement.entrypoints.http.views import AgreementOut
from resettlement.queries import cases as queries

router = APIRouter(prefix="/municipal-places", tags=["municipal places"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Record the places a municipality agreed to take in a year (publishes municipal-places-agreed)",
    responses={
        **replayed(AgreementOut),
        403: {"description": "Another county's municipality"},
        409: {"description": "The municipality already has an agreement for the year: revise it"},
    },
)
async def agree(body: AgreementIn, command: Command, caller: CountyBoard) -> AgreementOut:
    agreeing = commands.AgreePlaces(
        county_code=body.county_code,
        municipality_code=body.municipality_code,
        year=body.year,
        terms=body.to_domain(),
    )

    async def step(uow: UnitOfWork) -> AgreementOut:
        return AgreementOut.of(*await commands.agree_places(agreeing, actor(caller), uow))

    return await command.run(step, request_id=body.request_id, body=body)


@router.put(
    "/{agreement_id}",
    summary="Revise an agreement (same id; places held by offers cannot be taken away)",
    responses=ERRORS,
)
async def revise(
    agreement_id: Identifier, body: PlacesTermsIn, command: Command, caller: CountyBoard
) -> AgreementOut:
    async def step(uow: UnitOfWork) -> AgreementOut:
        return AgreementOut.of(
            *await commands.revise_places(agreement_id, body.to_domain(), actor(caller), uow)
        )

    return await command.run(step)


@router.get("", summary="Agreements with the places held and free, with filters and paging")
async def list_agreements(
    uow: Uow,
    caller: Readers,
    paging: PagingQuery,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county_code: Annotated[str | None, Query(pattern=CODE)] = None,
    municipality_code: Annotated[str | None, Query(pattern=CODE)] = None,
) -> Page[AgreementOut]:
    if caller.role == "municipality":  # a municipality reads its own agreements only
        municipality_code = actor(caller).municipality()
    if caller.role == "county_board":  # a county board those of its county
        county_code = actor(caller).county()
    found, total = await queries.list_agreements(
        AgreementFilter(year=year, county_code=county_code, municipality_code=municipality_code), paging, uow
    )
    return Page[AgreementOut].of([AgreementOut.of(a, u) for a, u in found], total, paging)


@router.get("/{agreement_id}", summary="One agreement", responses=ERRORS)
async def get_agreement(agreement_id: Identifier, uow: Uow, caller: Readers) -> AgreementOut:
    agreement, usage = await queries.get_agreement(agreement_id, uow)
    who = actor(caller)
    if not (who.sees_municipality(agreement.municipality_code) and who.sees_county(agreement.county_code)):
        raise NotFound("agreement", agreement_id)
    return AgreementOut.of(agreement, usage)
