"""The removal (enforcement) plan: what the Police plan, change, carry out, abort or cancel.

The plan knows its legal transitions (:data:`TRANSITIONS`): planned → updated (any number
of times) → executed, aborted or cancelled, the last three final. Each successful step
raises exactly one event on handoff.police.removal-plan.v1, the monitor's source of
notices; an illegal one raises :class:`IllegalTransition` and changes nothing. The events
carry age band, minor, sex and nationality, never the date of birth, name or documents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, Transport, Vulnerability
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionCheck,
    PrecautionStatus,
    ReadmissionBasis,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalFacts,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
    RemovalPlanUpdatedV1,
    Restraint,
)
from police_handover.domain import precautions as checklist_rules
from police_handover.domain.age import age_band, is_minor
from police_handover.domain.enforcement_case import EnforcementCase, Person
from police_handover.domain.errors import IllegalTransition
from police_handover.domain.handover import UNKNOWN_COUNTRY
from police_handover.domain.references import new_reference
from police_handover.domain.removal_outcome import Actual, Ending, Execution
from police_handover.domain.rules import PoliceHandoverRules

CLOCK_SKEW = timedelta(minutes=5)


class PlanStatus(StrEnum):
    PLANNED = "planned"
    UPDATED = "updated"
    EXECUTED = "executed"
    ABORTED = "aborted"
    CANCELLED = "cancelled"


TRANSITIONS: dict[PlanStatus, frozenset[PlanStatus]] = {
    PlanStatus.PLANNED: frozenset(
        {PlanStatus.UPDATED, PlanStatus.EXECUTED, PlanStatus.ABORTED, PlanStatus.CANCELLED}
    ),
    PlanStatus.UPDATED: frozenset(
        {PlanStatus.UPDATED, PlanStatus.EXECUTED, PlanStatus.ABORTED, PlanStatus.CANCELLED}
    ),
    PlanStatus.EXECUTED: frozenset(),
    PlanStatus.ABORTED: frozenset(),
    PlanStatus.CANCELLED: frozenset(),
}
ACTIVE = frozenset({PlanStatus.PLANNED, PlanStatus.UPDATED})

UPDATABLE = (
    "destination_country",
    "transit_countries",
    "readmission_basis",
    "transport",
    "escort_level",
    "planned_departure",
    "responsible_department",
    "measure",
    "vulnerabilities",
    "precautions",
)


@dataclass(frozen=True)
class PlanDetails:
    """What the Police decide in a plan."""

    destination_country: str
    readmission_basis: ReadmissionBasis
    transport: Transport
    escort_level: EscortLevel
    planned_departure: datetime
    responsible_department: str
    measure: PrecautionaryMeasure
    vulnerabilities: tuple[Vulnerability, ...] = ()
    transit_countries: tuple[str, ...] = ()
    precautions: Mapping[Precaution, PrecautionStatus] = field(default_factory=dict)

    @property
    def departure_day(self) -> date:
        """The planned departure's calendar date in UTC (the day age is counted on)."""
        return self.planned_departure.astimezone(UTC).date()


PlanEvent = (
    RemovalPlanCreatedV1
    | RemovalPlanUpdatedV1
    | RemovalExecutedV1
    | RemovalAbortedV1
    | RemovalPlanCancelledV1
)


