"""Notices of planned removals: the monitor's record of every plan event (the hot path)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
from handoff_schemas.events.monitoring import NoticeFact, RemovalHappening
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    Restraint,
)
from monitoring.adapters.orm import (
    notices,
)
from monitoring.adapters.rows import optional, value_of
from monitoring.domain.deviation import Deviation
from monitoring.domain.notice import (
    Notice,
    NoticeStatus,
    Outcome,
    PlanFacts,
    Timeliness,
)

# Built once: the notice path runs for every plan event the Police publish.
_INSERT = insert(notices)
_UPDATE = update(notices).where(notices.c.notice_id == bindparam("b_notice_id"))
_BY_ID = select(notices).where(notices.c.notice_id == bindparam("notice_id"))
_BY_PLAN = select(notices).where(notices.c.plan_id == bindparam("plan_id"))
_BY_RETURN_CASE = select(notices).where(notices.c.return_case_id == bindparam("return_case_id"))
_DEPARTMENTS = select(notices.c.responsible_department).distinct().order_by(notices.c.responsible_department)


@dataclass(frozen=True)
class NoticeFilter:
    department: str | None = None
    status: NoticeStatus | None = None
    timeliness: Timeliness | None = None
    transport: Transport | None = None
    departure_from: datetime | None = None
    departure_before: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        c = notices.c
        found: list[ColumnElement[bool]] = []
        if self.department is not None:
            found.append(c.responsible_department == self.department)
        if self.status is not None:
            found.append(c.status == self.status.value)
        if self.timeliness is not None:
            found.append(c.timeliness == self.timeliness.value)
        if self.transport is not None:
            found.append(c.transport == self.transport.value)
        if self.departure_from is not None:
            found.append(c.planned_departure >= self.departure_from)
        if self.departure_before is not None:
            found.append(c.planned_departure < self.departure_before)
        return found


class NoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, notice: Notice) -> None:
        await self._session.execute(_INSERT, _notice_row(notice))

    async def add_many(self, new: Iterable[Notice]) -> None:
        rows = [_notice_row(notice) for notice in new]
        if rows:
            await self._session.execute(_INSERT, rows)

    async def save_many(self, changed: Iterable[Notice]) -> None:
        rows = [_notice_row(notice) for notice in changed]
        for row in rows:
            row["b_notice_id"] = row.pop("notice_id")
        if rows:
            await self._session.execute(_UPDATE, rows)

    async def by_plans(self, plan_ids: Iterable[str]) -> dict[str, Notice]:
        """The notices of these plans, by plan: one query for a run of plan events."""
        wanted = sorted(set(plan_ids))
        found: dict[str, Notice] = {}
        for start in range(0, len(wanted), 500):  # well under every database's parameter limit
            rows = await self._session.execute(
                select(notices).where(notices.c.plan_id.in_(wanted[start : start + 500]))
            )
            found.update((row.plan_id, _notice(row._mapping)) for row in rows)
        return found

    async def save(self, notice: Notice) -> None:
        row = _notice_row(notice)
        row["b_notice_id"] = row.pop("notice_id")
        await self._session.execute(_UPDATE, row)

    async def get(self, notice_id: str) -> Notice | None:
        return await self._first(_BY_ID, notice_id=notice_id)

    async def by_plan(self, plan_id: str) -> Notice | None:
        return await self._first(_BY_PLAN, plan_id=plan_id)

    async def by_return_case(self, return_case_id: str) -> list[Notice]:
        rows = await self._session.execute(_BY_RETURN_CASE, {"return_case_id": return_case_id})
        return [_notice(row._mapping) for row in rows]

    async def page(self, where: NoticeFilter, paging: Paging) -> tuple[list[Notice], int]:
        conditions = where.conditions()
        total = await self._session.scalar(select(func.count()).select_from(notices).where(*conditions))
        rows = await self._session.execute(
            select(notices)
            .where(*conditions)
            .order_by(notices.c.received_at.desc(), notices.c.notice_id)
            .limit(paging.limit)
            .offset(paging.offset)
        )
        return [_notice(row._mapping) for row in rows], int(total or 0)

    async def planned_after(self, moment: datetime) -> list[Notice]:
        rows = await self._session.execute(
            select(notices).where(
                notices.c.status == NoticeStatus.PLANNED.value, notices.c.planned_departure >= moment
            )
        )
        return [_notice(row._mapping) for row in rows]

    async def all(self, *, department: str | None = None) -> list[Notice]:
        query = select(notices)
        if department is not None:
            query = query.where(notices.c.responsible_department == department)
        return [_notice(row._mapping) for row in await self._session.execute(query)]

    async def departments(self) -> list[str]:
        return list((await self._session.scalars(_DEPARTMENTS)).all())

    async def _first(self, statement: Select[Any], **params: str) -> Notice | None:
        row = (await self._session.execute(statement, params)).first()
        return _notice(row._mapping) if row else None


def _notice_row(notice: Notice) -> dict[str, Any]:
    plan, outcome = notice.plan, notice.outcome
    return {
        "notice_id": notice.notice_id,
        "plan_id": notice.plan_id,
        "return_case_id": notice.return_case_id,
        "responsible_department": notice.responsible_department,
        "status": notice.status.value,
        "timeliness": notice.timeliness.value,
        "first_seen_event_type": notice.first_seen_event_type,
        "revision": notice.revision,
        "version": notice.version,
        "person_ref": plan.person_ref if plan else None,
        "age_band": plan.age_band.value if plan else None,
        "minor": plan.minor if plan else None,
        "sex": plan.sex.value if plan else None,
        "nationality": plan.nationality if plan else None,
        "destination_country": plan.destination_country if plan else None,
        "transit_countries": list(plan.transit_countries) if plan else [],
        "readmission_basis": plan.readmission_basis.value if plan else None,
        "transport": plan.transport.value if plan else None,
        "escort_level": plan.escort_level.value if plan else None,
        "planned_departure": plan.planned_departure if plan else None,
        "measure": plan.measure.value if plan else None,
        "vulnerabilities": [v.value for v in plan.vulnerabilities] if plan else [],
        "precautions": [{"precaution": p.value, "status": s.value} for p, s in plan.precautions]
        if plan
        else [],
        "received_at": notice.received_at,
        "acknowledged_at": notice.acknowledged_at,
        "schedule_known_at": notice.schedule_known_at,
        "lead_time_working_days": notice.lead_time_working_days,
        "required_working_days": notice.required_working_days,
        "closed_at": outcome.at if outcome else None,
        "cancellation_reason": value_of(outcome.cancellation_reason) if outcome else None,
        "abort_reason": value_of(outcome.abort_reason) if outcome else None,
        "aborted_at_departure": outcome.aborted_at_departure if outcome else None,
        "use_of_force": outcome.use_of_force if outcome else None,
        "restraints_used": [r.value for r in outcome.restraints_used] if outcome else [],
        "incidents": list(outcome.incidents) if outcome else [],
        "updated_at": notice.updated_at,
        "deviation": _deviation_row(notice.deviation),
    }


def _deviation_row(deviation: Deviation | None) -> dict[str, Any] | None:
    if deviation is None:
        return None
    return {
        "happening": deviation.happening.value,
        "happened_at": deviation.happened_at.isoformat(),
        "notified_revision": deviation.notified_revision,
        "missing_revision": deviation.missing_revision,
        "changes": [[fact.value, notified, actual] for fact, notified, actual in deviation.changes],
        "lead_time_working_days": deviation.lead_time_working_days,
        "required_working_days": deviation.required_working_days,
    }


def _deviation(row: dict[str, Any] | None) -> Deviation | None:
    if row is None:
        return None
    return Deviation(
        happening=RemovalHappening(row["happening"]),
        happened_at=datetime.fromisoformat(row["happened_at"]),
        notified_revision=row["notified_revision"],
        missing_revision=row["missing_revision"],
        changes=tuple((NoticeFact(f), n, a) for f, n, a in row["changes"]),
        lead_time_working_days=row["lead_time_working_days"],
        required_working_days=row["required_working_days"],
    )


def _notice(row: Any) -> Notice:
    plan = None
    if row["person_ref"] is not None:
        plan = PlanFacts(
            person_ref=row["person_ref"],
            age_band=AgeBand(row["age_band"]),
            minor=bool(row["minor"]),
            sex=Sex(row["sex"]),
            nationality=row["nationality"],
            destination_country=row["destination_country"],
            transit_countries=tuple(row["transit_countries"]),
            readmission_basis=ReadmissionBasis(row["readmission_basis"]),
            transport=Transport(row["transport"]),
            escort_level=EscortLevel(row["escort_level"]),
            planned_departure=row["planned_departure"],
            measure=PrecautionaryMeasure(row["measure"]),
            vulnerabilities=tuple(Vulnerability(v) for v in row["vulnerabilities"]),
            precautions=tuple(
                (Precaution(p["precaution"]), PrecautionStatus(p["status"])) for p in row["precautions"]
            ),
        )
    outcome = None
    if row["closed_at"] is not None:
        outcome = Outcome(
            at=row["closed_at"],
            cancellation_reason=optional(CancellationReason, row["cancellation_reason"]),
            abort_reason=optional(AbortReason, row["abort_reason"]),
            aborted_at_departure=row["aborted_at_departure"],
            use_of_force=row["use_of_force"],
            restraints_used=tuple(Restraint(r) for r in row["restraints_used"]),
            incidents=tuple(row["incidents"]),
        )
    return Notice(
        notice_id=row["notice_id"],
        plan_id=row["plan_id"],
        return_case_id=row["return_case_id"],
        responsible_department=row["responsible_department"],
        status=NoticeStatus(row["status"]),
        timeliness=Timeliness(row["timeliness"]),
        first_seen_event_type=row["first_seen_event_type"],
        received_at=row["received_at"],
        updated_at=row["updated_at"],
        revision=row["revision"],
        version=row["version"],
        plan=plan,
        acknowledged_at=row["acknowledged_at"],
        schedule_known_at=row["schedule_known_at"],
        lead_time_working_days=row["lead_time_working_days"],
        required_working_days=row["required_working_days"],
        outcome=outcome,
        deviation=_deviation(row["deviation"]),
    )
