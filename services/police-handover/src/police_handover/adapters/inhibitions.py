"""Inhibitions (court stays) the Police know of, from the handover package and from intake."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from police_handover.adapters.orm import (
    inhibitions,
)
from police_handover.domain.inhibition import Inhibition, InhibitionSource

# Built once: every handover and every intake inhibition event goes through here.
_INSERT = insert(inhibitions)
_UPDATE = update(inhibitions).where(inhibitions.c.inhibition_id == bindparam("b_inhibition_id"))
_BY_ID = select(inhibitions).where(inhibitions.c.inhibition_id == bindparam("inhibition_id"))
_FOR_APPLICATION = (
    select(inhibitions)
    .where(inhibitions.c.application_id == bindparam("application_id"))
    .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
)


class InhibitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_application(self, application_id: str) -> list[Inhibition]:
        rows = (await self._session.execute(_FOR_APPLICATION, {"application_id": application_id})).all()
        return [_inhibition(row._mapping) for row in rows]

    async def get(self, inhibition_id: str) -> Inhibition | None:
        row = (await self._session.execute(_BY_ID, {"inhibition_id": inhibition_id})).first()
        return _inhibition(row._mapping) if row else None

    async def save(self, inhibition: Inhibition) -> None:
        values = {
            "application_id": inhibition.application_id,
            "court": inhibition.court,
            "ordered_on": inhibition.ordered_on,
            "lifted_on": inhibition.lifted_on,
            "source": inhibition.source.value,
        }
        if await self.get(inhibition.inhibition_id) is None:
            await self._session.execute(_INSERT, {"inhibition_id": inhibition.inhibition_id, **values})
        else:
            await self._session.execute(_UPDATE, {"b_inhibition_id": inhibition.inhibition_id, **values})


def _inhibition(row: Any) -> Inhibition:
    return Inhibition(
        inhibition_id=row["inhibition_id"],
        application_id=row["application_id"],
        court=row["court"],
        ordered_on=row["ordered_on"],
        lifted_on=row["lifted_on"],
        source=InhibitionSource(row["source"]),
    )


# --------------------------------------------------------------------------- enforcement cases
