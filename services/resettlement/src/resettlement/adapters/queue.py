"""The national queue of waiting households, as the matcher sees it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resettlement.adapters.cases import CaseRepository
from resettlement.adapters.orm import cases as cases_table
from resettlement.adapters.placements import PlacementRepository
from resettlement.domain.case import CaseState, ResettlementCase
from resettlement.domain.matching_terms import WaitingCase

_PLACED_STATES = [
    s.value for s in (CaseState.OFFERED, CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.ARRIVED)
]


@dataclass(frozen=True)
class Queue:
    cases: dict[str, ResettlementCase]
    waiting: dict[str, WaitingCase]


async def load_queue(session: AsyncSession, *, for_update: bool = False) -> Queue:
    """Every waiting case with the municipalities that declined it and the counties where
    its linked families are offered or placed (links count both ways).

    ``for_update`` locks the waiting cases (PostgreSQL; SQLite's write transactions are
    exclusive anyway), so that two county boards cannot offer the same household at once.
    Lock order everywhere: agreements, then cases, then placements.
    """
    waiting = await CaseRepository(session).waiting(for_update=for_update)
    ids = [case.case_id for case in waiting]
    placements = PlacementRepository(session)
    declined = await placements.declined_by(ids)
    partners: dict[str, set[str]] = {case.case_id: set(case.linked_case_ids) for case in waiting}
    waiting_ids = set(ids)
    placed = await session.execute(
        select(cases_table.c.case_id, cases_table.c.linked_case_ids).where(
            cases_table.c.state.in_(_PLACED_STATES), cases_table.c.hard_to_place.is_(True)
        )
    )
    for case_id, linked in placed:
        for other in linked or ():
            if other in waiting_ids:
                partners[other].add(case_id)
    counties = await placements.counties_holding(sorted({p for ps in partners.values() for p in ps}))
    return Queue(
        cases={case.case_id: case for case in waiting},
        waiting={
            case.case_id: case.waiting_case(
                linked_counties=frozenset(c for p in partners[case.case_id] for c in counties.get(p, ())),
                declined_by=frozenset(declined.get(case.case_id, ())),
            )
            for case in waiting
        },
    )
