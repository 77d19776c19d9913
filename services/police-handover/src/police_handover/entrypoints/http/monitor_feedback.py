"""What the independent monitor said about a plan, as the plan shows it."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from police_handover.domain.monitoring import MonitorFeedback


class MonitoringOut(BaseModel):
    """What the independent monitor said about this plan, as it arrived on its topics."""

    notice_id: str | None
    received_at: datetime | None
    acknowledged_at: datetime | None
    late: dict[str, Any] | None
    notice_missing_at: datetime | None
    decision: dict[str, Any] | None
    reports: list[dict[str, Any]]
    timeliness: str | None = Field(
        description="The monitor's latest judgement: on_time, late or missing (the notice figures count it)."
    )
    acknowledged_revision: int | None = Field(
        description="The last revision of the plan the monitor acknowledged."
    )
    revision_missing: dict[str, Any] | None = Field(
        description="The removal departed from the last notice: the revision missing and what changed."
    )

    @classmethod
    def of(cls, feedback: MonitorFeedback) -> MonitoringOut:
        ack = feedback.acknowledgement
        return cls(
            notice_id=ack.notice_id if ack else None,
            received_at=ack.received_at if ack else None,
            acknowledged_at=ack.acknowledged_at if ack else None,
            late=(
                {
                    "lead_time_working_days": feedback.late.lead_time_working_days,
                    "required_working_days": feedback.late.required_working_days,
                    "received_at": feedback.late.received_at,
                }
                if feedback.late
                else None
            ),
            notice_missing_at=feedback.missing_notice_at,
            decision=(
                {
                    "decision": feedback.decision.decision,
                    "reason": feedback.decision.reason,
                    "monitors": list(feedback.decision.monitors),
                    "decided_at": feedback.decision.decided_at,
                }
                if feedback.decision
                else None
            ),
            reports=[
                {
                    "report_id": r.report_id,
                    "filed_at": r.filed_at,
                    "published": r.published,
                    "findings": r.findings,
                }
                for r in feedback.reports
            ],
            timeliness=feedback.timeliness,
            acknowledged_revision=feedback.acknowledged_revision,
            revision_missing=(
                {
                    **dataclasses.asdict(feedback.revision_missing),
                    "changes": [
                        {"fact": fact, "notified": notified, "actual": actual}
                        for fact, notified, actual in feedback.revision_missing.changes
                    ],
                }
                if feedback.revision_missing
                else None
            ),
        )
