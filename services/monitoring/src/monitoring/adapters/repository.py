"""Loading and storing notices, what the Police told about the enforcement case, decisions, reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
from handoff_schemas.events.monitoring import (
    FindingSeverity,
    MonitoringDecision,
    MonitoringDecisionReason,
    RemovalPhase,
    RightsChecklistItem,
)
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    DetentionEndReason,
    DetentionGround,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    Restraint,
)
from monitoring.adapters.orm import (
    detentions,
    enforcement_cases,
    monitoring_decisions,
    monitoring_reports,
    notices,
)
from monitoring.domain.decision import Decision
from monitoring.domain.detention import Detention
from monitoring.domain.notice import (
    Notice,
    NoticeStatus,
    Outcome,
    PlanFacts,
    Timeliness,
)
from monitoring.domain.report import Finding, Report


def _optional(kind: Any, value: Any) -> Any:
    return kind(value) if value is not None else None


# --------------------------------------------------------------------------- notices


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
        await self._session.execute(insert(notices).values(**_notice_row(notice)))

    async def save(self, notice: Notice) -> None:
        row = _notice_row(notice)
        del row["notice_id"]
        await self._session.execute(
            update(notices).where(notices.c.notice_id == notice.notice_id).values(**row)
        )

    async def get(self, notice_id: str) -> Notice | None:
        return await self._one(notices.c.notice_id == notice_id)

    async def by_plan(self, plan_id: str) -> Notice | None:
        return await self._one(notices.c.plan_id == plan_id)

    async def by_return_case(self, return_case_id: str) -> list[Notice]:
        rows = await self._session.execute(select(notices).where(notices.c.return_case_id == return_case_id))
        return [_notice(row._mapping) for row in rows]

    async def page(self, where: NoticeFilter, *, limit: int, offset: int) -> tuple[list[Notice], int]:
        conditions = where.conditions()
        total = await self._session.scalar(select(func.count()).select_from(notices).where(*conditions))
        rows = await self._session.execute(
            select(notices)
            .where(*conditions)
            .order_by(notices.c.received_at.desc(), notices.c.notice_id)
            .limit(limit)
            .offset(offset)
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

    async def _one(self, condition: ColumnElement[bool]) -> Notice | None:
        row = (await self._session.execute(select(notices).where(condition))).first()
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
        "cancellation_reason": _value(outcome.cancellation_reason) if outcome else None,
        "abort_reason": _value(outcome.abort_reason) if outcome else None,
        "aborted_at_departure": outcome.aborted_at_departure if outcome else None,
        "use_of_force": outcome.use_of_force if outcome else None,
        "restraints_used": [r.value for r in outcome.restraints_used] if outcome else [],
        "incidents": list(outcome.incidents) if outcome else [],
        "updated_at": notice.updated_at,
    }


def _value(member: Any) -> str | None:
    return member.value if member is not None else None


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
            cancellation_reason=_optional(CancellationReason, row["cancellation_reason"]),
            abort_reason=_optional(AbortReason, row["abort_reason"]),
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
    )


# --------------------------------------------------------------------------- the enforcement case


class EnforcementRepository:
    """What the Police's enforcement-case stream told: the department and detentions."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def accepted(
        self, *, return_case_id: str, enforcement_case_id: str, department: str, accepted_at: datetime
    ) -> bool:
        if await self.department_of(return_case_id) is not None:
            return False
        await self._session.execute(
            insert(enforcement_cases).values(
                return_case_id=return_case_id,
                enforcement_case_id=enforcement_case_id,
                responsible_department=department,
                accepted_at=accepted_at,
            )
        )
        return True

    async def department_of(self, return_case_id: str) -> str | None:
        department: str | None = await self._session.scalar(
            select(enforcement_cases.c.responsible_department).where(
                enforcement_cases.c.return_case_id == return_case_id
            )
        )
        return department

    async def detention_ordered(self, detention: Detention) -> None:
        known = await self._detention(detention.detention_id)
        values = {
            "return_case_id": detention.return_case_id,
            "ground": _value(detention.ground),
            "facility": detention.facility,
            "minor": detention.minor,
            "ordered_at": detention.ordered_at,
            "review_due_on": detention.review_due_on,
        }
        if known is None:
            await self._session.execute(
                insert(detentions).values(detention_id=detention.detention_id, **values)
            )
        else:
            await self._session.execute(
                update(detentions).where(detentions.c.detention_id == detention.detention_id).values(**values)
            )

    async def detention_ended(
        self, *, detention_id: str, return_case_id: str, ended_at: datetime, reason: DetentionEndReason
    ) -> None:
        values = {"ended_at": ended_at, "end_reason": reason.value}
        if await self._detention(detention_id) is None:  # the end came first: keep it
            await self._session.execute(
                insert(detentions).values(detention_id=detention_id, return_case_id=return_case_id, **values)
            )
        else:
            await self._session.execute(
                update(detentions).where(detentions.c.detention_id == detention_id).values(**values)
            )

    async def detentions_for(self, return_case_ids: Iterable[str]) -> dict[str, list[Detention]]:
        ids = sorted(set(return_case_ids))
        found: dict[str, list[Detention]] = defaultdict(list)
        if not ids:
            return found
        rows = await self._session.execute(select(detentions).where(detentions.c.return_case_id.in_(ids)))
        for row in rows:
            detention = _detention(row._mapping)
            found[detention.return_case_id].append(detention)
        return found

    async def _detention(self, detention_id: str) -> Detention | None:
        row = (
            await self._session.execute(select(detentions).where(detentions.c.detention_id == detention_id))
        ).first()
        return _detention(row._mapping) if row else None


