"""What the Eurostat figures count, read for one period: refusals and departures with the person's
date of birth (read here to compute an age group, never shown or sent)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.returns_steps import ReturnCaseClosure
from returns.adapters.orm import (
    applicant_identities,
    decisions,
    dublin_outcomes,
    known_applications,
    return_cases,
)
from returns.domain.eurostat import Order, Return, ReturnType

_BORN = applicant_identities.c.identity


def _born(identity: Any) -> date | None:
    return date.fromisoformat(identity["date_of_birth"]) if identity else None


async def orders(session: AsyncSession, first: date, last: date) -> list[Order]:
    """Refusals decided from ``first`` to ``last``, with what tells an order to leave from a transfer."""
    query = (
        select(
            decisions.c.application_id,
            decisions.c.decided_on,
            decisions.c.destination_country,
            known_applications.c.dublin_case,
            dublin_outcomes.c.closure,
            dublin_outcomes.c.on_date,
            _BORN,
        )
        .outerjoin(known_applications, known_applications.c.application_id == decisions.c.application_id)
        .outerjoin(dublin_outcomes, dublin_outcomes.c.application_id == decisions.c.application_id)
        .outerjoin(applicant_identities, applicant_identities.c.application_id == decisions.c.application_id)
        .where(decisions.c.outcome == "refused", decisions.c.decided_on.between(first, last))
    )
    return [
        Order(
            person=m["application_id"],
            decided_on=m["decided_on"],
            destination=m["destination_country"],
            born=_born(m["identity"]),
            dublin_case=bool(m["dublin_case"]),
            responsible_here_from=m["on_date"]
            if m["closure"] == ReturnCaseClosure.DUBLIN_DEADLINE_PASSED.value
            else None,
        )
        for m in (row._mapping for row in await session.execute(query))
    ]


async def returns(session: AsyncSession, first: date, last: date) -> list[Return]:
    """Voluntary departures and removals by the Police from ``first`` to ``last``; a removal that was a
    Dublin transfer (the Police carried out the transfer) is no return."""
    c = return_cases.c
    transferred = dublin_outcomes.c.closure == ReturnCaseClosure.DUBLIN_TRANSFER.value
    query = (
        select(
            c.person_ref,
            c.departed_on,
            c.departed_to,
            c.removed_on,
            c.removed_to,
            c.destination_country,
            _BORN,
        )
        .outerjoin(applicant_identities, applicant_identities.c.application_id == c.application_id)
        .outerjoin(dublin_outcomes, dublin_outcomes.c.application_id == c.application_id)
        .where(
            or_(and_(c.departed_on >= first, c.departed_on <= last), c.removed_on.between(first, last)),
            or_(dublin_outcomes.c.closure.is_(None), ~transferred),
        )
    )
    found: list[Return] = []
    for m in (row._mapping for row in await session.execute(query)):
        born = _born(m["identity"])
        if m["departed_on"] is not None and first <= m["departed_on"] <= last:
            destination = m["departed_to"] or m["destination_country"]
            found.append(Return(m["person_ref"], m["departed_on"], ReturnType.VOLUNTARY, destination, born))
        if m["removed_on"] is not None and first <= m["removed_on"] <= last:
            found.append(Return(m["person_ref"], m["removed_on"], ReturnType.ENFORCED, m["removed_to"], born))
    return found
