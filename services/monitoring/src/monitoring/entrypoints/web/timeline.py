"""A notice's history as the monitor knows it, in time order: the plan's arrival and revisions,
the schedule that counts for the lead time, detention, decisions, the report, how it ended.

The monitor keeps the plan's latest revision (and when its schedule became known), not a copy
of each earlier one: the timeline shows what the stored notice, decisions and report tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitoring.domain.decision import Decision
from monitoring.domain.detention import DetentionStatus
from monitoring.domain.notice import NoticeStatus, Timeliness
from monitoring.domain.notice_file import NoticeFile
from monitoring.domain.report import Report
from monitoring.entrypoints.web.rendering import words


@dataclass(frozen=True)
class Moment:
    at: datetime
    title: str
    detail: str = ""
    kind: str = "plan"  # plan, schedule, late, detention, decision, report, outcome, departure
    upcoming: bool = False


def timeline(
    file: NoticeFile, decisions: Sequence[Decision], report: Report | None, now: datetime
) -> list[Moment]:
    notice, plan = file.notice, file.notice.plan
    moments: list[Moment] = []
    if notice.timeliness is Timeliness.MISSING and notice.outcome is not None:
        moments.append(
            Moment(
                notice.received_at,
                "Removal reported without any notice",
                f"The first the monitor heard of this plan was {notice.first_seen_event_type}: "
                "the notice is missing.",
                kind="late",
            )
        )
    else:
        moments.append(
            Moment(
                notice.received_at,
                "Notice received and acknowledged",
                f"From {notice.first_seen_event_type}; the Police were sent the acknowledgement.",
            )
        )
    if notice.schedule_known_at is not None and notice.schedule_known_at != notice.received_at:
        moments.append(
            Moment(
                notice.schedule_known_at,
                "Schedule brought forward or transport changed",
                "The lead time counts again from this revision's arrival.",
                kind="schedule",
            )
        )
    if notice.revision > 1:
        moments.append(
            Moment(
                notice.updated_at,
                f"Plan revision {notice.revision} is the latest received",
                "The facts on this page are this revision's.",
            )
        )
    if plan is not None:
        lead = notice.lead_time_working_days
        detail = (
            f"{words(plan.transport)}; {lead} of the {notice.required_working_days} working days' notice "
            "the policy requires."
            if lead is not None
            else words(plan.transport)
        )
        moments.append(
            Moment(
                plan.planned_departure,
                "Planned departure",
                detail,
                kind="departure",
                upcoming=plan.planned_departure > now,
            )
        )
    detention = file.detention
    if detention.since is not None and detention.status is not DetentionStatus.NOT_DETAINED:
        detained = detention.status is DetentionStatus.DETAINED
        moments.append(
            Moment(
                detention.since,
                "Detained" if detained else "Released from detention",
                f"Unit {detention.facility}" if detained and detention.facility else "",
                kind="detention",
            )
        )
    for decision in decisions:
        monitors = ", ".join(decision.monitors)
        moments.append(
            Moment(
                decision.decided_at,
                f"Decision: {words(decision.decision).lower()}",
                f"Reason: {words(decision.reason).lower()}" + (f"; monitors {monitors}" if monitors else ""),
                kind="decision",
            )
        )
    if report is not None:
        moments.append(Moment(report.filed_at, "Report filed", f"Report {report.report_id}", kind="report"))
        if report.published_at is not None:
            moments.append(Moment(report.published_at, "Report published", kind="report"))
    if notice.outcome is not None:
        outcome = notice.outcome
        reason = outcome.cancellation_reason or outcome.abort_reason
        title = {
            NoticeStatus.CANCELLED: "Plan cancelled",
            NoticeStatus.EXECUTED: "Removal carried out",
            NoticeStatus.ABORTED: "Removal aborted",
        }.get(notice.status, words(notice.status))
        moments.append(
            Moment(outcome.at, title, f"Reason: {words(reason).lower()}" if reason else "", kind="outcome")
        )
    return sorted(moments, key=lambda m: m.at)
