"""The document of a notice as the monitor's systems receive it: over HTTP and in every webhook.

It carries no name, no birth date and no document number: the person is a pseudonymous
reference with an age band (data minimisation).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
from handoff_schemas.events.monitoring import (
    MonitoringDecision,
    MonitoringDecisionReason,
    NoticeFact,
    RemovalHappening,
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
from handoff_schemas.events.police_measures import LighterMeasureKind
from monitoring.domain.decision import Decision
from monitoring.domain.detention import DetentionStatus
from monitoring.domain.deviation import Deviation
from monitoring.domain.notice import NoticeStatus, Timeliness
from monitoring.domain.notice_file import NoticeFile
from monitoring.domain.priority import PriorityLevel


class PrecautionOut(BaseModel):
    precaution: Precaution
    status: PrecautionStatus


class DetentionOut(BaseModel):
    status: DetentionStatus = Field(description="From the enforcement case (or the plan's measure).")
    since: datetime | None = Field(description="Detained since, or released at.")
    facility: str | None = Field(description="Code of the detention unit, while detained.")
    review_due_on: date | None = Field(
        description="While detained: when the detention must next be reviewed."
    )


class FactChangeOut(BaseModel):
    fact: NoticeFact
    notified: str = Field(
        description="As the last notice said it (a day in the monitor's time zone, or a code)."
    )
    actual: str = Field(description="As the Police report it happened.")


class RevisionMissingOut(BaseModel):
    """The removal was carried out or aborted other than the last notice said: judged anew."""

    happening: RemovalHappening
    happened_at: datetime
    notified_revision: int = Field(description="The last revision the monitor had.")
    missing_revision: int = Field(description="The revision that never reached the monitor.")
    changes: list[FactChangeOut]
    lead_time_working_days: int = Field(
        description="Judged anew: from when the monitor learned it to the day."
    )
    required_working_days: int


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
    lighter_measures: list[LighterMeasureKind] = Field(
        description="Lighter measures in force on the person's case (counted too, not only detention)."
    )
    revision_missing: RevisionMissingOut | None = Field(
        description="Set when the removal departed from the last notice: the revision that was missing."
    )

    @classmethod
    def of(cls, file: NoticeFile) -> NoticeOut:
        notice, detention, priority = file.notice, file.detention, file.priority
        plan, outcome = notice.plan, notice.outcome
        return cls(
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
            detention=DetentionOut(
                status=detention.status,
                since=detention.since,
                facility=detention.facility,
                review_due_on=detention.review_due_on,
            ),
            priority=PriorityOut(score=priority.score, level=priority.level, reasons=list(priority.reasons))
            if priority
            else None,
            latest_decision=decision_summary(file.decision),
            lighter_measures=list(file.lighter_measures),
            revision_missing=_revision_missing(notice.deviation),
        )


def _revision_missing(deviation: Deviation | None) -> RevisionMissingOut | None:
    if deviation is None:
        return None
    return RevisionMissingOut(
        happening=deviation.happening,
        happened_at=deviation.happened_at,
        notified_revision=deviation.notified_revision,
        missing_revision=deviation.missing_revision,
        changes=[FactChangeOut(fact=f, notified=n, actual=a) for f, n, a in deviation.changes],
        lead_time_working_days=deviation.lead_time_working_days,
        required_working_days=deviation.required_working_days,
    )


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
