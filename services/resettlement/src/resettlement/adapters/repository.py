"""Loading and storing resettlement's aggregates: cases, quotas, agreements, placements, runs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.common import AgeBand, SettlementNeed, Sex
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    ResettlementPriority,
    ResettlementSource,
    SettlementProfile,
    SubmissionCategory,
)
from resettlement.adapters.orm import (
    agreements,
    case_members,
    cases,
    matching_runs,
    passed_over,
    placements,
    proposals,
    quotas,
    refused_declines,
)
from resettlement.domain.case import CaseState, Member, ResettlementCase
from resettlement.domain.fairness import MatchingRun, PassedOver
from resettlement.domain.matching import Proposal
from resettlement.domain.placement import CONFIRMED, HOLDING_PLACES, Placement, PlacementStatus
from resettlement.domain.places import PlacesAgreement, PlacesTerms, PlacesUsage
from resettlement.domain.quota import Quota, QuotaUsage


@dataclass(frozen=True)
class Page:
    limit: int = 50
    offset: int = 0


async def _page(session: AsyncSession, query: Select[Any], page: Page) -> tuple[list[Any], int]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.limit(page.limit).offset(page.offset))).all()
    return [row._mapping for row in rows], int(total or 0)


# --------------------------------------------------------------------------- quotas


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


# --------------------------------------------------------------------------- cases


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

    async def by_request_id(self, request_id: str) -> ResettlementCase | None:
        row = (await self._session.execute(select(cases).where(cases.c.request_id == request_id))).first()
        return _case(row._mapping) if row else None

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

    async def search(self, where: CaseFilter, page: Page) -> tuple[list[ResettlementCase], int]:
        query = select(cases).where(*_case_conditions(where)).order_by(cases.c.registered_at, cases.c.case_id)
        rows, total = await _page(self._session, query, page)
        return [_case(r) for r in rows], total

    async def longest_waiting(
        self, *, hard_to_place: bool | None, page: Page
    ) -> tuple[list[ResettlementCase], int]:
        conditions: list[ColumnElement[bool]] = [
            cases.c.state.in_([CaseState.WAITING.value, CaseState.OFFERED.value, CaseState.ACCEPTED.value])
        ]
        if hard_to_place is not None:
            conditions.append(cases.c.hard_to_place.is_(hard_to_place))
        query = select(cases).where(*conditions).order_by(cases.c.waiting_since, cases.c.case_id)
        rows, total = await _page(self._session, query, page)
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
        "request_id": case.request_id,
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
        request_id=m["request_id"],
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


# --------------------------------------------------------------------------- agreements


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
                request_id=agreement.request_id,
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

    async def by_request_id(self, request_id: str) -> PlacesAgreement | None:
        row = (
            await self._session.execute(select(agreements).where(agreements.c.request_id == request_id))
        ).first()
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

    async def search(self, where: AgreementFilter, page: Page) -> tuple[list[PlacesAgreement], int]:
        conditions: list[ColumnElement[bool]] = []
        if where.year is not None:
            conditions.append(agreements.c.year == where.year)
        if where.county_code is not None:
            conditions.append(agreements.c.county_code == where.county_code)
        if where.municipality_code is not None:
            conditions.append(agreements.c.municipality_code == where.municipality_code)
        query = (
            select(agreements)
            .where(*conditions)
            .order_by(agreements.c.year, agreements.c.county_code, agreements.c.municipality_code)
        )
        rows, total = await _page(self._session, query, page)
        return [_agreement(r) for r in rows], total


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
        request_id=m["request_id"],
    )


# --------------------------------------------------------------------------- placements


@dataclass(frozen=True)
class PlacementFilter:
    status: PlacementStatus | None = None
    county_code: str | None = None
    municipality_code: str | None = None
    case_id: str | None = None
    agreement_id: str | None = None


class PlacementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, placement: Placement) -> None:
        await self._session.execute(
            insert(placements).values(
                placement_id=placement.placement_id,
                request_id=placement.request_id,
                case_id=placement.case_id,
                agreement_id=placement.agreement_id,
                county_code=placement.county_code,
                municipality_code=placement.municipality_code,
                run_id=placement.run_id,
                household_size=placement.household_size,
                accessible=placement.accessible,
                dwelling=placement.dwelling.value if placement.dwelling else None,
                profile=placement.profile.model_dump(mode="json"),
                offered_at=placement.offered_at,
                offered_by=placement.offered_by,
                answer_due_on=placement.answer_due_on,
                **_placement_state(placement),
            )
        )

    async def save(self, placement: Placement) -> None:
        await self._session.execute(
            update(placements)
            .where(placements.c.placement_id == placement.placement_id)
            .values(**_placement_state(placement))
        )

    async def get(self, placement_id: str, *, for_update: bool = False) -> Placement | None:
        query = select(placements).where(placements.c.placement_id == placement_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _placement(row._mapping) if row else None

    async def by_request_id(self, request_id: str) -> Placement | None:
        row = (
            await self._session.execute(select(placements).where(placements.c.request_id == request_id))
        ).first()
        return _placement(row._mapping) if row else None

    async def confirmed_for(self, case_id: str) -> Placement | None:
        row = (
            await self._session.execute(
                select(placements).where(
                    placements.c.case_id == case_id, placements.c.status.in_([s.value for s in CONFIRMED])
                )
            )
        ).first()
        return _placement(row._mapping) if row else None

    async def search(self, where: PlacementFilter, page: Page) -> tuple[list[Placement], int]:
        conditions: list[ColumnElement[bool]] = []
        if where.status is not None:
            conditions.append(placements.c.status == where.status.value)
        if where.county_code is not None:
            conditions.append(placements.c.county_code == where.county_code)
        if where.municipality_code is not None:
            conditions.append(placements.c.municipality_code == where.municipality_code)
        if where.case_id is not None:
            conditions.append(placements.c.case_id == where.case_id)
        if where.agreement_id is not None:
            conditions.append(placements.c.agreement_id == where.agreement_id)
        query = (
            select(placements).where(*conditions).order_by(placements.c.offered_at, placements.c.placement_id)
        )
        rows, total = await _page(self._session, query, page)
        return [_placement(r) for r in rows], total

    async def usage(self, agreement_ids: Sequence[str]) -> dict[str, PlacesUsage]:
        """What open and confirmed placements hold of each agreement."""
        usage: dict[str, PlacesUsage] = {agreement_id: PlacesUsage() for agreement_id in agreement_ids}
        if not agreement_ids:
            return usage
        rows = await self._session.execute(
            select(
                placements.c.agreement_id,
                placements.c.accessible,
                placements.c.dwelling,
                placements.c.status,
                func.sum(placements.c.household_size),
                func.count(),
            )
            .where(
                placements.c.agreement_id.in_(list(agreement_ids)),
                placements.c.status.in_([s.value for s in HOLDING_PLACES]),
            )
            .group_by(
                placements.c.agreement_id, placements.c.accessible, placements.c.dwelling, placements.c.status
            )
        )
        for agreement_id, accessible, dwelling, status, persons, count in rows:
            held = usage[agreement_id]
            if accessible:
                held.accessible += int(persons)
            else:
                held.general += int(persons)
            if dwelling is not None:
                size = HousingSize(dwelling)
                held.dwellings[size] = held.dwellings.get(size, 0) + int(count)
            if PlacementStatus(status) in CONFIRMED:
                held.confirmed_persons += int(persons)
        return usage

    async def declined_by(self, case_ids: Sequence[str]) -> dict[str, set[str]]:
        """The municipalities that declined each case."""
        return await self._by_case(case_ids, [PlacementStatus.DECLINED], placements.c.municipality_code)

    async def counties_holding(self, case_ids: Sequence[str]) -> dict[str, set[str]]:
        """The counties where each case is offered or placed."""
        return await self._by_case(case_ids, list(HOLDING_PLACES), placements.c.county_code)

    async def _by_case(
        self, case_ids: Sequence[str], statuses: list[PlacementStatus], column: Any
    ) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        ids = list(set(case_ids))
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(
                select(placements.c.case_id, column).where(
                    placements.c.case_id.in_(ids[start : start + 500]),
                    placements.c.status.in_([s.value for s in statuses]),
                )
            )
            for case_id, value in rows:
                found[case_id].add(value)
        return found


def _placement_state(p: Placement) -> dict[str, Any]:
    return {
        "status": p.status.value,
        "answered_at": p.answered_at,
        "decline_reason": p.decline_reason.value if p.decline_reason else None,
        "decline_reason_text": p.decline_reason_text,
        "withdrawn_at": p.withdrawn_at,
        "withdrawal_reason": p.withdrawal_reason,
        "confirmed_at": p.confirmed_at,
        "arrival_planned_on": p.arrival_planned_on,
        "arrived_on": p.arrived_on,
        "settled_on": p.settled_on,
    }


def _placement(m: Any) -> Placement:
    return Placement(
        placement_id=m["placement_id"],
        case_id=m["case_id"],
        agreement_id=m["agreement_id"],
        county_code=m["county_code"],
        municipality_code=m["municipality_code"],
        household_size=m["household_size"],
        accessible=m["accessible"],
        dwelling=HousingSize(m["dwelling"]) if m["dwelling"] else None,
        profile=SettlementProfile.model_validate(m["profile"]),
        status=PlacementStatus(m["status"]),
        offered_at=m["offered_at"],
        offered_by=m["offered_by"],
        answer_due_on=m["answer_due_on"],
        run_id=m["run_id"],
        request_id=m["request_id"],
        answered_at=m["answered_at"],
        decline_reason=DeclineReason(m["decline_reason"]) if m["decline_reason"] else None,
        decline_reason_text=m["decline_reason_text"],
        withdrawn_at=m["withdrawn_at"],
        withdrawal_reason=m["withdrawal_reason"],
        confirmed_at=m["confirmed_at"],
        arrival_planned_on=m["arrival_planned_on"],
        arrived_on=m["arrived_on"],
        settled_on=m["settled_on"],
    )


# --------------------------------------------------------------------------- refused declines


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


# --------------------------------------------------------------------------- matching runs


@dataclass(frozen=True)
class PassedOverFilter:
    county_code: str | None = None
    case_id: str | None = None
    run_id: str | None = None
    year: int | None = None
    binding_only: bool = True


class MatchingRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, run: MatchingRun) -> None:
        await self._session.execute(
            insert(matching_runs).values(
                run_id=run.run_id,
                request_id=run.request_id,
                county_code=run.county_code,
                year=run.year,
                ran_at=run.ran_at,
                ran_by=run.ran_by,
                waiting_cases=run.waiting_cases,
                places=run.places,
                unplaced=run.unplaced,
                offers_sent=run.offers_sent,
            )
        )
        if run.proposals:
            await self._session.execute(
                insert(proposals),
                [
                    {
                        "run_id": run.run_id,
                        "case_id": p.case_id,
                        "position": position,
                        "agreement_id": p.agreement_id,
                        "county_code": p.county_code,
                        "municipality_code": p.municipality_code,
                        "household_size": p.household_size,
                        "accessible": p.accessible,
                        "dwelling": p.dwelling.value if p.dwelling else None,
                        "placement_id": run.placement_ids.get(p.case_id),
                    }
                    for position, p in enumerate(run.proposals, start=1)
                ],
            )
        await PassedOverRepository(self._session).add_all(run.passed_over)

    async def by_request_id(self, request_id: str) -> MatchingRun | None:
        run_id = await self._session.scalar(
            select(matching_runs.c.run_id).where(matching_runs.c.request_id == request_id)
        )
        return await self.get(run_id) if run_id else None

    async def get(self, run_id: str) -> MatchingRun | None:
        row = (
            await self._session.execute(select(matching_runs).where(matching_runs.c.run_id == run_id))
        ).first()
        if row is None:
            return None
        m = row._mapping
        proposal_rows = await self._session.execute(
            select(proposals).where(proposals.c.run_id == run_id).order_by(proposals.c.position)
        )
        found: list[Proposal] = []
        placement_ids: dict[str, str] = {}
        for p in (r._mapping for r in proposal_rows):
            found.append(
                Proposal(
                    case_id=p["case_id"],
                    agreement_id=p["agreement_id"],
                    county_code=p["county_code"],
                    municipality_code=p["municipality_code"],
                    household_size=p["household_size"],
                    accessible=p["accessible"],
                    dwelling=HousingSize(p["dwelling"]) if p["dwelling"] else None,
                )
            )
            if p["placement_id"]:
                placement_ids[p["case_id"]] = p["placement_id"]
        records, _ = await PassedOverRepository(self._session).search(
            PassedOverFilter(run_id=run_id, binding_only=False), Page(limit=100_000)
        )
        return MatchingRun(
            run_id=m["run_id"],
            county_code=m["county_code"],
            year=m["year"],
            ran_at=m["ran_at"],
            ran_by=m["ran_by"],
            waiting_cases=m["waiting_cases"],
            places=m["places"],
            proposals=found,
            passed_over=records,
            unplaced=m["unplaced"],
            offers_sent=m["offers_sent"],
            request_id=m["request_id"],
            placement_ids=placement_ids,
        )


class PassedOverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_all(self, records: Sequence[PassedOver]) -> None:
        if not records:
            return
        await self._session.execute(
            insert(passed_over),
            [
                {
                    "record_id": r.record_id,
                    "case_id": r.case_id,
                    "priority": r.priority.value,
                    "waiting_since": r.waiting_since,
                    "passed_at": r.passed_at,
                    "passed_by": r.passed_by,
                    "county_code": r.county_code,
                    "reasons": list(r.reasons),
                    "detail": r.detail,
                    "overtaken_by": r.overtaken_by,
                    "run_id": r.run_id,
                    "placement_id": r.placement_id,
                    "binding": r.binding,
                }
                for r in records
            ],
        )

    async def search(self, where: PassedOverFilter, page: Page) -> tuple[list[PassedOver], int]:
        conditions: list[ColumnElement[bool]] = []
        if where.county_code is not None:
            conditions.append(passed_over.c.county_code == where.county_code)
        if where.case_id is not None:
            conditions.append(passed_over.c.case_id == where.case_id)
        if where.run_id is not None:
            conditions.append(passed_over.c.run_id == where.run_id)
        if where.binding_only:
            conditions.append(passed_over.c.binding.is_(True))
        if where.year is not None:
            conditions.append(passed_over.c.passed_at >= datetime(where.year, 1, 1, tzinfo=UTC))
            conditions.append(passed_over.c.passed_at < datetime(where.year + 1, 1, 1, tzinfo=UTC))
        query = (
            select(passed_over).where(*conditions).order_by(passed_over.c.passed_at, passed_over.c.record_id)
        )
        rows, total = await _page(self._session, query, page)
        records = [
            PassedOver(
                record_id=m["record_id"],
                case_id=m["case_id"],
                priority=ResettlementPriority(m["priority"]),
                waiting_since=m["waiting_since"],
                passed_at=m["passed_at"],
                passed_by=m["passed_by"],
                county_code=m["county_code"],
                reasons=tuple(m["reasons"]),
                detail=m["detail"],
                overtaken_by=m["overtaken_by"],
                run_id=m["run_id"],
                placement_id=m["placement_id"],
                binding=m["binding"],
            )
            for m in rows
        ]
        return records, total

    async def counts(self, case_ids: Sequence[str]) -> dict[str, int]:
        if not case_ids:
            return {}
        rows = await self._session.execute(
            select(passed_over.c.case_id, func.count())
            .where(passed_over.c.case_id.in_(list(case_ids)), passed_over.c.binding.is_(True))
            .group_by(passed_over.c.case_id)
        )
        return {case_id: int(n) for case_id, n in rows}


__all__ = [
    "AgreementFilter",
    "AgreementRepository",
    "CaseFilter",
    "CaseRepository",
    "MatchingRunRepository",
    "Page",
    "PassedOverFilter",
    "PassedOverRepository",
    "PlacementFilter",
    "PlacementRepository",
    "QuotaRepository",
    "RefusedDeclineRecord",
    "RefusedDeclineRepository",
]
