"""What the Police told about each enforcement case: its detentions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.police import (
    DetentionEndReason,
    DetentionGround,
)
from monitoring.adapters.orm import (
    detentions,
    enforcement_cases,
)
from monitoring.adapters.rows import optional, value_of
from monitoring.domain.detention import Detention


class EnforcementRepository:
    """What the Police's enforcement-case stream told: the department and detentions."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def accepted(
        self, *, return_case_id: str, enforcement_case_id: str, department: str, accepted_at: datetime
    ) -> bool:
        if await self.department_of(return_case_id) is not None:
            return False
        await self._session.execute(
            insert(enforcement_cases).values(
                return_case_id=return_case_id,
                enforcement_case_id=enforcement_case_id,
                responsible_department=department,
                accepted_at=accepted_at,
            )
        )
        return True

    async def department_of(self, return_case_id: str) -> str | None:
        department: str | None = await self._session.scalar(
            select(enforcement_cases.c.responsible_department).where(
                enforcement_cases.c.return_case_id == return_case_id
            )
        )
        return department

    async def detention_ordered(self, detention: Detention) -> None:
        known = await self._detention(detention.detention_id)
        values = {
            "return_case_id": detention.return_case_id,
            "ground": value_of(detention.ground),
            "facility": detention.facility,
            "minor": detention.minor,
            "ordered_at": detention.ordered_at,
            "review_due_on": detention.review_due_on,
        }
        if known is None:
            await self._session.execute(
                insert(detentions).values(detention_id=detention.detention_id, **values)
            )
        else:
            await self._session.execute(
                update(detentions).where(detentions.c.detention_id == detention.detention_id).values(**values)
            )

    async def detention_ended(
        self, *, detention_id: str, return_case_id: str, ended_at: datetime, reason: DetentionEndReason
    ) -> None:
        values = {"ended_at": ended_at, "end_reason": reason.value}
        if await self._detention(detention_id) is None:  # the end came first: keep it
            await self._session.execute(
                insert(detentions).values(detention_id=detention_id, return_case_id=return_case_id, **values)
            )
        else:
            await self._session.execute(
                update(detentions).where(detentions.c.detention_id == detention_id).values(**values)
            )

    async def detention_reviewed(
        self, *, detention_id: str, return_case_id: str, next_review_due_on: date
    ) -> None:
        """The detention goes on; its next review is due on ``next_review_due_on``."""
        if await self._detention(detention_id) is None:  # the review came before the order: keep it
            await self._session.execute(
                insert(detentions).values(
                    detention_id=detention_id, return_case_id=return_case_id, review_due_on=next_review_due_on
                )
            )
        else:
            await self._session.execute(
                update(detentions)
                .where(detentions.c.detention_id == detention_id)
                .values(review_due_on=next_review_due_on)
            )

    async def detentions_for(self, return_case_ids: Iterable[str]) -> dict[str, list[Detention]]:
        ids = sorted(set(return_case_ids))
        found: dict[str, list[Detention]] = defaultdict(list)
        if not ids:
            return found
        rows = await self._session.execute(select(detentions).where(detentions.c.return_case_id.in_(ids)))
        for row in rows:
            detention = _detention(row._mapping)
            found[detention.return_case_id].append(detention)
        return found

    async def _detention(self, detention_id: str) -> Detention | None:
        row = (
            await self._session.execute(select(detentions).where(detentions.c.detention_id == detention_id))
        ).first()
        return _detention(row._mapping) if row else None


def _detention(row: Any) -> Detention:
    review: date | None = row["review_due_on"]
    return Detention(
        detention_id=row["detention_id"],
        return_case_id=row["return_case_id"],
        ground=optional(DetentionGround, row["ground"]),
        facility=row["facility"],
        minor=row["minor"],
        ordered_at=row["ordered_at"],
        review_due_on=review,
        ended_at=row["ended_at"],
        end_reason=optional(DetentionEndReason, row["end_reason"]),
    )
