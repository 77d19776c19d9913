"""Each application's register of inhibitions (court stays), which its return cases read."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters.orm import (
    inhibitions,
)
from returns.domain.inhibitions import Inhibition, InhibitionRegister


class InhibitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, application_id: str) -> InhibitionRegister:
        rows = await self._session.execute(
            select(inhibitions)
            .where(inhibitions.c.application_id == application_id)
            .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
        )
        return InhibitionRegister(
            application_id=application_id,
            inhibitions=[
                Inhibition(
                    inhibition_id=m["inhibition_id"],
                    court=m["court"],
                    ordered_on=m["ordered_on"],
                    decision_id=m["decision_id"],
                    lifted_on=m["lifted_on"],
                    lifted_by=m["lifted_by"],
                )
                for m in (row._mapping for row in rows)
            ],
        )

    async def for_applications(self, application_ids: list[str]) -> dict[str, InhibitionRegister]:
        registers = {a: InhibitionRegister(a) for a in application_ids}
        if not application_ids:
            return registers
        rows = await self._session.execute(
            select(inhibitions)
            .where(inhibitions.c.application_id.in_(application_ids))
            .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
        )
        for row in rows:
            m = row._mapping
            registers[m["application_id"]].inhibitions.append(
                Inhibition(
                    inhibition_id=m["inhibition_id"],
                    court=m["court"],
                    ordered_on=m["ordered_on"],
                    decision_id=m["decision_id"],
                    lifted_on=m["lifted_on"],
                    lifted_by=m["lifted_by"],
                )
            )
        return registers

    async def save(self, register: InhibitionRegister) -> None:
        await self._session.execute(
            delete(inhibitions).where(inhibitions.c.application_id == register.application_id)
        )
        if register.inhibitions:
            await self._session.execute(
                insert(inhibitions),
                [
                    {
                        "application_id": register.application_id,
                        "inhibition_id": i.inhibition_id,
                        "court": i.court,
                        "ordered_on": i.ordered_on,
                        "decision_id": i.decision_id,
                        "lifted_on": i.lifted_on,
                        "lifted_by": i.lifted_by,
                    }
                    for i in register.inhibitions
                ],
            )
