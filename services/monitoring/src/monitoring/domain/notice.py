"""The notice of one planned forced removal: the monitor's aggregate, one per removal plan.

Every event of the Police's removal-plan stream becomes or changes a notice:

* the first plan event (normally ``removal-plan-created``) *is* the notice: it is stored
  with the time it reached the monitor, acknowledged at once, and judged on time or late
  against the lead-time rules for its transport;
* a later revision replaces the plan's facts. If it moves the departure earlier, or
  switches to a transport that needs more preparation, the monitor learned of the new
  schedule only now, so the lead time is counted again from now; a schedule that becomes
  short of the rules is reported late again;
* each revision is acknowledged, with how the notice is judged now;
* cancellation, execution and abort close the notice (an aborted removal reopens when a
  new revision of its plan comes); an execution or abort that departs from the last notice (another
  day, transport, escort or destination) is judged anew and flagged with the revision that was
  missing (:mod:`monitoring.domain.deviation`);
* an execution or abort of a plan that never reached the monitor makes a *missing*
  notice: the removal that was never announced is recorded and reported.

Plain Python: the caller passes "now" (from the injected clock) and the lead-time rules.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from handoff_schemas import Event
from handoff_schemas.events.monitoring import (
    NoticeAcknowledgedV1,
    NoticeFact,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeRevisionMissingV1,
    NoticeTimeliness,
    RemovalHappening,
)
from handoff_schemas.events.police import (
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanState,
)
from monitoring.domain.deviation import Deviation, Happened, counts_anew, departure, revised_facts
from monitoring.domain.lead_time import LeadTimePolicy
from monitoring.domain.notice_facts import Outcome, PlanFacts, revision_of

__all__ = ["Changes", "Notice", "NoticeHappening", "NoticeStatus", "Outcome", "PlanFacts", "Timeliness"]

UNKNOWN_DEPARTMENT = "UNKNOWN"
"""Department of a missing notice whose enforcement case the monitor has not seen (yet)."""


class NoticeStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    EXECUTED = "executed"
    ABORTED = "aborted"


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


class NoticeHappening(StrEnum):
    """What happened to a notice; each is pushed to the monitor's webhooks under this name."""

    RECEIVED = "notice.received"
    UPDATED = "notice.updated"
    LATE = "notice.late"
    MISSING = "notice.missing"
    REVISION_MISSING = "notice.revision_missing"
    CLOSED = "notice.closed"


CLOSED_FOR_GOOD = frozenset({NoticeStatus.CANCELLED, NoticeStatus.EXECUTED})


