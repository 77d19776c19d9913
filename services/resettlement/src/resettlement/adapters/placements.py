"""Placements: offers to municipalities, their answers, confirmation and arrival."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    SettlementProfile,
)
from resettlement.adapters.orm import (
    placements,
)
from resettlement.domain.placement import CONFIRMED, HOLDING_PLACES, Placement, PlacementStatus
from resettlement.domain.places import PlacesUsage


@dataclass(frozen=True)
class PlacementFilter:
    status: PlacementStatus | None = None
    county_code: str | None = None
    municipality_code: str | None = None
    case_id: str | None = None
    agreement_id: str | None = None


class PlacementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, placement: Placement) -> None:
        await self._session.execute(
            insert(placements).values(
                placement_id=placement.placement_id,
                case_id=placement.case_id,
                agreement_id=placement.agreement_id,
                county_code=placement.county_code,
                municipality_code=placement.municipality_code,
                run_id=placement.run_id,
                household_size=placement.household_size,
                accessible=placement.accessible,
                dwelling=placement.dwelling.value if placement.dwelling else None,
                profile=placement.profile.model_dump(mode="json"),
                offered_at=placement.offered_at,
                offered_by=placement.offered_by,
                answer_due_on=placement.answer_due_on,
                **_placement_state(placement),
            )
        )

    async def save(self, placement: Placement) -> None:
        await self._session.execute(
            update(placements)
            .where(placements.c.placement_id == placement.placement_id)
            .values(**_placement_state(placement))
        )

    async def get(self, placement_id: str, *, for_update: bool = False) -> Placement | None:
        query = select(placements).where(placements.c.placement_id == placement_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _placement(row._mapping) if row else None

    async def confirmed_for(self, case_id: str) -> Placement | None:
        row = (
            await self._session.execute(
                select(placements).where(
                    placements.c.case_id == case_id, placements.c.status.in_([s.value for s in CONFIRMED])
                )
            )
        ).first()
        return _placement(row._mapping) if row else None

    async def search(self, where: PlacementFilter, paging: Paging) -> tuple[list[Placement], int]:
        conditions: list[ColumnElement[bool]] = []
        if where.status is not None:
            conditions.append(placements.c.status == where.status.value)
        if where.county_code is not None:
            conditions.append(placements.c.county_code == where.county_code)
        if where.municipality_code is not None:
            conditions.append(placements.c.municipality_code == where.municipality_code)
        if where.case_id is not None:
            conditions.append(placements.c.case_id == where.case_id)
        if where.agreement_id is not None:
            conditions.append(placements.c.agreement_id == where.agreement_id)
        query = (
            select(placements).where(*conditions).order_by(placements.c.offered_at, placements.c.placement_id)
        )
        rows, total = await fetch_page(self._session, query, paging)
        return [_placement(r) for r in rows], total

    async def usage(self, agreement_ids: Sequence[str]) -> dict[str, PlacesUsage]:
        """What open and confirmed placements hold of each agreement."""
        usage: dict[str, PlacesUsage] = {agreement_id: PlacesUsage() for agreement_id in agreement_ids}
        if not agreement_ids:
            return usage
        rows = await self._session.execute(
            select(
                placements.c.agreement_id,
                placements.c.accessible,
                placements.c.dwelling,
                placements.c.status,
                func.sum(placements.c.household_size),
                func.count(),
            )
            .where(
                placements.c.agreement_id.in_(list(agreement_ids)),
                placements.c.status.in_([s.value for s in HOLDING_PLACES]),
            )
            .group_by(
                placements.c.agreement_id, placements.c.accessible, placements.c.dwelling, placements.c.status
            )
        )
        for agreement_id, accessible, dwelling, status, persons, count in rows:
            held = usage[agreement_id]
            if accessible:
                held.accessible += int(persons)
            else:
                held.general += int(persons)
            if dwelling is not None:
                size = HousingSize(dwelling)
                held.dwellings[size] = held.dwellings.get(size, 0) + int(count)
            if PlacementStatus(status) in CONFIRMED:
                held.confirmed_persons += int(persons)
        return usage

    async def declined_by(self, case_ids: Sequence[str]) -> dict[str, set[str]]:
        """The municipalities that declined each case."""
        return await self._by_case(case_ids, [PlacementStatus.DECLINED], placements.c.municipality_code)

    async def counties_holding(self, case_ids: Sequence[str]) -> dict[str, set[str]]:
        """The counties where each case is offered or placed."""
        return await self._by_case(case_ids, list(HOLDING_PLACES), placements.c.county_code)

    async def _by_case(
        self, case_ids: Sequence[str], statuses: list[PlacementStatus], column: Any
    ) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        ids = list(set(case_ids))
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(
                select(placements.c.case_id, column).where(
                    placements.c.case_id.in_(ids[start : start + 500]),
                    placements.c.status.in_([s.value for s in statuses]),
                )
            )
            for case_id, value in rows:
                found[case_id].add(value)
        return found


def _placement_state(p: Placement) -> dict[str, Any]:
    return {
        "status": p.status.value,
        "answered_at": p.answered_at,
        "decline_reason": p.decline_reason.value if p.decline_reason else None,
        "decline_reason_text": p.decline_reason_text,
        "withdrawn_at": p.withdrawn_at,
        "withdrawal_reason": p.withdrawal_reason,
        "confirmed_at": p.confirmed_at,
        "arrival_planned_on": p.arrival_planned_on,
        "arrived_on": p.arrived_on,
        "settled_on": p.settled_on,
    }


def _placement(m: Any) -> Placement:
    return Placement(
        placement_id=m["placement_id"],
        case_id=m["case_id"],
        agreement_id=m["agreement_id"],
        county_code=m["county_code"],
        municipality_code=m["municipality_code"],
        household_size=m["household_size"],
        accessible=m["accessible"],
        dwelling=HousingSize(m["dwelling"]) if m["dwelling"] else None,
        profile=SettlementProfile.model_validate(m["profile"]),
        status=PlacementStatus(m["status"]),
        offered_at=m["offered_at"],
        offered_by=m["offered_by"],
        answer_due_on=m["answer_due_on"],
        run_id=m["run_id"],
        answered_at=m["answered_at"],
        decline_reason=DeclineReason(m["decline_reason"]) if m["decline_reason"] else None,
        decline_reason_text=m["decline_reason_text"],
        withdrawn_at=m["withdrawn_at"],
        withdrawal_reason=m["withdrawal_reason"],
        confirmed_at=m["confirmed_at"],
        arrival_planned_on=m["arrival_planned_on"],
        arrived_on=m["arrived_on"],
        settled_on=m["settled_on"],
    )