def _detention(row: Any) -> Detention:
    review: date | None = row["review_due_on"]
    return Detention(
        detention_id=row["detention_id"],
        return_case_id=row["return_case_id"],
        ground=_optional(DetentionGround, row["ground"]),
        facility=row["facility"],
        minor=row["minor"],
        ordered_at=row["ordered_at"],
        review_due_on=review,
        ended_at=row["ended_at"],
        end_reason=_optional(DetentionEndReason, row["end_reason"]),
    )


# --------------------------------------------------------------------------- decisions


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, decision: Decision) -> None:
        await self._session.execute(
            insert(monitoring_decisions).values(
                decision_id=decision.decision_id,
                notice_id=decision.notice_id,
                plan_id=decision.plan_id,
                decision=decision.decision.value,
                monitors=list(decision.monitors),
                reason=decision.reason.value,
                decided_at=decision.decided_at,
                decided_by=decision.decided_by,
                sequence=decision.sequence,
                request_id=decision.request_id,
            )
        )

    async def get(self, decision_id: str) -> Decision | None:
        return await self._one(monitoring_decisions.c.decision_id == decision_id)

    async def by_request_id(self, request_id: str) -> Decision | None:
        return await self._one(monitoring_decisions.c.request_id == request_id)

    async def count_for(self, notice_id: str) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(monitoring_decisions)
            .where(monitoring_decisions.c.notice_id == notice_id)
        )
        return int(count or 0)

    async def latest_for(self, notice_ids: Iterable[str] | None = None) -> dict[str, Decision]:
        """The latest decision of each notice (of the given ones, or of all)."""
        query = select(monitoring_decisions)
        if notice_ids is not None:
            ids = sorted(set(notice_ids))
            if not ids:
                return {}
            query = query.where(monitoring_decisions.c.notice_id.in_(ids))
        latest: dict[str, Decision] = {}
        for row in await self._session.execute(query.order_by(monitoring_decisions.c.sequence)):
            decision = _decision(row._mapping)
            latest[decision.notice_id] = decision
        return latest

    async def page(self, *, notice_id: str | None, limit: int, offset: int) -> tuple[list[Decision], int]:
        conditions = [] if notice_id is None else [monitoring_decisions.c.notice_id == notice_id]
        total = await self._session.scalar(
            select(func.count()).select_from(monitoring_decisions).where(*conditions)
        )
        rows = await self._session.execute(
            select(monitoring_decisions)
            .where(*conditions)
            .order_by(
                monitoring_decisions.c.decided_at.desc(),
                monitoring_decisions.c.sequence.desc(),
                monitoring_decisions.c.decision_id,
            )
            .limit(limit)
            .offset(offset)
        )
        return [_decision(row._mapping) for row in rows], int(total or 0)

    async def _one(self, condition: ColumnElement[bool]) -> Decision | None:
        row = (await self._session.execute(select(monitoring_decisions).where(condition))).first()
        return _decision(row._mapping) if row else None