@dataclass(frozen=True)
class Changes:
    """What a command on a notice caused: events for the Police, happenings for the webhooks."""

    events: tuple[Event, ...] = ()
    happenings: tuple[NoticeHappening, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.events and not self.happenings

    def __add__(self, other: Changes) -> Changes:
        return Changes(self.events + other.events, self.happenings + other.happenings)


def new_notice_id(now: datetime) -> str:
    return f"N-{now.year}-{secrets.token_hex(6)}"


@dataclass
class Notice:
    notice_id: str
    plan_id: str
    return_case_id: str
    responsible_department: str
    status: NoticeStatus
    timeliness: Timeliness
    first_seen_event_type: str
    received_at: datetime
    updated_at: datetime
    revision: int = 0
    version: int = 1
    plan: PlanFacts | None = None
    acknowledged_at: datetime | None = None
    schedule_known_at: datetime | None = None
    lead_time_working_days: int | None = None
    required_working_days: int | None = None
    outcome: Outcome | None = field(default=None)
    deviation: Deviation | None = None
    """How the removal, as carried out or aborted, departed from the last notice (None: it did not)."""

    # ------------------------------------------------------------------ arrival of a plan

    @classmethod
    def receive(
        cls, plan: RemovalPlanState, *, event_type: str, now: datetime, rules: LeadTimePolicy
    ) -> tuple[Notice, Changes]:
        """The first plan event reached the monitor: store it, acknowledge it, judge its lead time."""
        facts = PlanFacts.of(plan)
        lead = rules.assess(now, facts.planned_departure, facts.transport)
        notice = cls(
            notice_id=new_notice_id(now),
            plan_id=plan.plan_id,
            return_case_id=plan.return_case_id,
            responsible_department=plan.responsible_department,
            status=NoticeStatus.PLANNED,
            timeliness=Timeliness.LATE if lead.late else Timeliness.ON_TIME,
            first_seen_event_type=event_type,
            received_at=now,
            updated_at=now,
            revision=revision_of(plan),
            plan=facts,
            acknowledged_at=now,
            schedule_known_at=now,
            lead_time_working_days=lead.working_days,
            required_working_days=lead.required,
        )
        events: list[Event] = [notice.acknowledged_event()]
        happenings = [NoticeHappening.RECEIVED]
        if lead.late:
            events.append(notice.late_event())
            happenings.append(NoticeHappening.LATE)
        return notice, Changes(tuple(events), tuple(happenings))

    def revise(self, plan: RemovalPlanState, *, now: datetime, rules: LeadTimePolicy) -> Changes:
        """A later revision of the plan; an old or repeated revision changes nothing."""
        revision = revision_of(plan)
        if self.plan is None and self.status is NoticeStatus.ABORTED:
            return self._announced_after_all(plan, now=now, rules=rules)
        if self.plan is None or self.status in CLOSED_FOR_GOOD or revision <= self.revision:
            return Changes()
        old, new = self.plan, PlanFacts.of(plan)
        known_since = self.schedule_known_at or self.received_at
        if counts_anew(old, new, rules):
            known_since = now
        lead = rules.assess(known_since, new.planned_departure, new.transport)
        changed = revised_facts(old, new, rules)
        schedule_changed = bool(changed) or plan.responsible_department != self.responsible_department
        was_late = self.timeliness is Timeliness.LATE
        self.plan = new
        self.revision = revision
        self.responsible_department = plan.responsible_department
        self.return_case_id = plan.return_case_id
        self.schedule_known_at = known_since
        self.lead_time_working_days = lead.working_days
        self.required_working_days = lead.required
        self.timeliness = Timeliness.LATE if lead.late else Timeliness.ON_TIME
        if self.status is NoticeStatus.ABORTED:  # a new attempt after an abort
            self.status, self.outcome = NoticeStatus.PLANNED, None
        self.acknowledged_at = now
        self._touch(now)
        if lead.late and (not was_late or schedule_changed):
            return Changes(
                (self.acknowledged_event(), self.late_event(changed)),
                (NoticeHappening.UPDATED, NoticeHappening.LATE),
            )
        return Changes((self.acknowledged_event(),), (NoticeHappening.UPDATED,))

    def _announced_after_all(
        self, plan: RemovalPlanState, *, now: datetime, rules: LeadTimePolicy
    ) -> Changes:
        """A removal first seen aborted without notice is planned again: the new attempt is noticed now.

        The earlier attempt was reported missing; from here the notice is judged like any other.
        """
        facts = PlanFacts.of(plan)
        lead = rules.assess(now, facts.planned_departure, facts.transport)
        self.plan, self.revision, self.outcome = facts, revision_of(plan), None
        self.status = NoticeStatus.PLANNED
        self.responsible_department, self.return_case_id = plan.responsible_department, plan.return_case_id
        self.received_at = self.acknowledged_at = self.schedule_known_at = now
        self.lead_time_working_days, self.required_working_days = lead.working_days, lead.required
        self.timeliness = Timeliness.LATE if lead.late else Timeliness.ON_TIME
        self._touch(now)
        if lead.late:
            return Changes(
                (self.acknowledged_event(), self.late_event()),
                (NoticeHappening.RECEIVED, NoticeHappening.LATE),
            )
        return Changes((self.acknowledged_event(),), (NoticeHappening.RECEIVED,))

    # ------------------------------------------------------------------ closing

    def cancel(self, event: RemovalPlanCancelledV1, *, now: datetime) -> Changes:
        if self.status in CLOSED_FOR_GOOD:
            return Changes()
        return self._close(NoticeStatus.CANCELLED, Outcome.cancelled(event), now)

    def execute(self, event: RemovalExecutedV1, *, now: datetime, rules: LeadTimePolicy) -> Changes:
        """Carried out: closes the notice for good (even one cancelled earlier: it happened), and is
        judged anew if it departed from the last notice."""
        if self.status is NoticeStatus.EXECUTED:
            return Changes()
        happened = Happened.of(RemovalHappening.EXECUTED, event.executed_at, event.carried_out_as)
        return self._close(NoticeStatus.EXECUTED, Outcome.executed(event), now) + self._judge(
            happened, now, rules
        )

    def abort(self, event: RemovalAbortedV1, *, now: datetime, rules: LeadTimePolicy) -> Changes:
        if self.status in CLOSED_FOR_GOOD:
            return Changes()
        outcome = Outcome.aborted(event)
        if self.status is NoticeStatus.ABORTED and self.outcome == outcome:
            return Changes()
        happened = Happened.of(RemovalHappening.ABORTED, event.aborted_at, event.attempted_as)
        return self._close(NoticeStatus.ABORTED, outcome, now) + self._judge(happened, now, rules)

    def _close(self, status: NoticeStatus, outcome: Outcome, now: datetime) -> Changes:
        self.status, self.outcome = status, outcome
        self._touch(now)
        return Changes((), (NoticeHappening.CLOSED,))

    def _judge(self, happened: Happened, now: datetime, rules: LeadTimePolicy) -> Changes:
        """What happened, against the last notice: a departure from it is judged anew and flagged."""
        if self.plan is None:
            return Changes()
        found = departure(self.plan, self.revision, happened, now=now, policy=rules)
        if found is None:
            return Changes()
        self.deviation = found
        self.schedule_known_at = now
        self.lead_time_working_days = found.lead_time_working_days
        self.required_working_days = found.required_working_days
        if found.late:
            self.timeliness = Timeliness.LATE
        return Changes((self.revision_missing_event(),), (NoticeHappening.REVISION_MISSING,))

    # ------------------------------------------------------------------ a removal never announced

    @classmethod
    def missing(
        cls,
        event: RemovalExecutedV1 | RemovalAbortedV1,
        *,
        event_type: str,
        department: str | None,
        now: datetime,
    ) -> tuple[Notice, Changes]:
        """The monitor learns of a removal only when it was carried out or aborted."""
        if isinstance(event, RemovalExecutedV1):
            status, outcome = NoticeStatus.EXECUTED, Outcome.executed(event)
        else:
            status, outcome = NoticeStatus.ABORTED, Outcome.aborted(event)
        notice = cls(
            notice_id=new_notice_id(now),
            plan_id=event.plan_id,
            return_case_id=event.return_case_id,
            responsible_department=department or UNKNOWN_DEPARTMENT,
            status=status,
            timeliness=Timeliness.MISSING,
            first_seen_event_type=event_type,
            received_at=now,
            updated_at=now,
            outcome=outcome,
        )
        return notice, Changes((notice.missing_event(),), (NoticeHappening.MISSING,))

    def learn_department(self, department: str, *, now: datetime) -> bool:
        """A missing notice learns its department from the enforcement case, once known."""
        if self.responsible_department != UNKNOWN_DEPARTMENT:
            return False
        self.responsible_department = department
        self._touch(now)
        return True

    def detention_changed(self, *, now: datetime) -> Changes:
        """The person's detention status changed: an open notice's view (and priority) with it."""
        if self.status is not NoticeStatus.PLANNED:
            return Changes()
        self._touch(now)
        return Changes((), (NoticeHappening.UPDATED,))

    def _touch(self, now: datetime) -> None:
        self.version += 1
        self.updated_at = now

    # ------------------------------------------------------------------ what others are told

    @property
    def removal_date(self) -> datetime | None:
        """When the removal happened (or is planned): the date statistics count it under."""
        if self.outcome is not None and self.status is not NoticeStatus.CANCELLED:
            return self.outcome.at
        return self.plan.planned_departure if self.plan is not None else None

    def acknowledged_event(self) -> NoticeAcknowledgedV1:
        """The acknowledgement of the plan's current revision, with how the notice is judged now."""
        assert self.acknowledged_at is not None
        return NoticeAcknowledgedV1(
            notice_id=self.notice_id,
            plan_id=self.plan_id,
            received_at=self.received_at,
            acknowledged_at=self.acknowledged_at,
            revision=self.revision,
            timeliness=NoticeTimeliness.LATE
            if self.timeliness is Timeliness.LATE
            else NoticeTimeliness.ON_TIME,
        )

    def revision_missing_event(self) -> NoticeRevisionMissingV1:
        deviation = self.deviation
        assert deviation is not None
        return NoticeRevisionMissingV1(
            notice_id=self.notice_id,
            plan_id=self.plan_id,
            responsible_department=self.responsible_department,
            happened=deviation.happening,
            happened_at=deviation.happened_at,
            notified_revision=deviation.notified_revision,
            missing_revision=deviation.missing_revision,
            changes=deviation.fact_changes(),
            lead_time_working_days=deviation.lead_time_working_days,
            required_working_days=deviation.required_working_days,
        )

    def late_event(self, changed: Sequence[NoticeFact] = ()) -> NoticeLateV1:
        assert self.plan is not None
        assert self.schedule_known_at is not None
        assert self.lead_time_working_days is not None
        assert self.required_working_days is not None
        return NoticeLateV1(
            notice_id=self.notice_id,
            plan_id=self.plan_id,
            responsible_department=self.responsible_department,
            transport=self.plan.transport,
            received_at=self.schedule_known_at,
            planned_departure=self.plan.planned_departure,
            lead_time_working_days=self.lead_time_working_days,
            required_working_days=self.required_working_days,
            revision=self.revision,
            changed_facts=list(changed),
        )

    def missing_event(self) -> NoticeMissingV1:
        assert self.outcome is not None
        return NoticeMissingV1(
            plan_id=self.plan_id,
            responsible_department=self.responsible_department,
            executed_or_aborted_at=self.outcome.at,
            first_seen_event_type=self.first_seen_event_type,
        )
