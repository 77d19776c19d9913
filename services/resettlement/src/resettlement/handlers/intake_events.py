"""What resettlement takes from intake's topic: permit holders who need a municipal place."""

from __future__ import annotations

from handoff_plumbing.consumer import EventContext
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.intake import ResidencePermitGrantedV1
from resettlement.adapters.repository import CaseRepository
from resettlement.domain.case import ResettlementCase


async def residence_permit_granted(
    event: ResidencePermitGrantedV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """Open a waiting case when the household asked for a municipal place; once per application.

    Runs inside the consumer's unit of work, with the inbox record: no commit here.
    """
    if not event.needs_municipal_place:
        return
    cases = CaseRepository(uow.session)
    if await cases.by_application_id(event.application_id) is not None:
        return  # a second permit event for the same application opens no second case
    case, submitted = ResettlementCase.from_permit(event, now=uow.clock.now())
    await cases.add(case)
    await uow.publish(submitted)
