"""The rest of a return case's journey at the Migration Agency (topic handoff.returns.return-case.v1):
travel booked and cancelled, applications about impediments to enforcement and their decisions,
and the case closing and reopening, each with its reason. No personal data: the case is named by
its id, people never appear.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Self

from pydantic import Field, model_validator

from handoff_schemas.base import Event
from handoff_schemas.events.common import COUNTRY_CODE
from handoff_schemas.topics import RETURNS_RETURN_CASE_V1, Topic

__all__ = [
    "ImpedimentApplicationDecidedV1",
    "ImpedimentApplicationLodgedV1",
    "ImpedimentOutcome",
    "ReopeningReason",
    "ReturnCaseClosedV1",
    "ReturnCaseClosure",
    "ReturnCaseReopenedV1",
    "TravelBookedV1",
    "TravelBookingCancelledV1",
    "TravelCancellationReason",
]


class TravelCancellationReason(StrEnum):
    """Why booked travel was cancelled."""

    PERSON_ABSCONDED = "person_absconded"
    PERSON_WITHDREW = "person_withdrew"
    INHIBITION_ORDERED = "inhibition_ordered"
    TRAVEL_DOCUMENT_MISSING = "travel_document_missing"
    RESCHEDULED = "rescheduled"
    OTHER = "other"


class ImpedimentOutcome(StrEnum):
    """The Agency's decision on an application about impediments to enforcement."""

    NO_IMPEDIMENT = "no_impediment"
    """Refused: the removal order is enforced as before."""
    NEW_EXAMINATION = "new_examination"
    """New circumstances: the question of a permit is examined anew; the order waits for it."""
    RESIDENCE_PERMIT = "residence_permit"
    """An impediment was found and a residence permit granted: the order can no longer be enforced."""


class ReturnCaseClosure(StrEnum):
    """Why a return case was closed."""

    VOLUNTARY_DEPARTURE = "voluntary_departure"
    HANDED_OVER_TO_POLICE = "handed_over_to_police"
    PROTECTION_GRANTED = "protection_granted"
    DUBLIN_TRANSFER = "dublin_transfer"
    DUBLIN_DEADLINE_PASSED = "dublin_deadline_passed"
    IMPEDIMENT_RESIDENCE_PERMIT = "impediment_residence_permit"
    NEW_EXAMINATION_ORDERED = "new_examination_ordered"


class ReopeningReason(StrEnum):
    """Why a closed (or handed-over) return case was opened again."""

    HANDOVER_REJECTED = "handover_rejected"
    """The Police sent the handover back as incomplete: the Agency completes it."""
    NEW_EXAMINATION_REFUSED = "new_examination_refused"
    """The new examination ordered on an impediment application ended without a permit."""
    DEPARTURE_NOT_CARRIED_OUT = "departure_not_carried_out"
    """A departure was recorded but the person did not leave."""


def _case_id() -> Any:
    return Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )


class TravelBookedV1(Event):
    """Travel for a voluntary return was booked (no later than the working day after it was ordered).
    The Police record it on their enforcement case of the same return case, if they hold one, so that
    no forced removal is planned over a booked departure; it blocks nothing."""

    event_type: ClassVar[str] = "handoff.returns.travel-booked.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    booking_id: str = Field(
        description="Reference of the booking, used again if it is cancelled.",
        min_length=1,
        max_length=64,
        examples=["TB-4e1d0a2b9c3f"],
    )
    ordered_on: date = Field(description="The date travel was ordered.")
    due_on: date = Field(description="The booking was due by this date (the next working day).")
    booked_on: date = Field(description="The date the travel was booked.")
    departure_on: date | None = Field(default=None, description="The booked day of departure, if known.")
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country of return.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.booked_on < self.ordered_on:
            raise ValueError("booked_on is before ordered_on")
        if self.departure_on is not None and self.departure_on < self.booked_on:
            raise ValueError("departure_on is before booked_on")
        return self


class TravelBookingCancelledV1(Event):
    """Booked travel was cancelled, with the reason. The Police take it off their enforcement case."""

    event_type: ClassVar[str] = "handoff.returns.travel-booking-cancelled.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    booking_id: str = Field(
        description="The booking cancelled (as in travel-booked).",
        min_length=1,
        max_length=64,
        examples=["TB-4e1d0a2b9c3f"],
    )
    cancelled_on: date = Field(description="The date the booking was cancelled.")
    reason: TravelCancellationReason = Field(description="Why it was cancelled.")


class ImpedimentApplicationLodgedV1(Event):
    """The person applied to the Agency about impediments to enforcement. It stops nothing: only an
    inhibition does (docs/domain.md, seed 000). The Police record it on their enforcement case."""

    event_type: ClassVar[str] = "handoff.returns.impediment-application-lodged.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    impediment_application_id: str = Field(
        description="Reference of the application, used again by its decision.",
        min_length=1,
        max_length=64,
        examples=["IMP-5a0c1e7f3b2d"],
    )
    lodged_on: date = Field(description="The date the application was lodged.")


class ImpedimentApplicationDecidedV1(Event):
    """The Agency decided an application about impediments to enforcement. The decision blocks
    nothing by itself: a stay of enforcement ordered with it reaches every authority as intake's
    inhibition-ordered (``inhibition_ordered`` only says one was ordered). A residence permit ends
    enforcement: the Police close their case; a new examination closes the return case until the
    examination ends."""

    event_type: ClassVar[str] = "handoff.returns.impediment-application-decided.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    impediment_application_id: str = Field(
        description="The application decided (as in impediment-application-lodged).",
        min_length=1,
        max_length=64,
        examples=["IMP-5a0c1e7f3b2d"],
    )
    lodged_on: date = Field(description="The date the application was lodged.")
    decided_on: date = Field(description="The date of the decision.")
    outcome: ImpedimentOutcome = Field(description="What the Agency decided.")
    inhibition_ordered: bool = Field(
        description="The Agency stayed enforcement with the decision (registered at intake and published "
        "there as inhibition-ordered)."
    )

    @model_validator(mode="after")
    def _decided_after_lodging(self) -> Self:
        if self.decided_on < self.lodged_on:
            raise ValueError("decided_on is before lodged_on")
        return self


class ReturnCaseClosedV1(Event):
    """The return case was closed, with the reason. The facts behind most reasons reach the other
    authorities by their own events (voluntary-return-completed, the Police's own handover-accepted,
    intake's decision and Dublin events, impediment-application-decided); this event gives the Agency's
    systems and statistics one place to follow every closing."""

    event_type: ClassVar[str] = "handoff.returns.return-case-closed.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    closed_on: date = Field(description="The date the case was closed.")
    reason: ReturnCaseClosure = Field(description="Why the case was closed.")


class ReturnCaseReopenedV1(Event):
    """A closed (or handed-over) return case was opened again for return work, with the reason. The
    deadlines fixed when it opened stay as they were."""

    event_type: ClassVar[str] = "handoff.returns.return-case-reopened.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = _case_id()
    reopened_on: date = Field(description="The date the case was reopened.")
    reason: ReopeningReason = Field(description="Why the case was reopened.")
