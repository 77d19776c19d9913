"""Resettlement's reads: cases, quotas, agreements, matching runs and placements, each in its own
unit of work and never a change. What a caller may see is checked here too."""

from __future__ import annotations

from dataclasses import replace

from handoff_plumbing.audit import Accessor, PersonalDataAudit, PersonalDataUse
from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import MAX_LIMIT, Paging
from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.agreements import AgreementFilter, AgreementRepository
from resettlement.adapters.cases import CaseFilter, CaseRepository
from resettlement.adapters.matching_runs import MatchingRunRepository
from resettlement.adapters.orm import audit_trail
from resettlement.adapters.placements import PlacementFilter, PlacementRepository
from resettlement.adapters.quotas import QuotaRepository
from resettlement.commands.cases import quota_for
from resettlement.domain.actor import Actor
from resettlement.domain.case import ResettlementCase
from resettlement.domain.fairness import MatchingRun
from resettlement.domain.placement import Placement, check_access
from resettlement.domain.places import PlacesAgreement, PlacesUsage
from resettlement.domain.quota import QuotaProgress
from resettlement.domain.rules import ResettlementRules


async def quota_progress(year: int, uow: UnitOfWork, rules: ResettlementRules) -> tuple[QuotaProgress, bool]:
    """The year's progress, and whether its quota was set (else the configured default applies)."""
    async with uow:
        quotas = QuotaRepository(uow.session)
        stored = await quotas.get(year)
        quota = stored or await quota_for(year, uow, rules)
        return quota.progress(await quotas.usage(year)), stored is not None


async def get_case(case_id: str, uow: UnitOfWork) -> tuple[ResettlementCase, list[Placement]]:
    async with uow:
        case = await CaseRepository(uow.session).get(case_id)
        if case is None:
            raise NotFound("case", case_id)
        history, _ = await PlacementRepository(uow.session).search(
            PlacementFilter(case_id=case_id), Paging(limit=MAX_LIMIT)
        )
        return case, history


async def list_cases(
    where: CaseFilter, paging: Paging, uow: UnitOfWork
) -> tuple[list[ResettlementCase], int]:
    async with uow:
        return await CaseRepository(uow.session).search(where, paging)


async def full_details(case_id: str, actor: Actor, uow: UnitOfWork) -> tuple[ResettlementCase, Placement]:
    """The household's full details, for the municipality whose placement is confirmed, alone.

    Any other caller learns nothing, not even that the case exists (404).
    """
    async with uow:
        municipality = actor.municipality()
        placement = await PlacementRepository(uow.session).confirmed_for(case_id)
        if placement is None or placement.municipality_code != municipality:
            raise NotFound("case confirmed for your municipality", case_id)
        case = await CaseRepository(uow.session).get(case_id, with_members=True)
        assert case is not None
        await PersonalDataAudit(uow.session, audit_trail).record(
            PersonalDataUse(
                accessor=Accessor(subject=actor.subject, role=actor.role, unit=municipality),
                person_ref=case.person_ref or case.case_id,
                fields=disclosed_fields(case),
                purpose=SETTLEMENT_PURPOSE,
                resource="GET /cases/{case_id}/full-details",
            ),
            now=uow.clock.now(),
        )
        await uow.commit()
        return case, placement


SETTLEMENT_PURPOSE = "settlement of the household in the municipality"
MEMBER_FIELDS = ("full_name", "date_of_birth", "sex", "nationality", "languages", "education")


def disclosed_fields(case: ResettlementCase) -> list[str]:
    """The personal data the full details show of this household (names of fields, never values)."""
    if case.members:
        return ["unhcr_case_number", *(f"members[].{name}" for name in MEMBER_FIELDS)]
    return ["permit.application_id", "permit.person_ref", "permit.permit_id"]


async def get_agreement(agreement_id: str, uow: UnitOfWork) -> tuple[PlacesAgreement, PlacesUsage]:
    async with uow:
        agreement = await AgreementRepository(uow.session).get(agreement_id)
        if agreement is None:
            raise NotFound("agreement", agreement_id)
        return agreement, (await PlacementRepository(uow.session).usage([agreement_id]))[agreement_id]


async def list_agreements(
    where: AgreementFilter, paging: Paging, uow: UnitOfWork
) -> tuple[list[tuple[PlacesAgreement, PlacesUsage]], int]:
    async with uow:
        found, total = await AgreementRepository(uow.session).search(where, paging)
        usage = await PlacementRepository(uow.session).usage([a.agreement_id for a in found])
        return [(a, usage[a.agreement_id]) for a in found], total


async def get_run(run_id: str, actor: Actor, uow: UnitOfWork) -> MatchingRun:
    async with uow:
        run = await MatchingRunRepository(uow.session).get(run_id)
        if run is None:
            raise NotFound("matching run", run_id)
        if not actor.sees_county(run.county_code):
            raise NotFound("matching run", run_id)
        return run


async def get_placement(placement_id: str, actor: Actor, uow: UnitOfWork) -> Placement:
    async with uow:
        placement = await PlacementRepository(uow.session).get(placement_id)
        if placement is None:
            raise NotFound("placement", placement_id)
        check_access(placement, actor, municipality=True, county_board=True)
        return placement


async def list_placements(
    where: PlacementFilter, paging: Paging, actor: Actor, uow: UnitOfWork
) -> tuple[list[Placement], int]:
    async with uow:
        if actor.role == "municipality":  # a municipality sees its own offers only
            where = replace(where, municipality_code=actor.municipality())
        if actor.role == "county_board":  # a county board those of its county
            where = replace(where, county_code=actor.county())
        return await PlacementRepository(uow.session).search(where, paging)
