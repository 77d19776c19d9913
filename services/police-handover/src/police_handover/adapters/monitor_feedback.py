"""What the monitor said about each removal plan (acknowledged, late, decision, report)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from police_handover.adapters.orm import monitor_feedback, removal_plans
from police_handover.domain.monitoring import (
    Acknowledgement,
    Decision,
    Lateness,
    MonitorFeedback,
    Report,
    RevisionMissing,
)
from police_handover.domain.notice_statistics import NoticeRecord, removal_moment
from police_handover.domain.removal_plan import PlanStatus


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, plan_id: str) -> MonitorFeedback | None:
        row = (
            await self._session.execute(select(monitor_feedback).where(monitor_feedback.c.plan_id == plan_id))
        ).first()
        return _feedback(row._mapping) if row else None

    async def for_plans(self, plan_ids: Sequence[str]) -> dict[str, MonitorFeedback]:
        if not plan_ids:
            return {}
        rows = (
            await self._session.execute(
                select(monitor_feedback).where(monitor_feedback.c.plan_id.in_(plan_ids))
            )
        ).all()
        return {row._mapping["plan_id"]: _feedback(row._mapping) for row in rows}

    async def save(self, feedback: MonitorFeedback, now: datetime) -> None:
        ack = feedback.acknowledgement
        values = {
            "notice_id": ack.notice_id if ack else None,
            "received_at": ack.received_at if ack else None,
            "acknowledged_at": ack.acknowledged_at if ack else None,
            "late": (
                {
                    "lead_time_working_days": feedback.late.lead_time_working_days,
                    "required_working_days": feedback.late.required_working_days,
                    "received_at": feedback.late.received_at.isoformat(),
                }
                if feedback.late
                else None
            ),
            "missing_notice_at": feedback.missing_notice_at,
            "decision": (
                {
                    "decision": feedback.decision.decision,
                    "reason": feedback.decision.reason,
                    "monitors": list(feedback.decision.monitors),
                    "decided_at": feedback.decision.decided_at.isoformat(),
                }
                if feedback.decision
                else None
            ),
            "reports": [
                {
                    "report_id": r.report_id,
                    "filed_at": r.filed_at.isoformat(),
                    "published": r.published,
                    "findings": r.findings,
                }
                for r in feedback.reports
            ],
            "updated_at": now,
            "timeliness": feedback.timeliness,
            "acknowledged_revision": feedback.acknowledged_revision,
            "revision_missing": dataclasses.asdict(feedback.revision_missing)
            if feedback.revision_missing
            else None,
        }
        if await self.get(feedback.plan_id) is None:
            await self._session.execute(insert(monitor_feedback).values(plan_id=feedback.plan_id, **values))
        else:
            await self._session.execute(
                update(monitor_feedback)
                .where(monitor_feedback.c.plan_id == feedback.plan_id)
                .values(**values)
            )


def _feedback(row: Any) -> MonitorFeedback:
    ack = None
    if row["notice_id"] is not None:
        ack = Acknowledgement(row["notice_id"], row["received_at"], row["acknowledged_at"])
    late = row["late"]
    decision = row["decision"]
    return MonitorFeedback(
        plan_id=row["plan_id"],
        acknowledgement=ack,
        late=(
            Lateness(
                late["lead_time_working_days"],
                late["required_working_days"],
                datetime.fromisoformat(late["received_at"]),
            )
            if late
            else None
        ),
        missing_notice_at=row["missing_notice_at"],
        decision=(
            Decision(
                decision["decision"],
                decision["reason"],
                tuple(decision["monitors"]),
                datetime.fromisoformat(decision["decided_at"]),
            )
            if decision
            else None
        ),
        reports=[
            Report(r["report_id"], datetime.fromisoformat(r["filed_at"]), r["published"], r["findings"])
            for r in row["reports"]
        ],
        timeliness=row["timeliness"],
        acknowledged_revision=row["acknowledged_revision"],
        revision_missing=_revision_missing(row["revision_missing"]),
    )


def _revision_missing(value: dict[str, Any] | None) -> RevisionMissing | None:
    if value is None:
        return None
    return RevisionMissing(**{**value, "changes": tuple(tuple(change) for change in value["changes"])})


async def notice_records(session: AsyncSession) -> list[NoticeRecord]:
    """Every plan the monitor judged, as the notice statistics count it."""
    p, f = removal_plans.c, monitor_feedback.c
    rows = await session.execute(
        select(
            p.responsible_department,
            p.status,
            p.planned_departure,
            p.executed_at,
            p.ended_at,
            f.timeliness,
            f.revision_missing,
        )
        .join(monitor_feedback, f.plan_id == p.plan_id)
        .where(f.timeliness.is_not(None))
    )
    return [
        NoticeRecord(
            department=m["responsible_department"],
            removal_at=removal_moment(
                PlanStatus(m["status"]), m["planned_departure"], m["executed_at"], m["ended_at"]
            ),
            timeliness=m["timeliness"],
            revision_missing=m["revision_missing"] is not None,
        )
        for m in (row._mapping for row in rows)
    ]
