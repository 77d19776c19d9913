"""How the Dublin transfers of applications ended, as intake reported them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.returns_steps import ReturnCaseClosure
from returns.adapters.orm import dublin_outcomes


class DublinOutcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, application_id: str) -> tuple[ReturnCaseClosure, date] | None:
        row = (
            await self._session.execute(
                select(dublin_outcomes).where(dublin_outcomes.c.application_id == application_id)
            )
        ).first()
        return (ReturnCaseClosure(row.closure), row.on_date) if row else None

    async def all(self) -> dict[str, tuple[ReturnCaseClosure, date]]:
        rows = await self._session.execute(select(dublin_outcomes))
        return {row.application_id: (ReturnCaseClosure(row.closure), row.on_date) for row in rows}

    async def record(self, application_id: str, closure: ReturnCaseClosure, on: date) -> bool:
        """Remember how the transfer ended; False if it was known already."""
        if await self.get(application_id) is not None:
            return False
        await self._session.execute(
            insert(dublin_outcomes).values(application_id=application_id, closure=closure.value, on_date=on)
        )
        return True
