"""Quota submissions, selection decisions, the quota itself, and reading cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import ResettlementPriority, SubmissionCategory
from resettlement.adapters.repository import (
    CaseFilter,
    CaseRepository,
    Page,
    PlacementFilter,
    PlacementRepository,
    QuotaRepository,
)
from resettlement.domain.case import Member, ResettlementCase
from resettlement.domain.errors import InvalidInput, NotFound, StateConflict
from resettlement.domain.placement import Placement
from resettlement.domain.policy import SettlementPolicy
from resettlement.domain.quota import Quota, QuotaProgress
from resettlement.handlers.actor import Actor


@dataclass(frozen=True)
class SubmitQuotaCase:
    quota_year: int
    priority: ResettlementPriority
    submission_category: SubmissionCategory
    submitted_on: date
    members: list[Member]
    needs: list[SettlementNeed]
    linked_case_ids: list[str]
    unhcr_case_number: str | None = None
    request_id: str | None = None


async def submit_quota_case(command: SubmitQuotaCase, uow: UnitOfWork) -> tuple[ResettlementCase, bool]:
    """Register a UNHCR submission; a repeated request id returns the first (created=False)."""
    async with uow:
        cases = CaseRepository(uow.session)
        if command.request_id is not None:
            existing = await cases.by_request_id(command.request_id)
            if existing is not None:
                return existing, False
        if command.linked_case_ids:
            known = await cases.many(command.linked_case_ids)
            unknown = sorted(set(command.linked_case_ids) - set(known))
            if unknown:
                raise InvalidInput("linked_case_ids", f"no such cases: {', '.join(unknown)}")
        case, event = ResettlementCase.submit_quota_case(
            quota_year=command.quota_year,
            priority=command.priority,
            submission_category=command.submission_category,
            submitted_on=command.submitted_on,
            members=command.members,
            needs=command.needs,
            linked_case_ids=command.linked_case_ids,
            unhcr_case_number=command.unhcr_case_number,
            now=uow.clock.now(),
            request_id=command.request_id,
        )
        await cases.add(case)
        await uow.publish(event)
        await uow.commit()
    return case, True


@dataclass(frozen=True)
class DecideSelection:
    case_id: str
    selected: bool
    decided_on: date


async def _quota_for(year: int, uow: UnitOfWork, policy: SettlementPolicy) -> Quota:
    quota = await QuotaRepository(uow.session).get(year)
    if quota is not None:
        return quota
    return Quota.define(
        year=year,
        total_places=policy.quota_places,
        emergency_reserve=None,
        minimum_percent=policy.emergency_reserve_percent,
    )


async def decide_selection(
    command: DecideSelection, uow: UnitOfWork, policy: SettlementPolicy
) -> ResettlementCase:
    """Select a quota case against its year's quota (or turn it down). A repeat is a no-op."""
    async with uow:
        cases = CaseRepository(uow.session)
        case = await cases.get(command.case_id)
        if case is None:
            raise NotFound("case", command.case_id)
        now = uow.clock.now()
        if command.selected:
            if case.quota_year is None:
                raise StateConflict(f"case {case.case_id} is a permit holder's: there is nothing to select")
            quotas = QuotaRepository(uow.session)
            quota = await _quota_for(case.quota_year, uow, policy)
            event = case.select(
                selected_on=command.decided_on,
                quota=quota,
                usage=await quotas.usage(case.quota_year),
                now=now,
            )
            if event is not None:
                await uow.publish(event)
        else:
            case.reject(decided_on=command.decided_on, now=now)
        await cases.save(case)
        await uow.commit()
    return case


@dataclass(frozen=True)
class SetQuota:
    year: int
    total_places: int
    emergency_reserve: int | None


async def set_quota(
    command: SetQuota, actor: Actor, uow: UnitOfWork, policy: SettlementPolicy
) -> QuotaProgress:
    async with uow:
        quotas = QuotaRepository(uow.session)
        quota = Quota.define(
            year=command.year,
            total_places=command.total_places,
            emergency_reserve=command.emergency_reserve,
            minimum_percent=policy.emergency_reserve_percent,
            set_at=uow.clock.now(),
            set_by=actor.subject,
        )
        usage = await quotas.usage(command.year)
        quota.check_revision(usage)
        await quotas.put(quota)
        await uow.commit()
    return quota.progress(usage)


async def quota_progress(year: int, uow: UnitOfWork, policy: SettlementPolicy) -> tuple[QuotaProgress, bool]:
    """The year's progress, and whether its quota was set (else the configured default applies)."""
    async with uow:
        quotas = QuotaRepository(uow.session)
        stored = await quotas.get(year)
        quota = stored or await _quota_for(year, uow, policy)
        return quota.progress(await quotas.usage(year)), stored is not None


async def get_case(case_id: str, uow: UnitOfWork) -> tuple[ResettlementCase, list[Placement]]:
    async with uow:
        case = await CaseRepository(uow.session).get(case_id)
        if case is None:
            raise NotFound("case", case_id)
        history, _ = await PlacementRepository(uow.session).search(
            PlacementFilter(case_id=case_id), Page(limit=1000, offset=0)
        )
        return case, history


async def list_cases(where: CaseFilter, page: Page, uow: UnitOfWork) -> tuple[list[ResettlementCase], int]:
    async with uow:
        return await CaseRepository(uow.session).search(where, page)


async def full_details(case_id: str, actor: Actor, uow: UnitOfWork) -> tuple[ResettlementCase, Placement]:
    """The household's full details, for the municipality whose placement is confirmed, alone.

    Any other caller learns nothing, not even that the case exists (404).
    """
    municipality = actor.municipality()
    async with uow:
        placement = await PlacementRepository(uow.session).confirmed_for(case_id)
        if placement is None or placement.municipality_code != municipality:
            raise NotFound("case confirmed for your municipality", case_id)
        case = await CaseRepository(uow.session).get(case_id, with_members=True)
        assert case is not None
        return case, placement
