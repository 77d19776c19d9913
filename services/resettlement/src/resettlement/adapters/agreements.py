"""Municipal places agreements between county boards and municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.resettlement import (
    HousingSize,
)
from resettlement.adapters.orm import (
    agreements,
)
from resettlement.domain.places import PlacesAgreement, PlacesTerms


@dataclass(frozen=True)
class AgreementFilter:
    year: int | None = None
    county_code: str | None = None
    municipality_code: str | None = None


class AgreementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, agreement: PlacesAgreement) -> None:
        await self._session.execute(
            insert(agreements).values(
                agreement_id=agreement.agreement_id,
                county_code=agreement.county_code,
                municipality_code=agreement.municipality_code,
                year=agreement.year,
                recorded_at=agreement.recorded_at,
                recorded_by=agreement.recorded_by,
                **_terms_values(agreement),
            )
        )

    async def save(self, agreement: PlacesAgreement) -> None:
        await self._session.execute(
            update(agreements)
            .where(agreements.c.agreement_id == agreement.agreement_id)
            .values(**_terms_values(agreement))
        )

    async def get(self, agreement_id: str, *, for_update: bool = False) -> PlacesAgreement | None:
        query = select(agreements).where(agreements.c.agreement_id == agreement_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _agreement(row._mapping) if row else None

    async def for_county(
        self, county_code: str, year: int, *, for_update: bool = False
    ) -> list[PlacesAgreement]:
        query = (
            select(agreements)
            .where(agreements.c.county_code == county_code, agreements.c.year == year)
            .order_by(agreements.c.municipality_code)
        )
        if for_update:
            query = query.with_for_update()
        return [_agreement(row._mapping) for row in await self._session.execute(query)]

    async def search(self, where: AgreementFilter, paging: Paging) -> tuple[list[PlacesAgreement], int]:
        rows, total = await fetch_page(self._session, _matching(where), paging)
        return [_agreement(r) for r in rows], total

    async def all(self, where: AgreementFilter) -> list[PlacesAgreement]:
        """Every agreement that matches (for reports, which cover a county's whole year)."""
        return [_agreement(r._mapping) for r in await self._session.execute(_matching(where))]


def _matching(where: AgreementFilter) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if where.year is not None:
        conditions.append(agreements.c.year == where.year)
    if where.county_code is not None:
        conditions.append(agreements.c.county_code == where.county_code)
    if where.municipality_code is not None:
        conditions.append(agreements.c.municipality_code == where.municipality_code)
    return (
        select(agreements)
        .where(*conditions)
        .order_by(agreements.c.year, agreements.c.county_code, agreements.c.municipality_code)
    )


def _terms_values(agreement: PlacesAgreement) -> dict[str, Any]:
    t = agreement.terms
    return {
        "agreed_on": t.agreed_on,
        "agreed_places": t.agreed_places,
        "assignable_places": t.assignable_places,
        "accessible_places": t.accessible_places,
        "dwellings": [{"size": size.value, "dwellings": n} for size, n in t.dwellings.items()],
        "specialist_care_access": t.specialist_care_access,
        "receives_unaccompanied_minors": t.receives_unaccompanied_minors,
        "revised_at": agreement.revised_at,
    }


def _agreement(m: Any) -> PlacesAgreement:
    return PlacesAgreement(
        agreement_id=m["agreement_id"],
        county_code=m["county_code"],
        municipality_code=m["municipality_code"],
        year=m["year"],
        terms=PlacesTerms(
            agreed_on=m["agreed_on"],
            agreed_places=m["agreed_places"],
            assignable_places=m["assignable_places"],
            accessible_places=m["accessible_places"],
            dwellings={HousingSize(d["size"]): int(d["dwellings"]) for d in m["dwellings"]},
            specialist_care_access=m["specialist_care_access"],
            receives_unaccompanied_minors=m["receives_unaccompanied_minors"],
        ),
        recorded_at=m["recorded_at"],
        revised_at=m["revised_at"],
        recorded_by=m["recorded_by"],
    )
