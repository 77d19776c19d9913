"""Command handlers: load, call the aggregate, stage its events, commit. Nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.intake import Vulnerability
from intake.adapters.repository import ApplicationRepository
from intake.domain.application import Applicant, Application, IdentityDocument


@dataclass(frozen=True)
class RegisterApplication:
    applicant: Applicant
    lodged_on: date
    eurodac_hit: bool
    documents: list[IdentityDocument]
    vulnerabilities: list[Vulnerability]
    request_id: str | None = None


async def register_application(command: RegisterApplication, uow: UnitOfWork) -> tuple[Application, bool]:
    """Register an application; a repeated request id returns the first one (created=False)."""
    async with uow:
        applications = ApplicationRepository(uow.session)
        if command.request_id is not None:
            existing = await applications.by_request_id(command.request_id)
            if existing is not None:
                return existing, False
        application, event = Application.register(
            applicant=command.applicant,
            lodged_on=command.lodged_on,
            eurodac_hit=command.eurodac_hit,
            documents=command.documents,
            vulnerabilities=command.vulnerabilities,
            now=uow.clock.now(),
            request_id=command.request_id,
        )
        await applications.add(application)
        await uow.publish(event)
        await uow.commit()
    return application, True


async def get_application(application_id: str, uow: UnitOfWork) -> Application | None:
    async with uow:
        return await ApplicationRepository(uow.session).get(application_id)
