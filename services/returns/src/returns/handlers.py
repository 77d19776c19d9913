"""Event handlers of returns: thin, each loads, decides, stores through the unit of work."""

from __future__ import annotations

from handoff_plumbing.consumer import EventContext
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.intake import ApplicationRegisteredV1
from returns.adapters.repository import KnownApplicationRepository
from returns.domain.applicant import KnownApplication


async def application_registered(
    event: ApplicationRegisteredV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """Remember the application; the consumer's inbox makes a redelivery a no-op."""
    repository = KnownApplicationRepository(uow.session)
    if await repository.get(event.application_id) is None:
        await repository.add(KnownApplication.from_event(event, now=uow.clock.now()))


async def get_known_application(application_id: str, uow: UnitOfWork) -> KnownApplication | None:
    async with uow:
        return await KnownApplicationRepository(uow.session).get(application_id)
