"""Municipal places agreements: a county board records and revises them."""

from __future__ import annotations

from dataclasses import dataclass

from handoff_plumbing.errors import Conflict, NotFound
from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.agreements import AgreementRepository
from resettlement.adapters.placements import PlacementRepository
from resettlement.domain.actor import Actor
from resettlement.domain.places import PlacesAgreement, PlacesTerms, PlacesUsage, agreement_id_for


@dataclass(frozen=True)
class AgreePlaces:
    county_code: str
    municipality_code: str
    year: int
    terms: PlacesTerms


async def agree_places(
    command: AgreePlaces, actor: Actor, uow: UnitOfWork
) -> tuple[PlacesAgreement, PlacesUsage]:
    """Record an agreement."""
    actor.check_county(command.county_code)
    agreements = AgreementRepository(uow.session)
    agreement_id = agreement_id_for(command.municipality_code, command.year)
    if await agreements.get(agreement_id) is not None:
        raise Conflict(
            f"municipality {command.municipality_code} already has agreement {agreement_id} for "
            f"{command.year}: revise it instead"
        )
    agreement, event = PlacesAgreement.agree(
        county_code=command.county_code,
        municipality_code=command.municipality_code,
        year=command.year,
        terms=command.terms,
        by=actor.subject,
        now=uow.clock.now(),
    )
    await agreements.add(agreement)
    await uow.publish(event)
    return agreement, PlacesUsage()


async def revise_places(
    agreement_id: str, terms: PlacesTerms, actor: Actor, uow: UnitOfWork
) -> tuple[PlacesAgreement, PlacesUsage]:
    agreements = AgreementRepository(uow.session)
    agreement = await agreements.get(agreement_id, for_update=True)
    if agreement is None:
        raise NotFound("agreement", agreement_id)
    if not actor.sees_county(agreement.county_code):
        raise NotFound("agreement", agreement_id)
    usage = (await PlacementRepository(uow.session).usage([agreement_id]))[agreement_id]
    event = agreement.revise(terms, usage, now=uow.clock.now())
    if event is not None:
        await agreements.save(agreement)
        await uow.publish(event)
    return agreement, usage
