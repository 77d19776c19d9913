"""What the monitor sees of a notice, a decision, a report: the HTTP API's and the webhooks' shapes.

Only monitoring's need-to-know fields: a pseudonymous reference, age band and minor flag,
sex, nationality, destination and route, transport, dates, department, vulnerability
categories, precaution status and detention status. Never a name, date of birth or
document number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

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
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    Restraint,
)
from monitoring.domain.decision import Decision
from monitoring.domain.detention import Detention, DetentionStatus, detention_state
from monitoring.domain.notice import Notice, NoticeHappening, NoticeStatus, Timeliness
from monitoring.domain.priority import PriorityFactors, PriorityLevel, assess
from monitoring.domain.report import Report
from monitoring.domain.statistics import Count, DepartmentMonth, PublishedDepartmentMonth
from monitoring.domain.webhook import DeliveryStatus, WebhookSubscription

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


class PrecautionOut(BaseModel):
    precaution: Precaution
    status: PrecautionStatus


class DetentionOut(BaseModel):
    status: DetentionStatus = Field(description="From the enforcement case (or the plan's measure).")
    since: datetime | None = Field(description="Detained since, or released at.")
    facility: str | None = Field(description="Code of the detention unit, while detained.")


class PriorityOut(BaseModel):
    score: int = Field(
        description="Points from vulnerability, children, destination risk, detention, charter."
    )
    level: PriorityLevel
    reasons: list[str] = Field(description="The factors that scored, e.g. vulnerability:serious_illness.")


class OutcomeOut(BaseModel):
    at: datetime = Field(description="When the plan was cancelled, or the removal carried out or aborted.")
    cancellation_reason: CancellationReason | None
    abort_reason: AbortReason | None
    aborted_at_departure: bool | None
    use_of_force: bool | None
    restraints_used: list[Restraint]
    incidents: list[str]


class DecisionSummary(BaseModel):
    decision_id: str
    decision: MonitoringDecision
    monitors: list[str]
    reason: MonitoringDecisionReason
    decided_at: datetime


class NoticeOut(BaseModel):
    notice_id: str
    plan_id: str
    return_case_id: str
    person_ref: str | None = Field(
        description="Pseudonymous reference to the person (none on a missing notice)."
    )
    status: NoticeStatus
    timeliness: Timeliness
    first_seen_event_type: str = Field(description="The first event of the plan that reached the monitor.")
    revision: int = Field(description="The plan's revision (0 if the plan itself never arrived).")
    version: int = Field(description="Counts every change of this notice; webhooks carry it.")
    responsible_department: str
    age_band: AgeBand | None
    minor: bool | None
    sex: Sex | None
    nationality: str | None
    destination_country: str | None
    transit_countries: list[str]
    readmission_basis: ReadmissionBasis | None
    transport: Transport | None
    escort_level: EscortLevel | None
    planned_departure: datetime | None
    measure: PrecautionaryMeasure | None
    vulnerabilities: list[Vulnerability]
    precautions: list[PrecautionOut]
    received_at: datetime = Field(
        description="When the notice (or, if missing, the removal) reached the monitor."
    )
    acknowledged_at: datetime | None
    schedule_known_at: datetime | None = Field(
        description="Since when the monitor knows the current schedule: the lead time counts from here."
    )
    lead_time_working_days: int | None
    required_working_days: int | None
    outcome: OutcomeOut | None
    detention: DetentionOut
    priority: PriorityOut | None = Field(description="None on a missing notice: there was no plan to judge.")
    latest_decision: DecisionSummary | None


def decision_summary(decision: Decision | None) -> DecisionSummary | None:
    if decision is None:
        return None
    return DecisionSummary(
        decision_id=decision.decision_id,
        decision=decision.decision,
        monitors=list(decision.monitors),
        reason=decision.reason,
        decided_at=decision.decided_at,
    )


def notice_view(
    notice: Notice,
    *,
    detentions: Sequence[Detention],
    decision: Decision | None,
    risk_countries: frozenset[str],
) -> NoticeOut:
    plan, outcome = notice.plan, notice.outcome
    detention = detention_state(detentions, plan.measure if plan else None)
    priority = None
    if plan is not None:
        assessed = assess(PriorityFactors.of(plan, detention, risk_countries))
        priority = PriorityOut(score=assessed.score, level=assessed.level, reasons=list(assessed.reasons))
    return NoticeOut(
        notice_id=notice.notice_id,
        plan_id=notice.plan_id,
        return_case_id=notice.return_case_id,
        person_ref=plan.person_ref if plan else None,
        status=notice.status,
        timeliness=notice.timeliness,
        first_seen_event_type=notice.first_seen_event_type,
        revision=notice.revision,
        version=notice.version,
        responsible_department=notice.responsible_department,
        age_band=plan.age_band if plan else None,
        minor=plan.minor if plan else None,
        sex=plan.sex if plan else None,
        nationality=plan.nationality if plan else None,
        destination_country=plan.destination_country if plan else None,
        transit_countries=list(plan.transit_countries) if plan else [],
        readmission_basis=plan.readmission_basis if plan else None,
        transport=plan.transport if plan else None,
        escort_level=plan.escort_level if plan else None,
        planned_departure=plan.planned_departure if plan else None,
        measure=plan.measure if plan else None,
        vulnerabilities=list(plan.vulnerabilities) if plan else [],
        precautions=[PrecautionOut(precaution=p, status=s) for p, s in plan.precautions] if plan else [],
        received_at=notice.received_at,
        acknowledged_at=notice.acknowledged_at,
        schedule_known_at=notice.schedule_known_at,
        lead_time_working_days=notice.lead_time_working_days,
        required_working_days=notice.required_working_days,
        outcome=OutcomeOut(
            at=outcome.at,
            cancellation_reason=outcome.cancellation_reason,
            abort_reason=outcome.abort_reason,
            aborted_at_departure=outcome.aborted_at_departure,
            use_of_force=outcome.use_of_force,
            restraints_used=list(outcome.restraints_used),
            incidents=list(outcome.incidents),
        )
        if outcome
        else None,
        detention=DetentionOut(status=detention.status, since=detention.since, facility=detention.facility),
        priority=priority,
        latest_decision=decision_summary(decision),
    )


class DecisionOut(BaseModel):
    decision_id: str
    notice_id: str
    plan_id: str
    decision: MonitoringDecision
    monitors: list[str] = Field(description="Staff codes of the monitors assigned.")
    reason: MonitoringDecisionReason
    decided_at: datetime
    decided_by: str = Field(description="The subject of the token that decided.")
    request_id: str | None

    @classmethod
    def of(cls, decision: Decision) -> DecisionOut:
        return cls(
            decision_id=decision.decision_id,
            notice_id=decision.notice_id,
            plan_id=decision.plan_id,
            decision=decision.decision,
            monitors=list(decision.monitors),
            reason=decision.reason,
            decided_at=decision.decided_at,
            decided_by=decision.decided_by,
            request_id=decision.request_id,
        )


class FindingOut(BaseModel):
    right: RightsChecklistItem
    observation: str
    severity: FindingSeverity


class PublishedReportOut(BaseModel):
    """A published report, as the Police and operators may read it."""

    report_id: str
    notice_id: str
    plan_id: str
    filed_at: datetime
    published_at: datetime | None
    phases_observed: list[RemovalPhase]
    findings: list[FindingOut]
    recommendations: list[str]

    @classmethod
    def of(cls, report: Report) -> PublishedReportOut:
        return cls.model_validate(_report_fields(report))


class ReportOut(PublishedReportOut):
    """A report as the monitor reads it: published or not, with who filed it."""

    published: bool
    filed_by: str
    request_id: str | None

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        return cls.model_validate(
            {
                **_report_fields(report),
                "published": report.published,
                "filed_by": report.filed_by,
                "request_id": report.request_id,
            }
        )


def _report_fields(report: Report) -> dict[str, object]:  # findings as models, dates as datetimes
    return {
        "report_id": report.report_id,
        "notice_id": report.notice_id,
        "plan_id": report.plan_id,
        "filed_at": report.filed_at,
        "published_at": report.published_at,
        "phases_observed": list(report.phases_observed),
        "findings": [
            FindingOut(right=f.right, observation=f.observation, severity=f.severity) for f in report.findings
        ],
        "recommendations": list(report.recommendations),
    }


class WebhookOut(BaseModel):
    subscription_id: str
    url: str
    event_types: list[NoticeHappening]
    created_at: datetime
    created_by: str
    deleted_at: datetime | None
    request_id: str | None

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> WebhookOut:
        return cls(
            subscription_id=subscription.subscription_id,
            url=subscription.url,
            event_types=list(subscription.event_types),
            created_at=subscription.created_at,
            created_by=subscription.created_by,
            deleted_at=subscription.deleted_at,
            request_id=subscription.request_id,
        )


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="The HMAC-SHA256 key of X-Handoff-Signature-256; shown only on creation.")


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    delivery_id: str
    plan_id: str
    event_type: NoticeHappening
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    log: list[AttemptOut]


class StatisticsRowOut(BaseModel):
    department: str
    month: str = Field(description="YYYY-MM, in the monitor's time zone.")
    notices: int
    on_time: int
    late: int
    share_on_time: float | None
    median_lead_time_working_days: float | None
    missing: int
    removals: int = Field(description="Removals carried out or aborted, with or without notice.")
    monitored: int
    monitored_share: float | None
    phases_monitored: dict[RemovalPhase, int]

    @classmethod
    def of(cls, row: DepartmentMonth) -> StatisticsRowOut:
        return cls.model_validate({**_row_fields(row), "phases_monitored": dict(row.phases_monitored)})


class PublishedStatisticsRowOut(BaseModel):
    department: str
    month: str
    notices: Count
    on_time: Count
    late: Count
    share_on_time: float | None
    median_lead_time_working_days: float | None
    missing: Count
    removals: Count
    monitored: Count
    monitored_share: float | None
    phases_monitored: dict[RemovalPhase, Count]
    suppressed: list[str] = Field(
        description="Figures withheld because they would reveal a count from 1 to 4."
    )

    @classmethod
    def of(cls, row: PublishedDepartmentMonth) -> PublishedStatisticsRowOut:
        return cls.model_validate(
            {
                **_row_fields(row),
                "phases_monitored": dict(row.phases_monitored),
                "suppressed": list(row.suppressed),
            }
        )


def _row_fields(row: DepartmentMonth | PublishedDepartmentMonth) -> Mapping[str, object]:
    return {
        "department": row.department,
        "month": row.month,
        "notices": row.notices,
        "on_time": row.on_time,
        "late": row.late,
        "share_on_time": row.share_on_time,
        "median_lead_time_working_days": row.median_lead_time_working_days,
        "missing": row.missing,
        "removals": row.removals,
        "monitored": row.monitored,
        "monitored_share": row.monitored_share,
    }
