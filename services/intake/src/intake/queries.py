"""Intake's reads: one unit of work each, never a change."""

from __future__ import annotations

from datetime import date

from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from intake.adapters.applications import ApplicationFilter, ApplicationRepository
from intake.domain.application import Application
from intake.domain.rules import IntakeRules


async def application(application_id: str, uow: UnitOfWork) -> Application:
    async with uow:
        found = await ApplicationRepository(uow.session).get(application_id)
    if found is None:
        raise NotFound("application", application_id)
    return found


async def applications(
    wanted: ApplicationFilter, uow: UnitOfWork, rules: IntakeRules, paging: Paging
) -> tuple[list[Application], int, date]:
    """A page of matching applications, the total that match, and the day they were judged on."""
    async with uow:
        today = uow.clock.now().date()
        found, total = await ApplicationRepository(uow.session).page(
            wanted, today=today, rules=rules, paging=paging
        )
    return found, total, today
