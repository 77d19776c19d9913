"""What the independent monitor told the Police about a plan: acknowledgement, timeliness,
its decision whether to monitor, and its reports. Shown on the plan; decided elsewhere.

``timeliness`` is the monitor's latest judgement (on_time, late or missing), so that the Police's
notice statistics count what the monitor counts; a removal carried out other than notified is
judged late and keeps the revision that was missing (``revision_missing``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handoff_schemas.events.monitoring import (
    MonitoringDecisionMadeV1,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeRevisionMissingV1,
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


@dataclass(frozen=True)
class RevisionMissing:
    """The removal departed from the last notice: the revision that never reached the monitor."""

    missing_revision: int
    notified_revision: int
    happened: str
    changes: tuple[tuple[str, str, str], ...]
    """(fact, as notified, as it happened)."""
    lead_time_working_days: int
    required_working_days: int


ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass
class MonitorFeedback:
    plan_id: str
    acknowledgement: Acknowledgement | None = None
    late: Lateness | None = None
    missing_notice_at: datetime | None = None
    decision: Decision | None = None
    reports: list[Report] = field(default_factory=list)
    timeliness: str | None = None
    acknowledged_revision: int | None = None
    revision_missing: RevisionMissing | None = None

    def acknowledged(self, event: NoticeAcknowledgedV1) -> None:
        """The monitor acknowledges every revision, with how it judges the notice now."""
        if event.revision is not None and (self.acknowledged_revision or 0) > event.revision:
            return
        self.acknowledgement = Acknowledgement(event.notice_id, event.received_at, event.acknowledged_at)
        self.acknowledged_revision = event.revision or self.acknowledged_revision
        if event.timeliness is not None:
            self.timeliness = event.timeliness.value
        elif self.timeliness is None:  # an older monitor: it says "late" separately
            self.timeliness = ON_TIME

    def flagged_late(self, event: NoticeLateV1) -> None:
        self.late = Lateness(event.lead_time_working_days, event.required_working_days, event.received_at)
        self.timeliness = LATE

    def flagged_missing(self, event: NoticeMissingV1) -> None:
        self.missing_notice_at = event.executed_or_aborted_at
        self.timeliness = MISSING

    def flagged_revision_missing(self, event: NoticeRevisionMissingV1) -> None:
        self.revision_missing = RevisionMissing(
            missing_revision=event.missing_revision,
            notified_revision=event.notified_revision,
            happened=event.happened.value,
            changes=tuple((c.fact.value, c.notified, c.actual) for c in event.changes),
            lead_time_working_days=event.lead_time_working_days,
            required_working_days=event.required_working_days,
        )
        if event.lead_time_working_days < event.required_working_days:
            self.timeliness = LATE

    def decided(self, event: MonitoringDecisionMadeV1) -> None:
        """The latest decision counts (the monitor may reconsider)."""
        if self.decision is None or event.decided_at >= self.decision.decided_at:
            self.decision = Decision(
                event.decision.value, event.reason.value, tuple(event.monitors), event.decided_at
            )

    def reported(self, event: MonitoringReportFiledV1) -> None:
        report = Report(event.report_id, event.filed_at, event.published, len(event.findings))
        self.reports = [r for r in self.reports if r.report_id != event.report_id] + [report]
