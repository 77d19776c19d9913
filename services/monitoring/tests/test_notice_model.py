"""The notice, decision and report rules, driven without any framework."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import Transport
from handoff_schemas.events.monitoring import (
    MonitoringDecision,
    MonitoringDecisionReason,
    NoticeAcknowledgedV1,
    NoticeFact,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeTimeliness,
    RemovalPhase,
)
from handoff_workdays import working_calendar
from monitoring.domain.decision import Decision
from monitoring.domain.lead_time import DEFAULT_REQUIRED_WORKING_DAYS, LeadTimePolicy
from monitoring.domain.notice import UNKNOWN_DEPARTMENT, Notice, NoticeHappening, NoticeStatus, Timeliness
from monitoring.domain.report import Report

pytestmark = pytest.mark.unit
HELSINKI = ZoneInfo("Europe/Helsinki")
POLICY = LeadTimePolicy(DEFAULT_REQUIRED_WORKING_DAYS, working_calendar("FI"), HELSINKI)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=HELSINKI)  # Monday
IN_7_WORKING_DAYS = datetime(2026, 12, 2, 8, 0, tzinfo=HELSINKI)
IN_3_WORKING_DAYS = datetime(2026, 11, 26, 8, 0, tzinfo=HELSINKI)


def received(police, **changes):  # type: ignore[no-untyped-def]
    plan = police.plan(planned_departure=IN_7_WORKING_DAYS, transport=Transport.SCHEDULED_FLIGHT, **changes)
    notice, changes_ = Notice.receive(plan, event_type=plan.event_type, now=NOW, rules=POLICY)
    return plan, notice, changes_


def test_a_notice_in_good_time_is_acknowledged_and_on_time(police) -> None:  # type: ignore[no-untyped-def]
    plan, notice, changes = received(police)
    assert notice.timeliness is Timeliness.ON_TIME
    assert (notice.lead_time_working_days, notice.required_working_days) == (7, 5)
    [ack] = changes.events
    assert isinstance(ack, NoticeAcknowledgedV1)
    assert ack.plan_id == plan.plan_id
    assert ack.received_at == NOW == ack.acknowledged_at
    assert changes.happenings == (NoticeHappening.RECEIVED,)


def test_a_charter_needs_more_notice_and_is_reported_late(police) -> None:  # type: ignore[no-untyped-def]
    plan = police.plan(planned_departure=IN_7_WORKING_DAYS, transport=Transport.CHARTER)
    notice, changes = Notice.receive(plan, event_type=plan.event_type, now=NOW, rules=POLICY)
    assert notice.timeliness is Timeliness.LATE
    ack, late = changes.events
    assert isinstance(ack, NoticeAcknowledgedV1)
    assert isinstance(late, NoticeLateV1)
    assert (late.lead_time_working_days, late.required_working_days) == (7, 10)
    assert late.responsible_department == plan.responsible_department
    assert changes.happenings == (NoticeHappening.RECEIVED, NoticeHappening.LATE)


def test_moving_the_departure_earlier_counts_the_lead_time_from_the_revision(police) -> None:  # type: ignore[no-untyped-def]
    plan, notice, _ = received(police)
    a_day_later = NOW + timedelta(days=1)
    changes = notice.revise(
        police.revision(plan, planned_departure=IN_3_WORKING_DAYS), now=a_day_later, rules=POLICY
    )
    assert notice.schedule_known_at == a_day_later
    assert notice.timeliness is Timeliness.LATE
    assert notice.lead_time_working_days == 2
    ack, late = changes.events
    assert isinstance(ack, NoticeAcknowledgedV1)
    assert (ack.revision, ack.timeliness) == (2, NoticeTimeliness.LATE)
    assert isinstance(late, NoticeLateV1)
    assert late.received_at == a_day_later
    assert (late.revision, late.changed_facts) == (2, [NoticeFact.DAY])
    assert changes.happenings == (NoticeHappening.UPDATED, NoticeHappening.LATE)
    assert notice.version == 2


def test_a_postponement_keeps_the_original_arrival_and_makes_a_late_notice_on_time(police) -> None:  # type: ignore[no-untyped-def]
    plan = police.plan(planned_departure=IN_3_WORKING_DAYS, transport=Transport.SCHEDULED_FLIGHT)
    notice, _ = Notice.receive(plan, event_type=plan.event_type, now=NOW, rules=POLICY)
    assert notice.timeliness is Timeliness.LATE
    changes = notice.revise(
        police.revision(plan, planned_departure=IN_7_WORKING_DAYS), now=NOW + timedelta(days=2), rules=POLICY
    )
    assert notice.schedule_known_at == NOW
    assert notice.timeliness is Timeliness.ON_TIME
    [ack] = changes.events  # each revision is acknowledged, with the judgement it brings
    assert isinstance(ack, NoticeAcknowledgedV1)
    assert (ack.revision, ack.timeliness) == (2, NoticeTimeliness.ON_TIME)


def test_a_repeated_or_stale_revision_changes_nothing(police) -> None:  # type: ignore[no-untyped-def]
    plan, notice, _ = received(police)
    second = police.revision(plan, measure="detention")
    assert not notice.revise(second, now=NOW, rules=POLICY).empty
    assert notice.revise(second, now=NOW, rules=POLICY).empty
    assert notice.revise(plan, now=NOW, rules=POLICY).empty
    assert notice.revision == 2


def test_execution_closes_for_good_and_an_abort_reopens_with_a_new_revision(police) -> None:  # type: ignore[no-untyped-def]
    plan, notice, _ = received(police)
    notice.abort(police.aborted(plan.plan_id, plan.return_case_id), now=NOW, rules=POLICY)
    assert notice.status is NoticeStatus.ABORTED
    notice.revise(
        police.revision(plan, planned_departure=IN_7_WORKING_DAYS + timedelta(days=7)), now=NOW, rules=POLICY
    )
    assert notice.status is NoticeStatus.PLANNED
    changes = notice.execute(police.executed(plan.plan_id, plan.return_case_id), now=NOW, rules=POLICY)
    assert changes.happenings == (NoticeHappening.CLOSED,)
    assert notice.status is NoticeStatus.EXECUTED
    assert notice.outcome is not None
    assert notice.outcome.use_of_force is True
    assert notice.execute(police.executed(plan.plan_id, plan.return_case_id), now=NOW, rules=POLICY).empty
    assert notice.revise(police.revision(plan, revision=9), now=NOW, rules=POLICY).empty


@pytest.mark.parametrize("kind", ["executed", "aborted"])
def test_a_removal_never_announced_is_a_missing_notice(police, kind: str) -> None:  # type: ignore[no-untyped-def]
    event = getattr(police, kind)()
    notice, changes = Notice.missing(event, event_type=event.event_type, department=None, now=NOW)
    assert notice.timeliness is Timeliness.MISSING
    assert notice.responsible_department == UNKNOWN_DEPARTMENT
    [missing] = changes.events
    assert isinstance(missing, NoticeMissingV1)
    assert missing.first_seen_event_type == event.event_type
    assert notice.learn_department("POL-VAST", now=NOW)
    assert not notice.learn_department("POL-SYD", now=NOW)
    assert notice.responsible_department == "POL-VAST"


def test_decisions_name_monitors_only_when_monitoring_and_give_a_fitting_reason(police) -> None:  # type: ignore[no-untyped-def]
    _, notice, _ = received(police)

    def decide(decision, monitors, reason):  # type: ignore[no-untyped-def]
        return Decision.make(
            notice, decision=decision, monitors=monitors, reason=reason, decided_by="m", now=NOW
        )

    with pytest.raises(InvalidInput) as error:
        decide(MonitoringDecision.MONITOR, [], MonitoringDecisionReason.SAMPLE)
    assert error.value.field == "monitors"
    with pytest.raises(InvalidInput) as error:
        decide(MonitoringDecision.NOT_MONITOR, ["MON-07"], MonitoringDecisionReason.LOW_RISK)
    assert error.value.field == "monitors"
    with pytest.raises(InvalidInput) as error:
        decide(MonitoringDecision.MONITOR, ["Maija Meikäläinen"], MonitoringDecisionReason.SAMPLE)
    assert error.value.field == "monitors.0"
    with pytest.raises(InvalidInput) as error:
        decide(MonitoringDecision.MONITOR, ["MON-07"], MonitoringDecisionReason.NO_CAPACITY)
    assert error.value.field == "reason"
    decision, event = decide(
        MonitoringDecision.MONITOR, ["MON-07", "MON-07", "MON-12"], MonitoringDecisionReason.SAMPLE
    )
    assert event.monitors == ["MON-07", "MON-12"]
    assert decision.monitored


def test_no_decision_once_the_removal_happened_and_no_report_without_a_decision_to_monitor(police) -> None:  # type: ignore[no-untyped-def]
    plan, notice, _ = received(police)
    report_args = dict(
        existing=None,
        phases_observed=[RemovalPhase.IN_FLIGHT],
        findings=[],
        recommendations=[],
        publish=False,
        filed_by="m",
        now=NOW,
    )
    with pytest.raises(Conflict):
        Report.file(notice, latest_decision=None, **report_args)  # type: ignore[arg-type]
    decision, _ = Decision.make(
        notice,
        decision=MonitoringDecision.MONITOR,
        monitors=["MON-07"],
        reason=MonitoringDecisionReason.SAMPLE,
        decided_by="m",
        now=NOW,
    )
    notice.execute(police.executed(plan.plan_id, plan.return_case_id), now=NOW, rules=POLICY)
    with pytest.raises(Conflict):
        Decision.make(
            notice,
            decision=MonitoringDecision.NOT_MONITOR,
            monitors=[],
            reason=MonitoringDecisionReason.LOW_RISK,
            decided_by="m",
            now=NOW,
        )
    report, event = Report.file(notice, latest_decision=decision, **report_args)  # type: ignore[arg-type]
    assert event is None  # an unpublished report stays with the monitor: no event
    with pytest.raises(Conflict):
        Report.file(notice, latest_decision=decision, **{**report_args, "existing": report})  # type: ignore[arg-type]
    published = report.publish(now=NOW)
    assert published is not None
    assert published.published
    assert report.publish(now=NOW) is None


def test_a_plan_for_a_removal_first_seen_aborted_without_notice_is_noticed_then(police) -> None:  # type: ignore[no-untyped-def]
    aborted = police.aborted()
    notice, _ = Notice.missing(aborted, event_type=aborted.event_type, department=None, now=NOW)
    plan = police.plan(plan_id=aborted.plan_id, return_case_id=aborted.return_case_id)
    later = NOW + timedelta(days=1)
    changes = notice.revise(police.revision(plan), now=later, rules=POLICY)
    assert (notice.status, notice.timeliness, notice.received_at) == (
        NoticeStatus.PLANNED,
        Timeliness.ON_TIME,
        later,
    )
    [ack] = changes.events
    assert isinstance(ack, NoticeAcknowledgedV1)
    assert changes.happenings == (NoticeHappening.RECEIVED,)
    executed = Notice.missing(
        police.executed(), event_type="handoff.police.removal-executed.v1", department="X", now=NOW
    )[0]
    assert executed.revise(plan, now=later, rules=POLICY).empty  # carried out: nothing left to notice
