"""The annual quotas and how much of each is used."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.resettlement import (
    ResettlementPriority,
)
from resettlement.adapters.orm import (
    cases,
    quotas,
)
from resettlement.domain.quota import Quota, QuotaUsage


class QuotaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, year: int) -> Quota | None:
        row = (await self._session.execute(select(quotas).where(quotas.c.year == year))).first()
        if row is None:
            return None
        m = row._mapping
        return Quota(m["year"], m["total_places"], m["emergency_reserve"], m["set_at"], m["set_by"])

    async def put(self, quota: Quota) -> None:
        values = {
            "total_places": quota.total_places,
            "emergency_reserve": quota.emergency_reserve,
            "set_at": quota.set_at,
            "set_by": quota.set_by or "",
        }
        updated = await self._session.execute(
            update(quotas).where(quotas.c.year == quota.year).values(**values)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            await self._session.execute(insert(quotas).values(year=quota.year, **values))

    async def usage(self, year: int) -> QuotaUsage:
        rows = await self._session.execute(
            select(cases.c.priority, func.coalesce(func.sum(cases.c.household_size), 0), func.count())
            .where(cases.c.quota_year == year, cases.c.selected_on.is_not(None))
            .group_by(cases.c.priority)
        )
        usage = QuotaUsage()
        for priority, persons, count in rows:
            usage.persons[ResettlementPriority(priority)] = int(persons)
            usage.cases[ResettlementPriority(priority)] = int(count)
        return usage
