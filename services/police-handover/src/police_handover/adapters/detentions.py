"""Detentions, with a lock per facility so that two orders never overfill it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.police import (
    DetentionEndReason,
    DetentionGround,
)
from police_handover.adapters.filters import case_of_department, where_all
from police_handover.adapters.orm import (
    detentions,
    facility_locks,
)
from police_handover.domain.measures import (
    Detention,
)


class DetentionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_facility(self, facility: str) -> None:
        """Serialise detention orders at one facility (PostgreSQL row lock; SQLite locks the file)."""
        dialect = self._session.get_bind().dialect.name
        statement: Any = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(facility_locks)
        await self._session.execute(statement.values(facility=facility).on_conflict_do_nothing())
        await self._session.execute(
            select(facility_locks).where(facility_locks.c.facility == facility).with_for_update()
        )

    async def occupied(self, facility: str) -> int:
        count = await self._session.scalar(
            select(func.count()).where(detentions.c.facility == facility, detentions.c.ended_at.is_(None))
        )
        return int(count or 0)

    async def occupancy(self) -> dict[str, int]:
        rows = (
            await self._session.execute(
                select(detentions.c.facility, func.count())
                .where(detentions.c.ended_at.is_(None))
                .group_by(detentions.c.facility)
            )
        ).all()
        return {facility: int(n) for facility, n in rows}

    async def active_counts(self, today: date) -> tuple[int, int]:
        """(minors detained, detentions whose review is overdue)."""
        d = detentions.c
        minors = await self._session.scalar(
            select(func.count()).where(d.ended_at.is_(None), d.minor.is_(True))
        )
        overdue = await self._session.scalar(
            select(func.count()).where(d.ended_at.is_(None), d.review_due_on < today)
        )
        return int(minors or 0), int(overdue or 0)

    async def get(self, detention_id: str, *, for_update: bool = False) -> Detention | None:
        query = select(detentions).where(detentions.c.detention_id == detention_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _detention(row._mapping) if row else None

    async def active_for_case(self, enforcement_case_id: str) -> list[Detention]:
        rows = (
            await self._session.execute(
                select(detentions).where(
                    detentions.c.enforcement_case_id == enforcement_case_id, detentions.c.ended_at.is_(None)
                )
            )
        ).all()
        return [_detention(row._mapping) for row in rows]

    async def add(self, detention: Detention) -> None:
        await self._session.execute(
            insert(detentions).values(
                detention_id=detention.detention_id,
                enforcement_case_id=detention.enforcement_case_id,
                return_case_id=detention.return_case_id,
                facility=detention.facility,
                ground=detention.ground.value,
                ordered_at=detention.ordered_at,
                minor=detention.minor,
                unaccompanied_minor_reason=detention.unaccompanied_minor_reason,
                **_detention_values(detention),
            )
        )

    async def save(self, detention: Detention) -> None:
        await self._session.execute(
            update(detentions)
            .where(detentions.c.detention_id == detention.detention_id)
            .values(**_detention_values(detention))
        )

    async def search(
        self,
        paging: Paging,
        *,
        facility: str | None = None,
        active: bool | None = None,
        enforcement_case_id: str | None = None,
        department: str | None = None,
    ) -> tuple[list[Detention], int]:
        """``department``: only the detentions on that department's enforcement cases."""
        d = detentions.c
        query = select(detentions).where(
            where_all(
                d.facility == facility if facility else None,
                None if active is None else (d.ended_at.is_(None) if active else d.ended_at.is_not(None)),
                d.enforcement_case_id == enforcement_case_id if enforcement_case_id else None,
                case_of_department(d.enforcement_case_id, department),
            )
        )
        rows, total = await fetch_page(self._session, query, paging, d.ordered_at.desc(), d.detention_id)
        return [_detention(row) for row in rows], total


def _detention_values(detention: Detention) -> dict[str, Any]:
    return {
        "review_due_on": detention.review_due_on,
        "reviews": [day.isoformat() for day in detention.reviews],
        "ended_at": detention.ended_at,
        "end_reason": detention.end_reason.value if detention.end_reason else None,
    }


def _detention(row: Any) -> Detention:
    return Detention(
        detention_id=row["detention_id"],
        enforcement_case_id=row["enforcement_case_id"],
        return_case_id=row["return_case_id"],
        facility=row["facility"],
        ground=DetentionGround(row["ground"]),
        ordered_at=row["ordered_at"],
        review_due_on=row["review_due_on"],
        minor=row["minor"],
        unaccompanied_minor_reason=row["unaccompanied_minor_reason"],
        reviews=[date.fromisoformat(day) for day in row["reviews"]],
        ended_at=row["ended_at"],
        end_reason=DetentionEndReason(row["end_reason"]) if row["end_reason"] else None,
    )
