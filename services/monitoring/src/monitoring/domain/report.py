"""The monitor's report on a monitored removal: phases observed, findings, recommendations.

One report per notice, filed only on a removal the monitor decided to monitor. A report is
filed unpublished or published; publishing later makes it readable by the Police and
operators (the monitor reads its own reports either way).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.monitoring import (
    Finding as FindingPart,
)
from handoff_schemas.events.monitoring import (
    FindingSeverity,
    MonitoringReportFiledV1,
    RemovalPhase,
    RightsChecklistItem,
)
from monitoring.domain.decision import Decision
from monitoring.domain.notice import Notice


@dataclass(frozen=True)
class Finding:
    right: RightsChecklistItem
    observation: str
    severity: FindingSeverity


@dataclass
class Report:
    report_id: str
    notice_id: str
    plan_id: str
    filed_at: datetime
    filed_by: str
    phases_observed: tuple[RemovalPhase, ...]
    findings: tuple[Finding, ...]
    recommendations: tuple[str, ...]
    published: bool = False
    published_at: datetime | None = None

    @classmethod
    def file(
        cls,
        notice: Notice,
        *,
        latest_decision: Decision | None,
        existing: Report | None,
        phases_observed: Sequence[RemovalPhase],
        findings: Sequence[Finding],
        recommendations: Sequence[str],
        publish: bool,
        filed_by: str,
        now: datetime,
    ) -> tuple[Report, MonitoringReportFiledV1 | None]:
        """File a report; it goes out as an event only once published, since its topic is read
        by the Police and an unpublished report is the monitor's alone."""
        if existing is not None:
            raise Conflict(f"notice {notice.notice_id} already has report {existing.report_id}")
        if latest_decision is None or not latest_decision.monitored:
            raise Conflict(f"notice {notice.notice_id}: the monitor did not decide to monitor this removal")
        if len(set(phases_observed)) != len(phases_observed):
            raise InvalidInput("phases_observed", "each phase is named once")
        report = cls(
            report_id=f"REP-{now.year}-{secrets.token_hex(6)}",
            notice_id=notice.notice_id,
            plan_id=notice.plan_id,
            filed_at=now,
            filed_by=filed_by,
            phases_observed=tuple(sorted(phases_observed, key=list(RemovalPhase).index)),
            findings=tuple(findings),
            recommendations=tuple(recommendations),
            published=publish,
            published_at=now if publish else None,
        )
        return report, report.filed_event() if publish else None

    def publish(self, *, now: datetime) -> MonitoringReportFiledV1 | None:
        """Make the report public; publishing a published report changes nothing."""
        if self.published:
            return None
        self.published, self.published_at = True, now
        return self.filed_event()

    def filed_event(self) -> MonitoringReportFiledV1:
        return MonitoringReportFiledV1(
            report_id=self.report_id,
            plan_id=self.plan_id,
            filed_at=self.filed_at,
            phases_observed=list(self.phases_observed),
            findings=[
                FindingPart(right=f.right, observation=f.observation, severity=f.severity)
                for f in self.findings
            ],
            recommendations=list(self.recommendations),
            published=self.published,
        )
