"""The enforcement case: what the Police open when they accept a handed-over return case.

The case holds the handover package (personal data, the Police's own), the inhibitions
known for the application, and whether enforcement may proceed: not while an inhibition is
in force (suspended), not once closed, not after the removal order lapsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from handoff_plumbing.errors import Conflict
from handoff_schemas.events.common import Sex, Vulnerability
from handoff_schemas.events.police import (
    HandoverAcceptedV1,
    HandoverRejectedV1,
    MissingItem,
    MissingItemProblem,
)
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.domain.age import is_minor
from police_handover.domain.handover import check_handover, package_inhibitions
from police_handover.domain.inhibition import Inhibition, merge
from police_handover.domain.references import new_reference
from police_handover.domain.rules import PoliceHandoverRules


class CaseStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class ClosedReason(StrEnum):
    REMOVED = "removed"
    VOLUNTARY_DEPARTURE = "voluntary_departure"
    RESIDENCE_PERMIT_GRANTED = "residence_permit_granted"
    DUBLIN_TRANSFER = "dublin_transfer"
    """The person was transferred to the Member State responsible under the Dublin Regulation."""
    DUBLIN_DEADLINE_PASSED = "dublin_deadline_passed"
    """The transfer's time limit passed: the transfer decision can no longer be enforced."""


class HandoverOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Person:
    """What the Police's rules need to know of the person (personal data: never on a topic)."""

    date_of_birth: date
    sex: Sex
    nationality: str
    vulnerabilities: tuple[Vulnerability, ...] = ()

    def minor_on(self, day: date) -> bool:
        return is_minor(self.date_of_birth, day)

    def unaccompanied_minor_on(self, day: date) -> bool:
        return Vulnerability.UNACCOMPANIED_MINOR in self.vulnerabilities and self.minor_on(day)


@dataclass(frozen=True)
class HandoverRecord:
    """The answer given to one handover (kept without the package's personal data)."""

    handover_id: str
    return_case_id: str
    application_id: str
    handed_over_at: datetime
    received_at: datetime
    outcome: HandoverOutcome
    missing: tuple[MissingItem, ...] = ()
    enforcement_case_id: str | None = None


@dataclass
class EnforcementCase:
    enforcement_case_id: str
    return_case_id: str
    handover_id: str
    application_id: str
    person_ref: str
    person: Person
    destination_country: str
    enforceable_on: date
    lapses_on: date
    responsible_department: str
    accepted_at: datetime
    package: dict[str, Any]
    inhibitions: list[Inhibition] = field(default_factory=list)
    closed_at: datetime | None = None
    closed_reason: ClosedReason | None = None

    # ------------------------------------------------------------------ state

    @property
    def suspended(self) -> bool:
        return any(inhibition.in_force for inhibition in self.inhibitions)

    @property
    def status(self) -> CaseStatus:
        if self.closed_at is not None:
            return CaseStatus.CLOSED
        return CaseStatus.SUSPENDED if self.suspended else CaseStatus.OPEN

    def ensure_can_proceed(self, today: date) -> None:
        """Raise :class:`Conflict` unless enforcement may go on today."""
        if self.closed_at is not None:
            raise Conflict(f"enforcement case {self.enforcement_case_id} is closed ({self.closed_reason})")
        in_force = [i.inhibition_id for i in self.inhibitions if i.in_force]
        if in_force:
            raise Conflict(
                f"enforcement case {self.enforcement_case_id} is suspended: inhibition {', '.join(in_force)} "
                "in force"
            )
        if today >= self.lapses_on:
            raise Conflict(f"the removal order lapsed on {self.lapses_on}")

    # ------------------------------------------------------------------ changes

    def record_inhibition(self, inhibition: Inhibition) -> bool:
        """Take an inhibition ordered or lifted; True if the case was not suspended before and is now."""
        was_suspended = self.suspended
        self.inhibitions = merge(self.inhibitions, [inhibition])
        return self.suspended and not was_suspended

    def close(self, reason: ClosedReason, now: datetime) -> bool:
        """Close the case; False if it was closed already (a repeated event)."""
        if self.closed_at is not None:
            return False
        self.closed_at = now
        self.closed_reason = reason
        return True


@dataclass(frozen=True)
class HandoverAnswer:
    record: HandoverRecord
    event: HandoverAcceptedV1 | HandoverRejectedV1
    case: EnforcementCase | None


def answer_handover(
    package: CaseHandedOverToPoliceV1,
    *,
    now: datetime,
    rules: PoliceHandoverRules,
    known_inhibitions: Sequence[Inhibition] = (),
    open_case: EnforcementCase | None = None,
) -> HandoverAnswer:
    """Accept a complete, valid package (opening an enforcement case) or reject it, listing every item."""
    lapses_on = rules.lapses_on(package.enforceable_on)
    missing = check_handover(package, now=now, lapses_on=lapses_on, known_inhibitions=known_inhibitions)
    if open_case is not None:
        missing.insert(
            0,
            MissingItem(
                item="return_case_id",
                problem=MissingItemProblem.INCONSISTENT,
                detail=f"the return case is already being enforced (handover {open_case.handover_id} "
                f"accepted as {open_case.enforcement_case_id})",
            ),
        )
    if missing:
        record = HandoverRecord(
            handover_id=package.handover_id,
            return_case_id=package.return_case_id,
            application_id=package.application_id,
            handed_over_at=package.handed_over_at,
            received_at=now,
            outcome=HandoverOutcome.REJECTED,
            missing=tuple(missing),
        )
        rejected = HandoverRejectedV1(
            return_case_id=package.return_case_id,
            handover_id=package.handover_id,
            rejected_at=now,
            missing=missing,
        )
        return HandoverAnswer(record=record, event=rejected, case=None)
    address = package.last_known_address
    identity = package.identity
    case = EnforcementCase(
        enforcement_case_id=new_reference("EC"),
        return_case_id=package.return_case_id,
        handover_id=package.handover_id,
        application_id=package.application_id,
        person_ref=package.person_ref,
        person=Person(
            date_of_birth=identity.date_of_birth,
            sex=identity.sex,
            nationality=identity.nationality,
            vulnerabilities=tuple(sorted(set(package.vulnerabilities))),
        ),
        destination_country=package.destination_country,
        enforceable_on=package.enforceable_on,
        lapses_on=lapses_on,
        responsible_department=rules.department_for(address.municipality_code if address else None),
        accepted_at=now,
        package=package.model_dump(mode="json"),
        inhibitions=merge(package_inhibitions(package), known_inhibitions),
    )
    record = HandoverRecord(
        handover_id=package.handover_id,
        return_case_id=package.return_case_id,
        application_id=package.application_id,
        handed_over_at=package.handed_over_at,
        received_at=now,
        outcome=HandoverOutcome.ACCEPTED,
        enforcement_case_id=case.enforcement_case_id,
    )
    accepted = HandoverAcceptedV1(
        return_case_id=case.return_case_id,
        handover_id=case.handover_id,
        enforcement_case_id=case.enforcement_case_id,
        accepted_at=now,
        responsible_department=case.responsible_department,
    )
    return HandoverAnswer(record=record, event=accepted, case=case)
