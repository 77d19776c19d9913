"""Intake's reads: one unit of work each, never a change."""

from __future__ import annotations

from datetime import date

from handoff_plumbing.audit import Accessor, PersonalDataAudit, PersonalDataUse
from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from intake.adapters.applications import ApplicationFilter, ApplicationRepository
from intake.adapters.orm import audit_trail
from intake.domain.application import Application
from intake.domain.rules import IntakeRules


async def application(application_id: str, uow: UnitOfWork) -> Application:
    async with uow:
        found = await ApplicationRepository(uow.session).get(application_id)
    if found is None:
        raise NotFound("application", application_id)
    return found


IDENTITY_FIELDS = (
    "applicant.full_name",
    "applicant.date_of_birth",
    "applicant.sex",
    "applicant.nationality",
    "identity_documents[].number",
    "identity_documents[].issuing_country",
    "identity_documents[].expires_on",
)
"""The personal data ``GET /applications/{id}/identity`` shows (recorded by name in the audit trail)."""
IDENTITY_PURPOSE = "asylum case handling at the Migration Agency"


async def identity(application_id: str, uow: UnitOfWork, reader: Accessor) -> Application:
    """The application with its applicant's identity; the read is recorded before it is answered."""
    async with uow:
        found = await ApplicationRepository(uow.session).get(application_id)
        if found is None:
            raise NotFound("application", application_id)
        await PersonalDataAudit(uow.session, audit_trail).record(
            PersonalDataUse(
                accessor=reader,
                person_ref=found.person_ref,
                fields=IDENTITY_FIELDS,
                purpose=IDENTITY_PURPOSE,
                resource="GET /applications/{application_id}/identity",
            ),
            now=uow.clock.now(),
        )
        await uow.commit()
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
