"""The monitor's decisions on notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from handoff_schemas.events.monitoring import (
    MonitoringDecision,
    MonitoringDecisionReason,
)
from monitoring.adapters.orm import (
    monitoring_decisions,
)
from monitoring.domain.decision import Decision


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, decision: Decision) -> None:
        await self._session.execute(
            insert(monitoring_decisions).values(
                decision_id=decision.decision_id,
                notice_id=decision.notice_id,
                plan_id=decision.plan_id,
                decision=decision.decision.value,
                monitors=list(decision.monitors),
                reason=decision.reason.value,
                decided_at=decision.decided_at,
                decided_by=decision.decided_by,
                sequence=decision.sequence,
            )
        )

    async def get(self, decision_id: str) -> Decision | None:
        return await self._one(monitoring_decisions.c.decision_id == decision_id)

    async def count_for(self, notice_id: str) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(monitoring_decisions)
            .where(monitoring_decisions.c.notice_id == notice_id)
        )
        return int(count or 0)

    async def latest_for(self, notice_ids: Iterable[str] | None = None) -> dict[str, Decision]:
        """The latest decision of each notice (of the given ones, or of all)."""
        query = select(monitoring_decisions)
        if notice_ids is not None:
            ids = sorted(set(notice_ids))
            if not ids:
                return {}
            query = query.where(monitoring_decisions.c.notice_id.in_(ids))
        latest: dict[str, Decision] = {}
        for row in await self._session.execute(query.order_by(monitoring_decisions.c.sequence)):
            decision = _decision(row._mapping)
            latest[decision.notice_id] = decision
        return latest

    async def page(self, paging: Paging, *, notice_id: str | None) -> tuple[list[Decision], int]:
        conditions = [] if notice_id is None else [monitoring_decisions.c.notice_id == notice_id]
        total = await self._session.scalar(
            select(func.count()).select_from(monitoring_decisions).where(*conditions)
        )
        rows = await self._session.execute(
            select(monitoring_decisions)
            .where(*conditions)
            .order_by(
                monitoring_decisions.c.decided_at.desc(),
                monitoring_decisions.c.sequence.desc(),
                monitoring_decisions.c.decision_id,
            )
            .limit(paging.limit)
            .offset(paging.offset)
        )
        return [_decision(row._mapping) for row in rows], int(total or 0)

    async def _one(self, condition: ColumnElement[bool]) -> Decision | None:
        row = (await self._session.execute(select(monitoring_decisions).where(condition))).first()
        return _decision(row._mapping) if row else None


def _decision(row: Any) -> Decision:
    return Decision(
        decision_id=row["decision_id"],
        notice_id=row["notice_id"],
        plan_id=row["plan_id"],
        decision=MonitoringDecision(row["decision"]),
        monitors=tuple(row["monitors"]),
        reason=MonitoringDecisionReason(row["reason"]),
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        sequence=row["sequence"],
    )
