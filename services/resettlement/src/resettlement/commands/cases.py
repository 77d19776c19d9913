"""Quota submissions, selection decisions, the quota itself, and reading cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import ResettlementPriority, SubmissionCategory
from resettlement.adapters.cases import CaseRepository
from resettlement.adapters.quotas import QuotaRepository
from resettlement.domain.actor import Actor
from resettlement.domain.case import Member, ResettlementCase
from resettlement.domain.quota import Quota, QuotaProgress
from resettlement.domain.rules import ResettlementRules


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


async def submit_quota_case(command: SubmitQuotaCase, uow: UnitOfWork) -> ResettlementCase:
    """Register a UNHCR submission."""
    cases = CaseRepository(uow.session)
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
    )
    await cases.add(case)
    await uow.publish(event)
    return case


@dataclass(frozen=True)
class DecideSelection:
    case_id: str
    selected: bool
    decided_on: date


async def quota_for(year: int, uow: UnitOfWork, rules: ResettlementRules) -> Quota:
    quota = await QuotaRepository(uow.session).get(year)
    if quota is not None:
        return quota
    return Quota.define(
        year=year,
        total_places=rules.quota_places,
        emergency_reserve=None,
        minimum_percent=rules.emergency_reserve_percent,
    )


async def decide_selection(
    command: DecideSelection, uow: UnitOfWork, rules: ResettlementRules
) -> ResettlementCase:
    """Select a quota case against its year's quota (or turn it down). A repeat is a no-op."""
    cases = CaseRepository(uow.session)
    case = await cases.get(command.case_id)
    if case is None:
        raise NotFound("case", command.case_id)
    now = uow.clock.now()
    if command.selected:
        if case.quota_year is None:
            raise Conflict(f"case {case.case_id} is a permit holder's: there is nothing to select")
        quotas = QuotaRepository(uow.session)
        quota = await quota_for(case.quota_year, uow, rules)
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
    return case


@dataclass(frozen=True)
class SetQuota:
    year: int
    total_places: int
    emergency_reserve: int | None


async def set_quota(
    command: SetQuota, actor: Actor, uow: UnitOfWork, rules: ResettlementRules
) -> QuotaProgress:
    quotas = QuotaRepository(uow.session)
    quota = Quota.define(
        year=command.year,
        total_places=command.total_places,
        emergency_reserve=command.emergency_reserve,
        minimum_percent=rules.emergency_reserve_percent,
        set_at=uow.clock.now(),
        set_by=actor.subject,
    )
    usage = await quotas.usage(command.year)
    quota.check_revision(usage)
    await quotas.put(quota)
    return quota.progress(usage)
