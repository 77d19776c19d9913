"""The lighter measures the Police told of, per return case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.police_measures import LighterMeasureEndReason, LighterMeasureKind
from monitoring.adapters.orm import lighter_measures
from monitoring.adapters.rows import optional
from monitoring.domain.lighter_measure import LighterMeasure


class LighterMeasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, measure: LighterMeasure) -> None:
        """Record what is known of a measure; an end that came before its order is kept."""
        known = await self._session.scalar(
            select(lighter_measures.c.measure_id).where(lighter_measures.c.measure_id == measure.measure_id)
        )
        values = {
            "return_case_id": measure.return_case_id,
            "kind": measure.kind.value,
            **({"ordered_at": measure.ordered_at} if measure.ordered_at else {}),
            **({"ended_at": measure.ended_at} if measure.ended_at else {}),
            **({"end_reason": measure.end_reason.value} if measure.end_reason else {}),
        }
        if known is None:
            await self._session.execute(
                insert(lighter_measures).values(measure_id=measure.measure_id, **values)
            )
        else:
            await self._session.execute(
                update(lighter_measures)
                .where(lighter_measures.c.measure_id == measure.measure_id)
                .values(**values)
            )

    async def for_cases(self, return_case_ids: Iterable[str]) -> dict[str, list[LighterMeasure]]:
        ids = sorted(set(return_case_ids))
        found: dict[str, list[LighterMeasure]] = defaultdict(list)
        if not ids:
            return found
        rows = await self._session.execute(
            select(lighter_measures).where(lighter_measures.c.return_case_id.in_(ids))
        )
        for m in (row._mapping for row in rows):
            found[m["return_case_id"]].append(
                LighterMeasure(
                    measure_id=m["measure_id"],
                    return_case_id=m["return_case_id"],
                    kind=LighterMeasureKind(m["kind"]),
                    ordered_at=m["ordered_at"],
                    ended_at=m["ended_at"],
                    end_reason=optional(LighterMeasureEndReason, m["end_reason"]),
                )
            )
        return found
