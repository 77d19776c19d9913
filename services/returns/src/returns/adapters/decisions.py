"""Decisions on applications, as references for the handover package."""

from __future__ import annotations

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.intake import DecisionOutcome
from returns.adapters.orm import (
    decisions,
)
from returns.domain.applicant import DecisionRecord


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, decision_id: str) -> DecisionRecord | None:
        row = (
            await self._session.execute(select(decisions).where(decisions.c.decision_id == decision_id))
        ).first()
        return _decision(row._mapping) if row else None

    async def add(self, record: DecisionRecord) -> None:
        await self._session.execute(
            insert(decisions).values(
                decision_id=record.decision_id,
                application_id=record.application_id,
                decided_on=record.decided_on,
                decided_by=record.decided_by,
                outcome=record.outcome.value,
                destination_country=record.destination_country,
            )
        )

    async def decided_by(self, decision_id: str, authority: str) -> None:
        """The enforceable decision is this authority's (a court's, when it was appealed)."""
        await self._session.execute(
            update(decisions).where(decisions.c.decision_id == decision_id).values(decided_by=authority)
        )

    async def for_application(self, application_id: str) -> tuple[DecisionRecord, ...]:
        rows = await self._session.execute(
            select(decisions)
            .where(decisions.c.application_id == application_id)
            .order_by(decisions.c.decided_on, decisions.c.decision_id)
        )
        return tuple(_decision(row._mapping) for row in rows)


def _decision(m: RowMapping) -> DecisionRecord:
    return DecisionRecord(
        decision_id=m["decision_id"],
        application_id=m["application_id"],
        decided_on=m["decided_on"],
        decided_by=m["decided_by"],
        outcome=DecisionOutcome(m["outcome"]),
        destination_country=m["destination_country"],
    )
