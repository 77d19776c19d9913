"""Declines the rules refused (a protected ground), kept for the fairness audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from resettlement.adapters.orm import (
    refused_declines,
)


@dataclass(frozen=True)
class RefusedDeclineRecord:
    attempt_id: str
    placement_id: str
    case_id: str
    county_code: str
    municipality_code: str
    attempted_at: datetime
    field: str
    ground: str
    reason: str
    reason_text: str


class RefusedDeclineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, record: RefusedDeclineRecord) -> None:
        await self._session.execute(insert(refused_declines).values(**record.__dict__))
