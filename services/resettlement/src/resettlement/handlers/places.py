"""Municipal places agreements: a county board records and revises them."""

from __future__ import annotations

from dataclasses import dataclass

from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.repository import AgreementFilter, AgreementRepository, Page, PlacementRepository
from resettlement.domain.errors import NotFound, StateConflict
from resettlement.domain.places import PlacesAgreement, PlacesTerms, PlacesUsage, agreement_id_for
from resettlement.handlers.actor import Actor


@dataclass(frozen=True)
class AgreePlaces:
    county_code: str
    municipality_code: str
    year: int
    terms: PlacesTerms
    request_id: str | None = None


async def agree_places(
    command: AgreePlaces, actor: Actor, uow: UnitOfWork
) -> tuple[PlacesAgreement, PlacesUsage, bool]:
    """Record an agreement; a repeated request id returns the first (created=False)."""
    actor.check_county(command.county_code)
    async with uow:
        agreements = AgreementRepository(uow.session)
        if command.request_id is not None:
            existing = await agreements.by_request_id(command.request_id)
            if existing is not None:
                return (
                    existing,
                    (await PlacementRepository(uow.session).usage([existing.agreement_id]))[
                        existing.agreement_id
                    ],
                    False,
                )
        agreement_id = agreement_id_for(command.municipality_code, command.year)
        if await agreements.get(agreement_id) is not None:
            raise StateConflict(
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
            request_id=command.request_id,
        )
        await agreements.add(agreement)
        await uow.publish(event)
        await uow.commit()
    return agreement, PlacesUsage(), True


async def revise_places(
    agreement_id: str, terms: PlacesTerms, actor: Actor, uow: UnitOfWork
) -> tuple[PlacesAgreement, PlacesUsage]:
    async with uow:
        agreements = AgreementRepository(uow.session)
        agreement = await agreements.get(agreement_id, for_update=True)
        if agreement is None:
            raise NotFound("agreement", agreement_id)
        actor.check_county(agreement.county_code)
        usage = (await PlacementRepository(uow.session).usage([agreement_id]))[agreement_id]
        event = agreement.revise(terms, usage, now=uow.clock.now())
        if event is not None:
            await agreements.save(agreement)
            await uow.publish(event)
            await uow.commit()
    return agreement, usage


async def get_agreement(agreement_id: str, uow: UnitOfWork) -> tuple[PlacesAgreement, PlacesUsage]:
    async with uow:
        agreement = await AgreementRepository(uow.session).get(agreement_id)
        if agreement is None:
            raise NotFound("agreement", agreement_id)
        return agreement, (await PlacementRepository(uow.session).usage([agreement_id]))[agreement_id]


async def list_agreements(
    where: AgreementFilter, page: Page, uow: UnitOfWork
) -> tuple[list[tuple[PlacesAgreement, PlacesUsage]], int]:
    async with uow:
        found, total = await AgreementRepository(uow.session).search(where, page)
        usage = await PlacementRepository(uow.session).usage([a.agreement_id for a in found])
        return [(a, usage[a.agreement_id]) for a in found], total
