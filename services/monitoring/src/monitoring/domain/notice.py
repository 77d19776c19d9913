"""The notice of one planned forced removal: the monitor's aggregate, one per removal plan.

Every event of the Police's removal-plan stream becomes or changes a notice:

* the first plan event (normally ``removal-plan-created``) *is* the notice: it is stored
  with the time it reached the monitor, acknowledged at once, and judged on time or late
  against the lead-time rules for its transport;
* a later revision replaces the plan's facts. If it moves the departure earlier, or
  switches to a transport that needs more preparation, the monitor learned of the new
  schedule only now, so the lead time is counted again from now; a schedule that becomes
  short of the rules is reported late again;
* cancellation, execution and abort close the notice (an aborted removal reopens when a
  new revision of its plan comes);
* an execution or abort of a plan that never reached the monitor makes a *missing*
  notice: the removal that was never announced is recorded and reported.

Plain Python: the caller passes "now" (from the injected clock) and the lead-time rules.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from handoff_schemas import Event
from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
from handoff_schemas.events.monitoring import NoticeAcknowledgedV1, NoticeLateV1, NoticeMissingV1
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanState,
    RemovalPlanUpdatedV1,
    Restraint,
)
from monitoring.domain.lead_time import LeadTimePolicy

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
    CLOSED = "notice.closed"


CLOSED_FOR_GOOD = frozenset({NoticeStatus.CANCELLED, NoticeStatus.EXECUTED})


@dataclass(frozen=True)
class PlanFacts:
    """What the removal plan tells the monitor: categories, codes and dates, nobody's identity."""

    person_ref: str
    age_band: AgeBand
    minor: bool
    sex: Sex
    nationality: str
    destination_country: str
    transit_countries: tuple[str, ...]
    readmission_basis: ReadmissionBasis
    transport: Transport
    escort_level: EscortLevel
    planned_departure: datetime
    measure: PrecautionaryMeasure
    vulnerabilities: tuple[Vulnerability, ...]
    precautions: tuple[tuple[Precaution, PrecautionStatus], ...]

    @classmethod
    def of(cls, plan: RemovalPlanState) -> PlanFacts:
        return cls(
            person_ref=plan.person_ref,
            age_band=plan.age_band,
            minor=plan.minor,
            sex=plan.sex,
            nationality=plan.nationality,
            destination_country=plan.destination_country,
            transit_countries=tuple(plan.transit_countries),
            readmission_basis=plan.readmission_basis,
            transport=plan.transport,
            escort_level=plan.escort_level,
            planned_departure=plan.planned_departure,
            measure=plan.measure,
            vulnerabilities=tuple(sorted(set(plan.vulnerabilities))),
            precautions=tuple((check.precaution, check.status) for check in plan.precautions),
        )

    @property
    def pending_precautions(self) -> tuple[Precaution, ...]:
        return tuple(p for p, status in self.precautions if status is PrecautionStatus.PENDING)


@dataclass(frozen=True)
class Outcome:
    """How a notice closed: cancelled, carried out or aborted, with what the Police reported."""

    at: datetime
    cancellation_reason: CancellationReason | None = None
    abort_reason: AbortReason | None = None
    aborted_at_departure: bool | None = None
    use_of_force: bool | None = None
    restraints_used: tuple[Restraint, ...] = ()
    incidents: tuple[str, ...] = ()

    @classmethod
    def executed(cls, event: RemovalExecutedV1) -> Outcome:
        return cls(
            at=event.executed_at,
            use_of_force=event.use_of_force,
            restraints_used=tuple(event.restraints_used),
            incidents=tuple(event.incidents),
        )

    @classmethod
    def aborted(cls, event: RemovalAbortedV1) -> Outcome:
        return cls(at=event.aborted_at, abort_reason=event.reason, aborted_at_departure=event.at_departure)

    @classmethod
    def cancelled(cls, event: RemovalPlanCancelledV1) -> Outcome:
        return cls(at=event.cancelled_at, cancellation_reason=event.reason)


@dataclass(frozen=True)
class Changes:
    """What a command on a notice caused: events for the Police, happenings for the webhooks."""

    events: tuple[Event, ...] = ()
    happenings: tuple[NoticeHappening, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.events and not self.happenings


def revision_of(plan: RemovalPlanState) -> int:
    return plan.revision if isinstance(plan, RemovalPlanUpdatedV1) else 1


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
        if new.planned_departure < old.planned_departure or rules.required_for(
            new.transport
        ) > rules.required_for(old.transport):
            known_since = now
        lead = rules.assess(known_since, new.planned_departure, new.transport)
        schedule_changed = (
            new.planned_departure != old.planned_departure
            or new.transport != old.transport
            or plan.responsible_department != self.responsible_department
        )
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
        self._touch(now)
        if lead.late and (not was_late or schedule_changed):
            return Changes((self.late_event(),), (NoticeHappening.UPDATED, NoticeHappening.LATE))
        return Changes((), (NoticeHappening.UPDATED,))

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

    def execute(self, event: RemovalExecutedV1, *, now: datetime) -> Changes:
        """Carried out: closes the notice for good (even one cancelled earlier: it happened)."""
        if self.status is NoticeStatus.EXECUTED:
            return Changes()
        return self._close(NoticeStatus.EXECUTED, Outcome.executed(event), now)

    def abort(self, event: RemovalAbortedV1, *, now: datetime) -> Changes:
        if self.status in CLOSED_FOR_GOOD:
            return Changes()
        outcome = Outcome.aborted(event)
        if self.status is NoticeStatus.ABORTED and self.outcome == outcome:
            return Changes()
        return self._close(NoticeStatus.ABORTED, outcome, now)

    def _close(self, status: NoticeStatus, outcome: Outcome, now: datetime) -> Changes:
        self.status, self.outcome = status, outcome
        self._touch(now)
        return Changes((), (NoticeHappening.CLOSED,))

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
        assert self.acknowledged_at is not None
        return NoticeAcknowledgedV1(
            notice_id=self.notice_id,
            plan_id=self.plan_id,
            received_at=self.received_at,
            acknowledged_at=self.acknowledged_at,
        )

    def late_event(self) -> NoticeLateV1:
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
        )

    def missing_event(self) -> NoticeMissingV1:
        assert self.outcome is not None
        return NoticeMissingV1(
            plan_id=self.plan_id,
            responsible_department=self.responsible_department,
            executed_or_aborted_at=self.outcome.at,
            first_seen_event_type=self.first_seen_event_type,
        )
