"""Read models for the follow-up: the rows the reports are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from resettlement.adapters.agreements import AgreementFilter, AgreementRepository
from resettlement.adapters.orm import cases, placements, refused_declines
from resettlement.domain.case import UNPLACED_STATES
from resettlement.domain.places import PlacesAgreement


@dataclass(frozen=True)
class CaseDates:
    source: str
    county_code: str | None
    municipality_code: str | None
    waiting_since: date | None
    assigned_on: date | None
    settled_on: date | None


async def placed_cases(
    session: AsyncSession, *, year: int, county_code: str | None, municipality_code: str | None
) -> list[CaseDates]:
    """Cases assigned or settled in ``year`` (in the given county or municipality)."""
    conditions: list[ColumnElement[bool]] = [cases.c.assigned_on.is_not(None)]
    if county_code is not None:
        conditions.append(cases.c.county_code == county_code)
    if municipality_code is not None:
        conditions.append(cases.c.municipality_code == municipality_code)
    start, end = date(year, 1, 1), date(year, 12, 31)
    conditions.append(
        ((cases.c.assigned_on >= start) & (cases.c.assigned_on <= end))
        | ((cases.c.settled_on >= start) & (cases.c.settled_on <= end))
    )
    rows = await session.execute(
        select(
            cases.c.source,
            cases.c.county_code,
            cases.c.municipality_code,
            cases.c.waiting_since,
            cases.c.assigned_on,
            cases.c.settled_on,
        ).where(*conditions)
    )
    return [CaseDates(*row) for row in rows]


async def waiting_since_dates(session: AsyncSession) -> list[date]:
    rows = await session.execute(
        select(cases.c.waiting_since).where(cases.c.state.in_([s.value for s in UNPLACED_STATES]))
    )
    return [day for (day,) in rows if day is not None]


async def agreements_of(
    session: AsyncSession, *, year: int, county_code: str | None
) -> list[PlacesAgreement]:
    return await AgreementRepository(session).all(AgreementFilter(year=year, county_code=county_code))


async def placements_of(session: AsyncSession, agreement_ids: list[str], until: datetime) -> list[Any]:
    """Every placement under the agreements offered up to ``until``."""
    if not agreement_ids:
        return []
    rows = await session.execute(
        select(placements).where(
            placements.c.agreement_id.in_(agreement_ids), placements.c.offered_at <= until
        )
    )
    return [row._mapping for row in rows]


async def refused_declines_between(
    session: AsyncSession, *, start: datetime, end: datetime, county_code: str | None
) -> list[Any]:
    conditions: list[ColumnElement[bool]] = [
        refused_declines.c.attempted_at >= start,
        refused_declines.c.attempted_at <= end,
    ]
    if county_code is not None:
        conditions.append(refused_declines.c.county_code == county_code)
    rows = await session.execute(
        select(refused_declines).where(*conditions).order_by(refused_declines.c.attempted_at)
    )
    return [row._mapping for row in rows]