def _decision(row: Any) -> Decision:
    return Decision(
        decision_id=row["decision_id"],
        notice_id=row["notice_id"],
        plan_id=row["plan_id"],
        decision=MonitoringDecision(row["decision"]),
        monitors=tuple(row["monitors"]),
        reason=MonitoringDecisionReason(row["reason"]),
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        sequence=row["sequence"],
        request_id=row["request_id"],
    )


# --------------------------------------------------------------------------- reports


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: Report) -> None:
        await self._session.execute(insert(monitoring_reports).values(**_report_row(report)))

    async def save(self, report: Report) -> None:
        row = _report_row(report)
        del row["report_id"]
        await self._session.execute(
            update(monitoring_reports).where(monitoring_reports.c.report_id == report.report_id).values(**row)
        )

    async def get(self, report_id: str) -> Report | None:
        return await self._one(monitoring_reports.c.report_id == report_id)

    async def by_notice(self, notice_id: str) -> Report | None:
        return await self._one(monitoring_reports.c.notice_id == notice_id)

    async def by_request_id(self, request_id: str) -> Report | None:
        return await self._one(monitoring_reports.c.request_id == request_id)

    async def page(
        self, *, published: bool | None, notice_id: str | None, limit: int, offset: int
    ) -> tuple[list[Report], int]:
        c = monitoring_reports.c
        conditions: list[ColumnElement[bool]] = []
        if published is not None:
            conditions.append(c.published.is_(published))
        if notice_id is not None:
            conditions.append(c.notice_id == notice_id)
        total = await self._session.scalar(
            select(func.count()).select_from(monitoring_reports).where(*conditions)
        )
        rows = await self._session.execute(
            select(monitoring_reports)
            .where(*conditions)
            .order_by(c.filed_at.desc(), c.report_id)
            .limit(limit)
            .offset(offset)
        )
        return [_report(row._mapping) for row in rows], int(total or 0)

    async def all(self) -> list[Report]:
        return [_report(row._mapping) for row in await self._session.execute(select(monitoring_reports))]

    async def _one(self, condition: ColumnElement[bool]) -> Report | None:
        row = (await self._session.execute(select(monitoring_reports).where(condition))).first()
        return _report(row._mapping) if row else None


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "notice_id": report.notice_id,
        "plan_id": report.plan_id,
        "filed_at": report.filed_at,
        "filed_by": report.filed_by,
        "phases_observed": [p.value for p in report.phases_observed],
        "findings": [
            {"right": f.right.value, "observation": f.observation, "severity": f.severity.value}
            for f in report.findings
        ],
        "recommendations": list(report.recommendations),
        "published": report.published,
        "published_at": report.published_at,
        "request_id": report.request_id,
    }


def _report(row: Any) -> Report:
    return Report(
        report_id=row["report_id"],
        notice_id=row["notice_id"],
        plan_id=row["plan_id"],
        filed_at=row["filed_at"],
        filed_by=row["filed_by"],
        phases_observed=tuple(RemovalPhase(p) for p in row["phases_observed"]),
        findings=tuple(
            Finding(
                right=RightsChecklistItem(f["right"]),
                observation=f["observation"],
                severity=FindingSeverity(f["severity"]),
            )
            for f in row["findings"]
        ),
        recommendations=tuple(row["recommendations"]),
        published=bool(row["published"]),
        published_at=row["published_at"],
        request_id=row["request_id"],
    )
