"""Removal plans with their details, execution or ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging, fetch_page
from handoff_schemas.events.common import Sex, Transport, Vulnerability
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    RemovalFacts,
    Restraint,
)
from police_handover.adapters.filters import where_all
from police_handover.adapters.orm import (
    enforcement_cases,
    removal_plans,
)
from police_handover.domain.enforcement_case import (
    Person,
)
from police_handover.domain.removal_outcome import Ending, Execution
from police_handover.domain.removal_plan import PlanDetails, PlanStatus, RemovalPlan


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
            where_all(
                p.status == where.status.value if where.status else None,
                p.responsible_department == where.department if where.department else None,
                p.enforcement_case_id == where.enforcement_case_id if where.enforcement_case_id else None,
                p.return_case_id == where.return_case_id if where.return_case_id else None,
                p.transport == where.transport.value if where.transport else None,
                p.planned_departure >= where.departure_from if where.departure_from else None,
                p.planned_departure < where.departure_until if where.departure_until else None,
            )
        )
        rows, total = await fetch_page(self._session, query, paging, p.planned_departure, p.plan_id)
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
        "carried_out_as": plan.as_carried_out.model_dump(mode="json") if plan.as_carried_out else None,
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
        execution=execution,
        ending=ending,
        as_carried_out=RemovalFacts.model_validate(row["carried_out_as"]) if row["carried_out_as"] else None,
    )


# --------------------------------------------------------------------------- measures
