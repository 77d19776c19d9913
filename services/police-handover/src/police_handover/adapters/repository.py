"""Loading and storing the Police's aggregates (SQLAlchemy Core, inside the unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.common import Sex, Transport, Vulnerability
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    DetentionEndReason,
    DetentionGround,
    EscortLevel,
    MissingItem,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    Restraint,
)
from police_handover.adapters.orm import (
    detentions,
    enforcement_cases,
    facility_locks,
    handovers,
    inhibitions,
    lighter_measures,
    monitor_feedback,
    removal_plans,
)
from police_handover.domain.enforcement_case import (
    ClosedReason,
    EnforcementCase,
    HandoverOutcome,
    HandoverRecord,
    Person,
)
from police_handover.domain.inhibition import Inhibition, InhibitionSource
from police_handover.domain.measures import (
    Detention,
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
)
from police_handover.domain.monitoring import Acknowledgement, Decision, Lateness, MonitorFeedback, Report
from police_handover.domain.removal_plan import Ending, Execution, PlanDetails, PlanStatus, RemovalPlan


@dataclass(frozen=True)
class Paging:
    limit: int = 50
    offset: int = 0


async def _page(
    session: AsyncSession, query: Select[Any], paging: Paging, *order: Any
) -> tuple[list[Any], int]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.order_by(*order).limit(paging.limit).offset(paging.offset))).all()
    return [row._mapping for row in rows], int(total or 0)


def _where(*conditions: ColumnElement[bool] | None) -> ColumnElement[bool]:
    present = [c for c in conditions if c is not None]
    return and_(True, *present)


# --------------------------------------------------------------------------- handovers


class HandoverRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, handover_id: str) -> HandoverRecord | None:
        row = (
            await self._session.execute(select(handovers).where(handovers.c.handover_id == handover_id))
        ).first()
        return _handover(row._mapping) if row else None

    async def add(self, record: HandoverRecord) -> None:
        await self._session.execute(
            insert(handovers).values(
                handover_id=record.handover_id,
                return_case_id=record.return_case_id,
                application_id=record.application_id,
                handed_over_at=record.handed_over_at,
                received_at=record.received_at,
                outcome=record.outcome.value,
                missing=[item.model_dump(mode="json") for item in record.missing],
                enforcement_case_id=record.enforcement_case_id,
            )
        )

    async def search(
        self, paging: Paging, *, outcome: HandoverOutcome | None = None, return_case_id: str | None = None
    ) -> tuple[list[HandoverRecord], int]:
        query = select(handovers).where(
            _where(
                handovers.c.outcome == outcome.value if outcome else None,
                handovers.c.return_case_id == return_case_id if return_case_id else None,
            )
        )
        rows, total = await _page(
            self._session, query, paging, handovers.c.received_at.desc(), handovers.c.handover_id
        )
        return [_handover(row) for row in rows], total


def _handover(row: Any) -> HandoverRecord:
    return HandoverRecord(
        handover_id=row["handover_id"],
        return_case_id=row["return_case_id"],
        application_id=row["application_id"],
        handed_over_at=row["handed_over_at"],
        received_at=row["received_at"],
        outcome=HandoverOutcome(row["outcome"]),
        missing=tuple(MissingItem.model_validate(item) for item in row["missing"]),
        enforcement_case_id=row["enforcement_case_id"],
    )


# --------------------------------------------------------------------------- inhibitions


class InhibitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_application(self, application_id: str) -> list[Inhibition]:
        rows = (
            await self._session.execute(
                select(inhibitions)
                .where(inhibitions.c.application_id == application_id)
                .order_by(inhibitions.c.ordered_on, inhibitions.c.inhibition_id)
            )
        ).all()
        return [_inhibition(row._mapping) for row in rows]

    async def get(self, inhibition_id: str) -> Inhibition | None:
        row = (
            await self._session.execute(
                select(inhibitions).where(inhibitions.c.inhibition_id == inhibition_id)
            )
        ).first()
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
            await self._session.execute(
                insert(inhibitions).values(inhibition_id=inhibition.inhibition_id, **values)
            )
        else:
            await self._session.execute(
                update(inhibitions)
                .where(inhibitions.c.inhibition_id == inhibition.inhibition_id)
                .values(**values)
            )


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
            insert(enforcement_cases).values(
                enforcement_case_id=case.enforcement_case_id,
                return_case_id=case.return_case_id,
                handover_id=case.handover_id,
                application_id=case.application_id,
                person_ref=case.person_ref,
                date_of_birth=case.person.date_of_birth,
                sex=case.person.sex.value,
                nationality=case.person.nationality,
                vulnerabilities=[v.value for v in case.person.vulnerabilities],
                destination_country=case.destination_country,
                enforceable_on=case.enforceable_on,
                lapses_on=case.lapses_on,
                responsible_department=case.responsible_department,
                accepted_at=case.accepted_at,
                suspended=case.suspended,
                closed_at=case.closed_at,
                closed_reason=case.closed_reason.value if case.closed_reason else None,
                package=case.package,
            )
        )

    async def save(self, case: EnforcementCase) -> None:
        for inhibition in case.inhibitions:
            await InhibitionRepository(self._session).save(inhibition)
        await self._session.execute(
            update(enforcement_cases)
            .where(enforcement_cases.c.enforcement_case_id == case.enforcement_case_id)
            .values(
                suspended=case.suspended,
                closed_at=case.closed_at,
                closed_reason=case.closed_reason.value if case.closed_reason else None,
            )
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
            _where(
                by_status[status] if status else None,
                c.responsible_department == department if department else None,
                c.return_case_id == return_case_id if return_case_id else None,
            )
        )
        rows, total = await _page(self._session, query, paging, c.accepted_at.desc(), c.enforcement_case_id)
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


@dataclass(frozen=True)
class PlanFilter:
    status: PlanStatus | None = None
    department: str | None = None
    enforcement_case_id: str | None = None
    return_case_id: str | None = None
    transport: Transport | None = None
    departure_from: datetime | None = None
    departure_until: datetime | None = None


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _query(self) -> Select[Any]:
        c = enforcement_cases.c
        return select(
            removal_plans,
            c.date_of_birth,
            c.sex,
            c.nationality,
            c.vulnerabilities.label("case_vulnerabilities"),
        ).join(
            enforcement_cases, enforcement_cases.c.enforcement_case_id == removal_plans.c.enforcement_case_id
        )

    async def get(self, plan_id: str, *, for_update: bool = False) -> RemovalPlan | None:
        query = self._query().where(removal_plans.c.plan_id == plan_id)
        if for_update:
            query = query.with_for_update(of=removal_plans)
        row = (await self._session.execute(query)).first()
        return _plan(row._mapping) if row else None

    async def by_request_id(self, request_id: str) -> RemovalPlan | None:
        row = (
            await self._session.execute(self._query().where(removal_plans.c.request_id == request_id))
        ).first()
        return _plan(row._mapping) if row else None

    async def active_for_case(self, enforcement_case_id: str) -> list[RemovalPlan]:
        rows = (
            await self._session.execute(
                self._query()
                .where(
                    removal_plans.c.enforcement_case_id == enforcement_case_id,
                    removal_plans.c.status.in_([PlanStatus.PLANNED.value, PlanStatus.UPDATED.value]),
                )
                .order_by(removal_plans.c.created_at)
            )
        ).all()
        return [_plan(row._mapping) for row in rows]

    async def add(self, plan: RemovalPlan) -> None:
        await self._session.execute(
            insert(removal_plans).values(
                plan_id=plan.plan_id,
                request_id=plan.request_id,
                enforcement_case_id=plan.enforcement_case_id,
                return_case_id=plan.return_case_id,
                person_ref=plan.person_ref,
                created_at=plan.created_at,
                **_plan_values(plan),
            )
        )

    async def save(self, plan: RemovalPlan) -> None:
        await self._session.execute(
            update(removal_plans).where(removal_plans.c.plan_id == plan.plan_id).values(**_plan_values(plan))
        )

    async def search(self, paging: Paging, where: PlanFilter) -> tuple[list[RemovalPlan], int]:
        p = removal_plans.c
        query = self._query().where(
            _where(
                p.status == where.status.value if where.status else None,
                p.responsible_department == where.department if where.department else None,
                p.enforcement_case_id == where.enforcement_case_id if where.enforcement_case_id else None,
                p.return_case_id == where.return_case_id if where.return_case_id else None,
                p.transport == where.transport.value if where.transport else None,
                p.planned_departure >= where.departure_from if where.departure_from else None,
                p.planned_departure < where.departure_until if where.departure_until else None,
            )
        )
        rows, total = await _page(self._session, query, paging, p.planned_departure, p.plan_id)
        return [_plan(row) for row in rows], total

    async def counts(self) -> list[tuple[str, str, str, int]]:
        """(status, department, transport, count) over every plan."""
        p = removal_plans.c
        rows = (
            await self._session.execute(
                select(p.status, p.responsible_department, p.transport, func.count()).group_by(
                    p.status, p.responsible_department, p.transport
                )
            )
        ).all()
        return [(status, department, transport, int(n)) for status, department, transport, n in rows]


def _plan_values(plan: RemovalPlan) -> dict[str, Any]:
    d = plan.details
    execution = plan.execution
    ending = plan.ending
    return {
        "status": plan.status.value,
        "revision": plan.revision,
        "destination_country": d.destination_country,
        "transit_countries": list(d.transit_countries),
        "readmission_basis": d.readmission_basis.value,
        "transport": d.transport.value,
        "escort_level": d.escort_level.value,
        "planned_departure": d.planned_departure,
        "responsible_department": d.responsible_department,
        "measure": d.measure.value,
        "vulnerabilities": [v.value for v in d.vulnerabilities],
        "precautions": [{"precaution": p.value, "status": s.value} for p, s in d.precautions.items()],
        "updated_at": plan.updated_at,
        "executed_at": execution.executed_at if execution else None,
        "use_of_force": execution.use_of_force if execution else None,
        "restraints_used": [r.value for r in execution.restraints_used] if execution else None,
        "incidents": list(execution.incidents) if execution else None,
        "ended_at": ending.at if ending else None,
        "end_reason": ending.reason.value if ending else None,
        "at_departure": ending.at_departure if ending else None,
        "note": ending.note if ending else None,
    }


def _plan(row: Any) -> RemovalPlan:
    status = PlanStatus(row["status"])
    execution = None
    if row["executed_at"] is not None:
        execution = Execution(
            executed_at=row["executed_at"],
            use_of_force=bool(row["use_of_force"]),
            restraints_used=tuple(Restraint(r) for r in row["restraints_used"] or ()),
            incidents=tuple(row["incidents"] or ()),
        )
    ending = None
    if row["ended_at"] is not None:
        reason: AbortReason | CancellationReason = (
            AbortReason(row["end_reason"])
            if status is PlanStatus.ABORTED
            else CancellationReason(row["end_reason"])
        )
        ending = Ending(at=row["ended_at"], reason=reason, note=row["note"], at_departure=row["at_departure"])
    return RemovalPlan(
        plan_id=row["plan_id"],
        enforcement_case_id=row["enforcement_case_id"],
        return_case_id=row["return_case_id"],
        person_ref=row["person_ref"],
        person=Person(
            date_of_birth=row["date_of_birth"],
            sex=Sex(row["sex"]),
            nationality=row["nationality"],
            vulnerabilities=tuple(Vulnerability(v) for v in row["case_vulnerabilities"]),
        ),
        details=PlanDetails(
            destination_country=row["destination_country"],
            readmission_basis=ReadmissionBasis(row["readmission_basis"]),
            transport=Transport(row["transport"]),
            escort_level=EscortLevel(row["escort_level"]),
            planned_departure=row["planned_departure"],
            responsible_department=row["responsible_department"],
            measure=PrecautionaryMeasure(row["measure"]),
            vulnerabilities=tuple(Vulnerability(v) for v in row["vulnerabilities"]),
            transit_countries=tuple(row["transit_countries"]),
            precautions={
                Precaution(i["precaution"]): PrecautionStatus(i["status"]) for i in row["precautions"]
            },
        ),
        status=status,
        revision=row["revision"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        request_id=row["request_id"],
        execution=execution,
        ending=ending,
    )


# --------------------------------------------------------------------------- measures


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

    async def by_request_id(self, request_id: str) -> Detention | None:
        row = (
            await self._session.execute(select(detentions).where(detentions.c.request_id == request_id))
        ).first()
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
                request_id=detention.request_id,
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
    ) -> tuple[list[Detention], int]:
        d = detentions.c
        query = select(detentions).where(
            _where(
                d.facility == facility if facility else None,
                None if active is None else (d.ended_at.is_(None) if active else d.ended_at.is_not(None)),
                d.enforcement_case_id == enforcement_case_id if enforcement_case_id else None,
            )
        )
        rows, total = await _page(self._session, query, paging, d.ordered_at.desc(), d.detention_id)
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
        request_id=row["request_id"],
    )


class LighterMeasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, measure_id: str, *, for_update: bool = False) -> LighterMeasure | None:
        query = select(lighter_measures).where(lighter_measures.c.measure_id == measure_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _lighter(row._mapping) if row else None

    async def by_request_id(self, request_id: str) -> LighterMeasure | None:
        row = (
            await self._session.execute(
                select(lighter_measures).where(lighter_measures.c.request_id == request_id)
            )
        ).first()
        return _lighter(row._mapping) if row else None

    async def active_for_case(self, enforcement_case_id: str) -> list[LighterMeasure]:
        m = lighter_measures.c
        rows = (
            await self._session.execute(
                select(lighter_measures)
                .where(m.enforcement_case_id == enforcement_case_id, m.ended_at.is_(None))
                .order_by(m.ordered_at)
            )
        ).all()
        return [_lighter(row._mapping) for row in rows]

    async def add(self, measure: LighterMeasure) -> None:
        await self._session.execute(
            insert(lighter_measures).values(
                measure_id=measure.measure_id,
                request_id=measure.request_id,
                enforcement_case_id=measure.enforcement_case_id,
                kind=measure.kind.value,
                ordered_at=measure.ordered_at,
                note=measure.note,
                ended_at=measure.ended_at,
                end_reason=measure.end_reason.value if measure.end_reason else None,
            )
        )

    async def save(self, measure: LighterMeasure) -> None:
        await self._session.execute(
            update(lighter_measures)
            .where(lighter_measures.c.measure_id == measure.measure_id)
            .values(
                ended_at=measure.ended_at, end_reason=measure.end_reason.value if measure.end_reason else None
            )
        )

    async def active_by_kind(self) -> dict[str, int]:
        m = lighter_measures.c
        rows = (
            await self._session.execute(
                select(m.kind, func.count()).where(m.ended_at.is_(None)).group_by(m.kind)
            )
        ).all()
        return {kind: int(n) for kind, n in rows}

    async def search(
        self, paging: Paging, *, enforcement_case_id: str | None = None, active: bool | None = None
    ) -> tuple[list[LighterMeasure], int]:
        m = lighter_measures.c
        query = select(lighter_measures).where(
            _where(
                m.enforcement_case_id == enforcement_case_id if enforcement_case_id else None,
                None if active is None else (m.ended_at.is_(None) if active else m.ended_at.is_not(None)),
            )
        )
        rows, total = await _page(self._session, query, paging, m.ordered_at.desc(), m.measure_id)
        return [_lighter(row) for row in rows], total


async def persons_under_measures(session: AsyncSession) -> int:
    """Enforcement cases with any measure in force (detention or lighter), each counted once."""
    cases = (
        select(detentions.c.enforcement_case_id.label("case_id"))
        .where(detentions.c.ended_at.is_(None))
        .union(
            select(lighter_measures.c.enforcement_case_id.label("case_id")).where(
                lighter_measures.c.ended_at.is_(None)
            )
        )
        .subquery()
    )
    return int(await session.scalar(select(func.count()).select_from(cases)) or 0)


def _lighter(row: Any) -> LighterMeasure:
    return LighterMeasure(
        measure_id=row["measure_id"],
        enforcement_case_id=row["enforcement_case_id"],
        kind=LighterMeasureKind(row["kind"]),
        ordered_at=row["ordered_at"],
        note=row["note"],
        ended_at=row["ended_at"],
        end_reason=LighterMeasureEndReason(row["end_reason"]) if row["end_reason"] else None,
        request_id=row["request_id"],
    )


# --------------------------------------------------------------------------- monitor feedback


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, plan_id: str) -> MonitorFeedback | None:
        row = (
            await self._session.execute(select(monitor_feedback).where(monitor_feedback.c.plan_id == plan_id))
        ).first()
        return _feedback(row._mapping) if row else None

    async def for_plans(self, plan_ids: Sequence[str]) -> dict[str, MonitorFeedback]:
        if not plan_ids:
            return {}
        rows = (
            await self._session.execute(
                select(monitor_feedback).where(monitor_feedback.c.plan_id.in_(plan_ids))
            )
        ).all()
        return {row._mapping["plan_id"]: _feedback(row._mapping) for row in rows}

    async def save(self, feedback: MonitorFeedback, now: datetime) -> None:
        ack = feedback.acknowledgement
        values = {
            "notice_id": ack.notice_id if ack else None,
            "received_at": ack.received_at if ack else None,
            "acknowledged_at": ack.acknowledged_at if ack else None,
            "late": (
                {
                    "lead_time_working_days": feedback.late.lead_time_working_days,
                    "required_working_days": feedback.late.required_working_days,
                    "received_at": feedback.late.received_at.isoformat(),
                }
                if feedback.late
                else None
            ),
            "missing_notice_at": feedback.missing_notice_at,
            "decision": (
                {
                    "decision": feedback.decision.decision,
                    "reason": feedback.decision.reason,
                    "monitors": list(feedback.decision.monitors),
                    "decided_at": feedback.decision.decided_at.isoformat(),
                }
                if feedback.decision
                else None
            ),
            "reports": [
                {
                    "report_id": r.report_id,
                    "filed_at": r.filed_at.isoformat(),
                    "published": r.published,
                    "findings": r.findings,
                }
                for r in feedback.reports
            ],
            "updated_at": now,
        }
        if await self.get(feedback.plan_id) is None:
            await self._session.execute(insert(monitor_feedback).values(plan_id=feedback.plan_id, **values))
        else:
            await self._session.execute(
                update(monitor_feedback)
                .where(monitor_feedback.c.plan_id == feedback.plan_id)
                .values(**values)
            )


def _feedback(row: Any) -> MonitorFeedback:
    ack = None
    if row["notice_id"] is not None:
        ack = Acknowledgement(row["notice_id"], row["received_at"], row["acknowledged_at"])
    late = row["late"]
    decision = row["decision"]
    return MonitorFeedback(
        plan_id=row["plan_id"],
        acknowledgement=ack,
        late=(
            Lateness(
                late["lead_time_working_days"],
                late["required_working_days"],
                datetime.fromisoformat(late["received_at"]),
            )
            if late
            else None
        ),
        missing_notice_at=row["missing_notice_at"],
        decision=(
            Decision(
                decision["decision"],
                decision["reason"],
                tuple(decision["monitors"]),
                datetime.fromisoformat(decision["decided_at"]),
            )
            if decision
            else None
        ),
        reports=[
            Report(r["report_id"], datetime.fromisoformat(r["filed_at"]), r["published"], r["findings"])
            for r in row["reports"]
        ],
    )
