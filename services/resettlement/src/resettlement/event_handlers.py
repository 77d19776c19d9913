"""Resettlement's event handlers: permit holders who need a municipal place, from intake's topic."""

from __future__ import annotations

from handoff_plumbing.consumer import EventContext, Subscription
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.intake import ResidencePermitGrantedV1
from handoff_schemas.topics import INTAKE_APPLICATION_V1
from resettlement.adapters.cases import CaseRepository
from resettlement.domain.case import ResettlementCase
from resettlement.domain.rules import ResettlementRules


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


def subscriptions(rules: ResettlementRules) -> list[Subscription]:
    """What resettlement consumes under ``rules``: intake's residence permits."""
    del rules  # opening a waiting case needs no configured rule
    return [
        Subscription(
            name="intake-applications",
            topics=[INTAKE_APPLICATION_V1.name],
            handlers={ResidencePermitGrantedV1: residence_permit_granted},
        )
    ]
