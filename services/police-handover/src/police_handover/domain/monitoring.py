"""What the independent monitor told the Police about a plan: acknowledgement, timeliness,
its decision whether to monitor, and its reports. Shown on the plan; decided elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handoff_schemas.events.monitoring import (
    MonitoringDecisionMadeV1,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    NoticeMissingV1,
)


@dataclass(frozen=True)
class Acknowledgement:
    notice_id: str
    received_at: datetime
    acknowledged_at: datetime


@dataclass(frozen=True)
class Lateness:
    lead_time_working_days: int
    required_working_days: int
    received_at: datetime


@dataclass(frozen=True)
class Decision:
    decision: str
    reason: str
    monitors: tuple[str, ...]
    decided_at: datetime


@dataclass(frozen=True)
class Report:
    report_id: str
    filed_at: datetime
    published: bool
    findings: int


@dataclass
class MonitorFeedback:
    plan_id: str
    acknowledgement: Acknowledgement | None = None
    late: Lateness | None = None
    missing_notice_at: datetime | None = None
    decision: Decision | None = None
    reports: list[Report] = field(default_factory=list)

    def acknowledged(self, event: NoticeAcknowledgedV1) -> None:
        self.acknowledgement = Acknowledgement(event.notice_id, event.received_at, event.acknowledged_at)

    def flagged_late(self, event: NoticeLateV1) -> None:
        self.late = Lateness(event.lead_time_working_days, event.required_working_days, event.received_at)

    def flagged_missing(self, event: NoticeMissingV1) -> None:
        self.missing_notice_at = event.executed_or_aborted_at

    def decided(self, event: MonitoringDecisionMadeV1) -> None:
        """The latest decision counts (the monitor may reconsider)."""
        if self.decision is None or event.decided_at >= self.decision.decided_at:
            self.decision = Decision(
                event.decision.value, event.reason.value, tuple(event.monitors), event.decided_at
            )

    def reported(self, event: MonitoringReportFiledV1) -> None:
        report = Report(event.report_id, event.filed_at, event.published, len(event.findings))
        self.reports = [r for r in self.reports if r.report_id != event.report_id] + [report]
