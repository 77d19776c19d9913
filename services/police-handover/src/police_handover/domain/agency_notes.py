"""What the Agency's return counselling told the Police about a return case: travel it booked for a
voluntary departure (and cancelled), applications about impediments to enforcement and their
decisions. None of it stops enforcement by itself (only an inhibition does); a residence permit
granted on an impediment application ends it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from handoff_schemas.events.returns_steps import (
    ImpedimentApplicationDecidedV1,
    ImpedimentApplicationLodgedV1,
    ImpedimentOutcome,
    TravelBookedV1,
    TravelBookingCancelledV1,
)


class NoteKind(StrEnum):
    TRAVEL_BOOKING = "travel_booking"
    IMPEDIMENT_APPLICATION = "impediment_application"


@dataclass
class AgencyNote:
    return_case_id: str
    reference: str
    kind: NoteKind
    facts: dict[str, Any] = field(default_factory=dict)

    def learn(self, event: Any) -> None:
        """Merge what the event says about the booking or application into the note."""
        facts = event.model_dump(
            mode="json", exclude={"return_case_id", "booking_id", "impediment_application_id"}
        )
        self.facts = {**self.facts, **facts}


def note_reference(
    event: TravelBookedV1
    | TravelBookingCancelledV1
    | ImpedimentApplicationLodgedV1
    | ImpedimentApplicationDecidedV1,
) -> tuple[str, NoteKind]:
    if isinstance(event, TravelBookedV1 | TravelBookingCancelledV1):
        return event.booking_id, NoteKind.TRAVEL_BOOKING
    return event.impediment_application_id, NoteKind.IMPEDIMENT_APPLICATION


def ends_enforcement(event: ImpedimentApplicationDecidedV1) -> bool:
    """A residence permit on an impediment application: the order can no longer be enforced."""
    return event.outcome is ImpedimentOutcome.RESIDENCE_PERMIT
