"""An offer's life after it is made: the municipality's answer, confirmation, arrival, settlement.

Who may do what: the municipality an offer is addressed to answers it and reports arrival
and settlement (another municipality is told the placement does not exist); the county
board of the agreement's county withdraws and confirms, and may report arrival and
settlement too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from handoff_plumbing.errors import NotFound
from handoff_plumbing.uow import UnitOfWork
from resettlement.adapters.cases import CaseRepository
from resettlement.adapters.placements import PlacementRepository
from resettlement.adapters.refused_declines import RefusedDeclineRecord, RefusedDeclineRepository
from resettlement.domain.actor import Actor
from resettlement.domain.answers import RefusedDecline
from resettlement.domain.case import ResettlementCase
from resettlement.domain.ids import new_id
from resettlement.domain.placement import Placement, check_access

T = TypeVar("T")


async def _change(
    placement_id: str,
    actor: Actor,
    uow: UnitOfWork,
    change: Callable[[Placement, ResettlementCase], Awaitable[T]],
    *,
    municipality: bool,
    county_board: bool,
) -> tuple[Placement, T]:
    placements = PlacementRepository(uow.session)
    placement = await placements.get(placement_id)
    if placement is None:
        raise NotFound("placement", placement_id)
    check_access(placement, actor, municipality=municipality, county_board=county_board)
    cases = CaseRepository(uow.session)
    case = await cases.get(placement.case_id, for_update=True)  # cases before placements
    placement = await placements.get(placement_id, for_update=True) or placement
    assert case is not None
    outcome = await change(placement, case)
    await placements.save(placement)
    await cases.save(case)
    return placement, outcome


async def accept(placement_id: str, actor: Actor, uow: UnitOfWork) -> Placement:
    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.accept(case, now=uow.clock.now())
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(placement_id, actor, uow, change, municipality=True, county_board=False)
    return placement


@dataclass(frozen=True)
class Decline:
    placement_id: str
    reason: str
    reason_text: str


async def decline(command: Decline, actor: Actor, uow: UnitOfWork) -> Placement:
    """Log the municipality's decline and its reason; the case waits again in its old place.

    A decline on a protected ground is refused (:class:`RefusedDecline`); the caller records
    the attempt in a transaction of its own with :func:`record_refused_decline`.
    """

    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.decline(
            case, reason=command.reason, reason_text=command.reason_text, now=uow.clock.now()
        )
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(
        command.placement_id, actor, uow, change, municipality=True, county_board=False
    )
    return placement


async def record_refused_decline(command: Decline, refused: RefusedDecline, uow: UnitOfWork) -> None:
    """Record a refused decline for the county board's follow-up (the decline itself changed nothing)."""
    offered = await PlacementRepository(uow.session).get(command.placement_id)
    assert offered is not None  # the decline was refused on this very placement
    await RefusedDeclineRepository(uow.session).add(
        RefusedDeclineRecord(
            attempt_id=new_id("RD", uow.clock.now().year),
            placement_id=offered.placement_id,
            case_id=offered.case_id,
            county_code=offered.county_code,
            municipality_code=offered.municipality_code,
            attempted_at=uow.clock.now(),
            field=refused.field,
            ground=refused.ground,
            reason=command.reason[:64],
            reason_text=command.reason_text,
        )
    )


async def withdraw(placement_id: str, reason: str, actor: Actor, uow: UnitOfWork) -> Placement:
    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.withdraw(case, reason=reason, now=uow.clock.now())
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(placement_id, actor, uow, change, municipality=False, county_board=True)
    return placement


async def confirm(placement_id: str, arrival_planned_on: date, actor: Actor, uow: UnitOfWork) -> Placement:
    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.confirm(case, arrival_planned_on=arrival_planned_on, now=uow.clock.now())
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(placement_id, actor, uow, change, municipality=False, county_board=True)
    return placement


async def arrive(placement_id: str, arrived_on: date, actor: Actor, uow: UnitOfWork) -> Placement:
    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.arrive(case, on=arrived_on, now=uow.clock.now())
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(placement_id, actor, uow, change, municipality=True, county_board=True)
    return placement


async def settle(placement_id: str, settled_on: date, actor: Actor, uow: UnitOfWork) -> Placement:
    async def change(placement: Placement, case: ResettlementCase) -> None:
        event = placement.settle(case, on=settled_on, now=uow.clock.now())
        if event is not None:
            await uow.publish(event)

    placement, _ = await _change(placement_id, actor, uow, change, municipality=True, county_board=True)
    return placement
