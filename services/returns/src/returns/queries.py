"""Reads: a case with what returns knows for its handover, a page of cases, the follow-up report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_workdays import add_months
from returns.adapters import statistics
from returns.adapters.dossiers import load_dossier
from returns.adapters.known_applications import KnownApplicationRepository
from returns.adapters.return_cases import CaseSummary, ReturnCaseRepository, last_meeting_evaluations
from returns.domain.applicant import Dossier, KnownApplication
from returns.domain.case_state import CaseStatus
from returns.domain.eurostat import Figure, Quarter, figures
from returns.domain.follow_up import EvaluationSummary, FollowUpLine, aggregate_evaluations, follow_up
from returns.domain.return_case import ReturnCase
from returns.domain.rules import ReturnsRules
from returns.domain.targets import Target


@dataclass(frozen=True)
class CaseView:
    case: ReturnCase
    dossier: Dossier
    today: date


async def get_case(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str) -> CaseView:
    async with uow:
        return await case_view(uow, rules, return_case_id)


async def case_view(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str) -> CaseView:
    """The case and its dossier, read in a unit of work already open."""
    case = await ReturnCaseRepository(uow.session).get(return_case_id)
    if case is None:
        raise NotFound("return case", return_case_id)
    dossier = await load_dossier(uow.session, case.application_id)
    return CaseView(case=case, dossier=dossier, today=rules.today(uow.clock.now()))


@dataclass(frozen=True)
class CasePage:
    total: int
    cases: list[CaseSummary]
    as_of: date


async def list_cases(
    uow: UnitOfWork,
    rules: ReturnsRules,
    paging: Paging,
    *,
    status: CaseStatus | None = None,
    unit: str | None = None,
    overdue: Target | None = None,
    application_id: str | None = None,
) -> CasePage:
    async with uow:
        as_of = rules.today(uow.clock.now())
        total, cases = await ReturnCaseRepository(uow.session).page(
            status=status,
            unit=unit,
            overdue=overdue,
            application_id=application_id,
            as_of=as_of,
            paging=paging,
        )
    return CasePage(total=total, cases=cases, as_of=as_of)


@dataclass(frozen=True)
class FollowUpReport:
    as_of: date
    first_month: date
    last_month: date
    cost_per_person_day: int
    currency: str
    lines: list[FollowUpLine]
    evaluations: EvaluationSummary


async def follow_up_report(
    uow: UnitOfWork,
    rules: ReturnsRules,
    *,
    first_month: date,
    last_month: date,
    unit: str | None = None,
    target: Target | None = None,
    as_of: date | None = None,
) -> FollowUpReport:
    """Items falling due from the first day of ``first_month`` to the last of ``last_month``, and the
    evaluations answered at last meetings held in those months (up to ``as_of``)."""
    first_day = first_month.replace(day=1)
    last_day = add_months(last_month.replace(day=1), 1) - timedelta(days=1)
    async with uow:
        as_of = as_of or rules.today(uow.clock.now())
        items = await ReturnCaseRepository(uow.session).measured_items(
            due_from=first_day, due_until=last_day, unit=unit, target=target
        )
        evaluations = await last_meeting_evaluations(
            uow.session, held_from=first_day, held_until=min(last_day, as_of), unit=unit
        )
    return FollowUpReport(
        as_of=as_of,
        first_month=first_month.replace(day=1),
        last_month=last_month.replace(day=1),
        cost_per_person_day=rules.reception_cost_per_day,
        currency=rules.currency,
        lines=follow_up(items, as_of=as_of, cost_per_day=rules.reception_cost_per_day),
        evaluations=aggregate_evaluations(evaluations),
    )


async def eurostat_figures(uow: UnitOfWork, quarter: Quarter) -> list[Figure]:
    """The quarter's Eurostat figures, small ones suppressed (see :mod:`returns.domain.eurostat`)."""
    async with uow:
        found_orders = await statistics.orders(uow.session, quarter.first_day, quarter.last_day)
        found_returns = await statistics.returns(uow.session, quarter.first_day, quarter.last_day)
    return figures(quarter, found_orders, found_returns)


async def known_application(application_id: str, uow: UnitOfWork) -> KnownApplication:
    async with uow:
        found = await KnownApplicationRepository(uow.session).get(application_id)
    if found is None:
        raise NotFound("application", application_id)
    return found
