"""What the monitor sees of a notice, a decision, a report: the HTTP API's and the webhooks' shapes.

Only monitoring's need-to-know fields: a pseudonymous reference, age band and minor flag,
sex, nationality, destination and route, transport, dates, department, vulnerability
categories, precaution status and detention status. Never a name, date of birth or
document number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, Field

from handoff_schemas.events.monitoring import (
    FindingSeverity,
    MonitoringDecision,
    MonitoringDecisionReason,
    RemovalPhase,
    RightsChecklistItem,
)
from monitoring.domain.decision import Decision
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.report import Report
from monitoring.domain.statistics import Count, DepartmentMonth, PublishedDepartmentMonth
from monitoring.domain.webhook import DeliveryStatus, WebhookSubscription

T = TypeVar("T")


class DecisionOut(BaseModel):
    decision_id: str
    notice_id: str
    plan_id: str
    decision: MonitoringDecision
    monitors: list[str] = Field(description="Staff codes of the monitors assigned.")
    reason: MonitoringDecisionReason
    decided_at: datetime
    decided_by: str = Field(description="The subject of the token that decided.")

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

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        return cls.model_validate(
            {
                **_report_fields(report),
                "published": report.published,
                "filed_by": report.filed_by,
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


class WebhookSecretOut(BaseModel):
    secret_id: str
    created_at: datetime
    retired_at: datetime | None = Field(description="Set once retired: it signs no more deliveries.")


class WebhookOut(BaseModel):
    subscription_id: str
    url: str
    event_types: list[NoticeHappening]
    created_at: datetime
    created_by: str
    deleted_at: datetime | None
    secrets: list[WebhookSecretOut] = Field(
        description="Its signing secrets (never their values): each active one signs every delivery."
    )

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> WebhookOut:
        return cls(
            subscription_id=subscription.subscription_id,
            url=subscription.url,
            event_types=list(subscription.event_types),
            created_at=subscription.created_at,
            created_by=subscription.created_by,
            deleted_at=subscription.deleted_at,
            secrets=[
                WebhookSecretOut(secret_id=s.secret_id, created_at=s.created_at, retired_at=s.retired_at)
                for s in subscription.secrets
            ],
        )


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        description="The new secret (whsec_…, Standard Webhooks' form) that signs webhook-signature; "
        "shown only now."
    )
    secret_id: str


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
    unannounced_changes: int = Field(
        description="Removals carried out or aborted other than the last notice said (a revision was "
        "missing); judged anew, they count as late too."
    )

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
    unannounced_changes: Count
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
        "unannounced_changes": row.unannounced_changes,
    }
