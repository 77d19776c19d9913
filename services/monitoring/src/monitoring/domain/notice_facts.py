"""What a notice holds: the plan's facts as the monitor last heard them, and how the removal ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff_schemas.events.common import AgeBand, Sex, Transport, Vulnerability
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


def revision_of(plan: RemovalPlanState) -> int:
    return plan.revision if isinstance(plan, RemovalPlanUpdatedV1) else 1
