"""Resettlement cases: quota refugees and permit holders waiting for a municipal place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.common import AgeBand, SettlementNeed, Sex
from handoff_schemas.events.resettlement import (
    ResettlementPriority,
    ResettlementSource,
    SubmissionCategory,
)
from resettlement.adapters.orm import (
    case_members,
    cases,
)
from resettlement.domain.case import CaseState, Member, ResettlementCase


@dataclass(frozen=True)
class CaseFilter:
    state: CaseState | None = None
    source: ResettlementSource | None = None
    priority: ResettlementPriority | None = None
    hard_to_place: bool | None = None
    quota_year: int | None = None
    municipality_code: str | None = None


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, case: ResettlementCase) -> None:
        await self._session.execute(insert(cases).values(case_id=case.case_id, **_case_values(case)))
        if case.members:
            await self._session.execute(
                insert(case_members),
                [
                    {
                        "case_id": case.case_id,
                        "member_no": number,
                        "age_band": m.age_band.value,
                        "full_name": m.full_name,
                        "date_of_birth": m.date_of_birth,
                        "sex": m.sex.value if m.sex else None,
                        "nationality": m.nationality,
                        "languages": list(m.languages),
                        "education": m.education,
                    }
                    for number, m in enumerate(case.members, start=1)
                ],
            )

    async def save(self, case: ResettlementCase) -> None:
        await self._session.execute(
            update(cases).where(cases.c.case_id == case.case_id).values(**_case_values(case))
        )

    async def get(
        self, case_id: str, *, with_members: bool = False, for_update: bool = False
    ) -> ResettlementCase | None:
        query = select(cases).where(cases.c.case_id == case_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        case = _case(row._mapping)
        if with_members:
            case.members = await self._members(case_id)
        return case

    async def by_application_id(self, application_id: str) -> ResettlementCase | None:
        row = (
            await self._session.execute(select(cases).where(cases.c.application_id == application_id))
        ).first()
        return _case(row._mapping) if row else None

    async def many(self, case_ids: Iterable[str]) -> dict[str, ResettlementCase]:
        ids = list(set(case_ids))
        found: dict[str, ResettlementCase] = {}
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(
                select(cases).where(cases.c.case_id.in_(ids[start : start + 500]))
            )
            for row in rows:
                case = _case(row._mapping)
                found[case.case_id] = case
        return found

    async def waiting(self, *, for_update: bool = False) -> list[ResettlementCase]:
        query = select(cases).where(cases.c.state == CaseState.WAITING.value).order_by(cases.c.case_id)
        if for_update:
            query = query.with_for_update()
        return [_case(row._mapping) for row in await self._session.execute(query)]

    async def search(self, where: CaseFilter, paging: Paging) -> tuple[list[ResettlementCase], int]:
        query = select(cases).where(*_case_conditions(where)).order_by(cases.c.registered_at, cases.c.case_id)
        rows, total = await fetch_page(self._session, query, paging)
        return [_case(r) for r in rows], total

    async def longest_waiting(
        self, *, hard_to_place: bool | None, paging: Paging
    ) -> tuple[list[ResettlementCase], int]:
        conditions: list[ColumnElement[bool]] = [
            cases.c.state.in_([CaseState.WAITING.value, CaseState.OFFERED.value, CaseState.ACCEPTED.value])
        ]
        if hard_to_place is not None:
            conditions.append(cases.c.hard_to_place.is_(hard_to_place))
        query = select(cases).where(*conditions).order_by(cases.c.waiting_since, cases.c.case_id)
        rows, total = await fetch_page(self._session, query, paging)
        return [_case(r) for r in rows], total

    async def _members(self, case_id: str) -> list[Member]:
        rows = await self._session.execute(
            select(case_members).where(case_members.c.case_id == case_id).order_by(case_members.c.member_no)
        )
        return [
            Member(
                age_band=AgeBand(m["age_band"]),
                full_name=m["full_name"],
                date_of_birth=m["date_of_birth"],
                sex=Sex(m["sex"]) if m["sex"] else None,
                nationality=m["nationality"],
                languages=tuple(m["languages"]),
                education=m["education"],
            )
            for m in (row._mapping for row in rows)
        ]


def _case_conditions(where: CaseFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.state is not None:
        conditions.append(cases.c.state == where.state.value)
    if where.source is not None:
        conditions.append(cases.c.source == where.source.value)
    if where.priority is not None:
        conditions.append(cases.c.priority == where.priority.value)
    if where.hard_to_place is not None:
        conditions.append(cases.c.hard_to_place.is_(where.hard_to_place))
    if where.quota_year is not None:
        conditions.append(cases.c.quota_year == where.quota_year)
    if where.municipality_code is not None:
        conditions.append(cases.c.municipality_code == where.municipality_code)
    return conditions


def _case_values(case: ResettlementCase) -> dict[str, Any]:
    return {
        "source": case.source.value,
        "priority": case.priority.value,
        "state": case.state.value,
        "household_size": case.household_size,
        "age_bands": [b.value for b in case.age_bands],
        "needs": [n.value for n in case.needs],
        "hard_to_place": case.hard_to_place,
        "linked_case_ids": list(case.linked_case_ids),
        "submitted_on": case.submitted_on,
        "registered_at": case.registered_at,
        "quota_year": case.quota_year,
        "submission_category": case.submission_category.value if case.submission_category else None,
        "unhcr_case_number": case.unhcr_case_number,
        "selected_on": case.selected_on,
        "selection_decided_on": case.selection_decided_on,
        "application_id": case.application_id,
        "permit_id": case.permit_id,
        "person_ref": case.person_ref,
        "permit_valid_from": case.permit_valid_from,
        "waiting_since": case.waiting_since,
        "placement_id": case.placement_id,
        "municipality_code": case.municipality_code,
        "county_code": case.county_code,
        "assigned_on": case.assigned_on,
        "arrived_on": case.arrived_on,
        "settled_on": case.settled_on,
    }


def _case(m: Any) -> ResettlementCase:
    return ResettlementCase(
        case_id=m["case_id"],
        source=ResettlementSource(m["source"]),
        priority=ResettlementPriority(m["priority"]),
        household_size=m["household_size"],
        age_bands=[AgeBand(b) for b in m["age_bands"]],
        needs=[SettlementNeed(n) for n in m["needs"]],
        linked_case_ids=list(m["linked_case_ids"]),
        submitted_on=m["submitted_on"],
        registered_at=m["registered_at"],
        state=CaseState(m["state"]),
        quota_year=m["quota_year"],
        submission_category=SubmissionCategory(m["submission_category"])
        if m["submission_category"]
        else None,
        unhcr_case_number=m["unhcr_case_number"],
        selected_on=m["selected_on"],
        selection_decided_on=m["selection_decided_on"],
        application_id=m["application_id"],
        permit_id=m["permit_id"],
        person_ref=m["person_ref"],
        permit_valid_from=m["permit_valid_from"],
        waiting_since=m["waiting_since"],
        placement_id=m["placement_id"],
        municipality_code=m["municipality_code"],
        county_code=m["county_code"],
        assigned_on=m["assigned_on"],
        arrived_on=m["arrived_on"],
        settled_on=m["settled_on"],
    )
