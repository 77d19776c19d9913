"""Lighter precautionary measures (reporting duty and the like), counted beside detention."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from police_handover.adapters.filters import case_of_department, where_all
from police_handover.adapters.orm import (
    detentions,
    lighter_measures,
)
from police_handover.domain.measures import (
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
)


class LighterMeasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, measure_id: str, *, for_update: bool = False) -> LighterMeasure | None:
        query = select(lighter_measures).where(lighter_measures.c.measure_id == measure_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _lighter(row._mapping) if row else None

    async def active_for_case(self, enforcement_case_id: str) -> list[LighterMeasure]:
        m = lighter_measures.c
        rows = (
            await self._session.execute(
                select(lighter_measures)
                .where(m.enforcement_case_id == enforcement_case_id, m.ended_at.is_(None))
                .order_by(m.ordered_at)
            )
        ).all()
        return [_lighter(row._mapping) for row in rows]

    async def add(self, measure: LighterMeasure) -> None:
        await self._session.execute(
            insert(lighter_measures).values(
                measure_id=measure.measure_id,
                enforcement_case_id=measure.enforcement_case_id,
                kind=measure.kind.value,
                ordered_at=measure.ordered_at,
                note=measure.note,
                ended_at=measure.ended_at,
                end_reason=measure.end_reason.value if measure.end_reason else None,
            )
        )

    async def save(self, measure: LighterMeasure) -> None:
        await self._session.execute(
            update(lighter_measures)
            .where(lighter_measures.c.measure_id == measure.measure_id)
            .values(
                ended_at=measure.ended_at, end_reason=measure.end_reason.value if measure.end_reason else None
            )
        )

    async def active_by_kind(self) -> dict[str, int]:
        m = lighter_measures.c
        rows = (
            await self._session.execute(
                select(m.kind, func.count()).where(m.ended_at.is_(None)).group_by(m.kind)
            )
        ).all()
        return {kind: int(n) for kind, n in rows}

    async def search(
        self,
        paging: Paging,
        *,
        enforcement_case_id: str | None = None,
        active: bool | None = None,
        department: str | None = None,
    ) -> tuple[list[LighterMeasure], int]:
        """``department``: only the measures on that department's enforcement cases."""
        m = lighter_measures.c
        query = select(lighter_measures).where(
            where_all(
                m.enforcement_case_id == enforcement_case_id if enforcement_case_id else None,
                None if active is None else (m.ended_at.is_(None) if active else m.ended_at.is_not(None)),
                case_of_department(m.enforcement_case_id, department),
            )
        )
        rows, total = await fetch_page(self._session, query, paging, m.ordered_at.desc(), m.measure_id)
        return [_lighter(row) for row in rows], total


async def persons_under_measures(session: AsyncSession) -> int:
    """Enforcement cases with any measure in force (detention or lighter), each counted once."""
    cases = (
        select(detentions.c.enforcement_case_id.label("case_id"))
        .where(detentions.c.ended_at.is_(None))
        .union(
            select(lighter_measures.c.enforcement_case_id.label("case_id")).where(
                lighter_measures.c.ended_at.is_(None)
            )
        )
        .subquery()
    )
    return int(await session.scalar(select(func.count()).select_from(cases)) or 0)


def _lighter(row: Any) -> LighterMeasure:
    return LighterMeasure(
        measure_id=row["measure_id"],
        enforcement_case_id=row["enforcement_case_id"],
        kind=LighterMeasureKind(row["kind"]),
        ordered_at=row["ordered_at"],
        note=row["note"],
        ended_at=row["ended_at"],
        end_reason=LighterMeasureEndReason(row["end_reason"]) if row["end_reason"] else None,
    )


# --------------------------------------------------------------------------- monitor feedback