@dataclass
class RemovalPlan:
    plan_id: str
    enforcement_case_id: str
    return_case_id: str
    person_ref: str
    person: Person
    details: PlanDetails
    status: PlanStatus
    revision: int
    created_at: datetime
    updated_at: datetime
    execution: Execution | None = None
    ending: Ending | None = None
    as_carried_out: RemovalFacts | None = None
    """How the removal was carried out or attempted: the transport, escort and destination used."""

    # ------------------------------------------------------------------ derived

    @property
    def age_band(self) -> AgeBand:
        return age_band(self.person.date_of_birth, self.details.departure_day)

    @property
    def minor(self) -> bool:
        return is_minor(self.person.date_of_birth, self.details.departure_day)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def can_become(self, target: PlanStatus) -> bool:
        return target in TRANSITIONS[self.status]

    def _ensure(self, target: PlanStatus) -> None:
        if not self.can_become(target):
            raise IllegalTransition(
                f"removal plan {self.plan_id} is {self.status.value}: it cannot become {target.value} "
                f"(allowed: {sorted(s.value for s in TRANSITIONS[self.status]) or 'none, it is final'})"
            )

    # ------------------------------------------------------------------ creation

    @classmethod
    def create(
        cls,
        *,
        case: EnforcementCase,
        details: PlanDetails,
        now: datetime,
        rules: PoliceHandoverRules,
    ) -> tuple[RemovalPlan, RemovalPlanCreatedV1]:
        case.ensure_can_proceed(now.date())
        details = _validated(details, person=case.person, now=now, rules=rules, lapses_on=case.lapses_on)
        plan = cls(
            plan_id=new_reference("PL"),
            enforcement_case_id=case.enforcement_case_id,
            return_case_id=case.return_case_id,
            person_ref=case.person_ref,
            person=case.person,
            details=details,
            status=PlanStatus.PLANNED,
            revision=1,
            created_at=now,
            updated_at=now,
        )
        return plan, RemovalPlanCreatedV1(**plan.state())

    # ------------------------------------------------------------------ steps

    def update(
        self, *, case: EnforcementCase, changes: Mapping[str, Any], now: datetime, rules: PoliceHandoverRules
    ) -> RemovalPlanUpdatedV1 | None:
        """Change the plan; None (and no event) if nothing would change."""
        self._ensure(PlanStatus.UPDATED)
        unknown = set(changes) - set(UPDATABLE)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "cannot be changed on a removal plan")
        case.ensure_can_proceed(now.date())
        candidate = dataclasses.replace(
            self.details, **{**changes, "precautions": changes.get("precautions", {})}
        )
        candidate = _validated(
            candidate,
            person=self.person,
            now=now,
            rules=rules,
            lapses_on=case.lapses_on,
            previous=self.details.precautions,
        )
        before = self.state()
        old_details = self.details
        self.details = candidate
        after = self.state()
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            self.details = old_details
            return None
        self.status = PlanStatus.UPDATED
        self.revision += 1
        self.updated_at = now
        return RemovalPlanUpdatedV1(**after, revision=self.revision, changed_fields=changed)

    def execute(
        self,
        *,
        case: EnforcementCase,
        now: datetime,
        use_of_force: bool,
        restraints_used: Sequence[Restraint] = (),
        incidents: Sequence[str] = (),
        executed_at: datetime | None = None,
        actual: Actual | None = None,
    ) -> RemovalExecutedV1:
        self._ensure(PlanStatus.EXECUTED)
        case.ensure_can_proceed(now.date())
        waiting = checklist_rules.pending(self.details.precautions)
        if waiting:
            raise Conflict(
                f"precautions still pending: {', '.join(p.value for p in waiting)}; mark them done first"
            )
        executed_at = executed_at or now
        self._check_time("executed_at", executed_at, now)
        if restraints_used and not use_of_force:
            raise InvalidInput("use_of_force", "restraints were used, which is a use of force")
        self.execution = Execution(
            executed_at=executed_at,
            use_of_force=use_of_force,
            restraints_used=tuple(dict.fromkeys(restraints_used)),
            incidents=tuple(incidents),
        )
        self.as_carried_out = self._as_carried_out(actual or Actual())
        self._finish(PlanStatus.EXECUTED, now)
        return RemovalExecutedV1(
            plan_id=self.plan_id,
            return_case_id=self.return_case_id,
            responsible_department=self.details.responsible_department,
            executed_at=executed_at,
            use_of_force=use_of_force,
            restraints_used=list(self.execution.restraints_used),
            incidents=list(self.execution.incidents),
            carried_out_as=self.as_carried_out,
        )

    def abort(
        self,
        *,
        reason: AbortReason,
        at_departure: bool,
        now: datetime,
        note: str | None = None,
        aborted_at: datetime | None = None,
        actual: Actual | None = None,
    ) -> RemovalAbortedV1:
        self._ensure(PlanStatus.ABORTED)
        aborted_at = aborted_at or now
        self._check_time("aborted_at", aborted_at, now)
        self.ending = Ending(at=aborted_at, reason=reason, note=note, at_departure=at_departure)
        self.as_carried_out = self._as_carried_out(actual or Actual())
        self._finish(PlanStatus.ABORTED, now)
        return RemovalAbortedV1(
            plan_id=self.plan_id,
            return_case_id=self.return_case_id,
            responsible_department=self.details.responsible_department,
            aborted_at=aborted_at,
            reason=reason,
            at_departure=at_departure,
            note=note,
            attempted_as=self.as_carried_out,
        )

    def cancel(
        self, *, reason: CancellationReason, now: datetime, note: str | None = None
    ) -> RemovalPlanCancelledV1:
        self._ensure(PlanStatus.CANCELLED)
        self.ending = Ending(at=now, reason=reason, note=note)
        self._finish(PlanStatus.CANCELLED, now)
        return RemovalPlanCancelledV1(
            plan_id=self.plan_id,
            return_case_id=self.return_case_id,
            responsible_department=self.details.responsible_department,
            cancelled_at=now,
            reason=reason,
            note=note,
        )

    def _as_carried_out(self, actual: Actual) -> RemovalFacts:
        """What was used in the end: the plan's last revision, unless the Police report otherwise."""
        destination = actual.destination_country or self.details.destination_country
        if destination == UNKNOWN_COUNTRY:
            raise InvalidInput("destination_country", "the destination must be a known country")
        return RemovalFacts(
            revision=self.revision,
            transport=actual.transport or self.details.transport,
            escort_level=actual.escort_level or self.details.escort_level,
            destination_country=destination,
        )

    def _finish(self, status: PlanStatus, now: datetime) -> None:
        self.status = status
        self.updated_at = now

    def _check_time(self, field_name: str, at: datetime, now: datetime) -> None:
        if at > now + CLOCK_SKEW:
            raise InvalidInput(field_name, "is in the future")
        if at < self.created_at - CLOCK_SKEW:
            raise InvalidInput(field_name, "is before the plan was made")

    # ------------------------------------------------------------------ the monitor's view

    def state(self) -> dict[str, Any]:
        """The fields of :class:`RemovalPlanState`: what the monitor sees of the plan."""
        details = self.details
        return {
            "plan_id": self.plan_id,
            "return_case_id": self.return_case_id,
            "person_ref": self.person_ref,
            "age_band": self.age_band,
            "minor": self.minor,
            "sex": self.person.sex,
            "nationality": self.person.nationality,
            "destination_country": details.destination_country,
            "transit_countries": list(details.transit_countries),
            "readmission_basis": details.readmission_basis,
            "transport": details.transport,
            "escort_level": details.escort_level,
            "planned_departure": details.planned_departure,
            "responsible_department": details.responsible_department,
            "measure": details.measure,
            "vulnerabilities": list(details.vulnerabilities),
            "precautions": [
                PrecautionCheck(precaution=precaution, status=status)
                for precaution, status in details.precautions.items()
            ],
        }


