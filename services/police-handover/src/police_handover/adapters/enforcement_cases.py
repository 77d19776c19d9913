"""Enforcement cases: the person, the order and the inhibitions known for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.common import Sex, Vulnerability
from police_handover.adapters.filters import where_all
from police_handover.adapters.inhibitions import InhibitionRepository
from police_handover.adapters.orm import (
    enforcement_cases,
)
from police_handover.domain.enforcement_case import (
    ClosedReason,
    EnforcementCase,
    Person,
)
from police_handover.domain.inhibition import Inhibition

# Built once: every handover the Police receive goes through here.
_INSERT = insert(enforcement_cases)
_UPDATE = update(enforcement_cases).where(
    enforcement_cases.c.enforcement_case_id == bindparam("b_enforcement_case_id")
)


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _load(
        self, condition: ColumnElement[bool], *, for_update: bool = False
    ) -> EnforcementCase | None:
        query = select(enforcement_cases).where(condition)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        known = await InhibitionRepository(self._session).for_application(row._mapping["application_id"])
        return _case(row._mapping, known)

    async def get(self, enforcement_case_id: str, *, for_update: bool = False) -> EnforcementCase | None:
        return await self._load(
            enforcement_cases.c.enforcement_case_id == enforcement_case_id, for_update=for_update
        )

    async def by_return_case(self, return_case_id: str) -> EnforcementCase | None:
        return await self._load(enforcement_cases.c.return_case_id == return_case_id)

    async def by_application(self, application_id: str) -> list[EnforcementCase]:
        ids = (
            await self._session.scalars(
                select(enforcement_cases.c.enforcement_case_id)
                .where(enforcement_cases.c.application_id == application_id)
                .order_by(enforcement_cases.c.accepted_at)
                .with_for_update()
            )
        ).all()
        found = [await self.get(i) for i in ids]
        return [case for case in found if case is not None]

    async def add(self, case: EnforcementCase) -> None:
        for inhibition in case.inhibitions:
            await InhibitionRepository(self._session).save(inhibition)
        await self._session.execute(
            _INSERT,
            {
                "enforcement_case_id": case.enforcement_case_id,
                "return_case_id": case.return_case_id,
                "handover_id": case.handover_id,
                "application_id": case.application_id,
                "person_ref": case.person_ref,
                "date_of_birth": case.person.date_of_birth,
                "sex": case.person.sex.value,
                "nationality": case.person.nationality,
                "vulnerabilities": [v.value for v in case.person.vulnerabilities],
                "destination_country": case.destination_country,
                "enforceable_on": case.enforceable_on,
                "lapses_on": case.lapses_on,
                "responsible_department": case.responsible_department,
                "accepted_at": case.accepted_at,
                "suspended": case.suspended,
                "closed_at": case.closed_at,
                "closed_reason": case.closed_reason.value if case.closed_reason else None,
                "package": case.package,
            },
        )

    async def save(self, case: EnforcementCase) -> None:
        for inhibition in case.inhibitions:
            await InhibitionRepository(self._session).save(inhibition)
        await self._session.execute(
            _UPDATE,
            {
                "b_enforcement_case_id": case.enforcement_case_id,
                "suspended": case.suspended,
                "closed_at": case.closed_at,
                "closed_reason": case.closed_reason.value if case.closed_reason else None,
            },
        )

    async def search(
        self,
        paging: Paging,
        *,
        status: str | None = None,
        department: str | None = None,
        return_case_id: str | None = None,
    ) -> tuple[list[EnforcementCase], int]:
        c = enforcement_cases.c
        by_status = {
            "open": and_(c.closed_at.is_(None), c.suspended.is_(False)),
            "suspended": and_(c.closed_at.is_(None), c.suspended.is_(True)),
            "closed": c.closed_at.is_not(None),
        }
        query = select(enforcement_cases).where(
            where_all(
                by_status[status] if status else None,
                c.responsible_department == department if department else None,
                c.return_case_id == return_case_id if return_case_id else None,
            )
        )
        rows, total = await fetch_page(
            self._session, query, paging, c.accepted_at.desc(), c.enforcement_case_id
        )
        inhibition_repository = InhibitionRepository(self._session)
        return [
            _case(row, await inhibition_repository.for_application(row["application_id"])) for row in rows
        ], total


def _person(row: Any) -> Person:
    return Person(
        date_of_birth=row["date_of_birth"],
        sex=Sex(row["sex"]),
        nationality=row["nationality"],
        vulnerabilities=tuple(Vulnerability(v) for v in row["vulnerabilities"]),
    )


def _case(row: Any, known: list[Inhibition]) -> EnforcementCase:
    return EnforcementCase(
        enforcement_case_id=row["enforcement_case_id"],
        return_case_id=row["return_case_id"],
        handover_id=row["handover_id"],
        application_id=row["application_id"],
        person_ref=row["person_ref"],
        person=_person(row),
        destination_country=row["destination_country"],
        enforceable_on=row["enforceable_on"],
        lapses_on=row["lapses_on"],
        responsible_department=row["responsible_department"],
        accepted_at=row["accepted_at"],
        package=row["package"],
        inhibitions=known,
        closed_at=row["closed_at"],
        closed_reason=ClosedReason(row["closed_reason"]) if row["closed_reason"] else None,
    )


# --------------------------------------------------------------------------- removal plans