def _validated(
    details: PlanDetails,
    *,
    person: Person,
    now: datetime,
    rules: PoliceHandoverRules,
    lapses_on: date,
    previous: Mapping[Precaution, PrecautionStatus] | None = None,
) -> PlanDetails:
    """Check a plan's details and complete its precautions checklist."""
    if details.planned_departure.tzinfo is None:
        raise InvalidInput("planned_departure", "needs a time zone")
    if details.planned_departure <= now:
        raise InvalidInput("planned_departure", "must be in the future")
    if details.departure_day >= lapses_on:
        raise InvalidInput("planned_departure", f"is after the removal order lapses ({lapses_on})")
    rules.check_department(details.responsible_department)
    if details.destination_country == UNKNOWN_COUNTRY:
        raise InvalidInput("destination_country", "the destination must be a known country")
    if details.destination_country in details.transit_countries:
        raise InvalidInput("transit_countries", "the destination is not a transit country")
    if len(set(details.transit_countries)) != len(details.transit_countries):
        raise InvalidInput("transit_countries", "each transit country once")
    minor = is_minor(person.date_of_birth, details.departure_day)
    vulnerabilities = tuple(sorted(set(details.vulnerabilities)))
    items = checklist_rules.checklist(
        vulnerabilities, minor=minor, given=details.precautions, previous=previous
    )
    return dataclasses.replace(
        details,
        vulnerabilities=vulnerabilities,
        transit_countries=tuple(details.transit_countries),
        planned_departure=details.planned_departure.astimezone(UTC),
        precautions=items,
    )
