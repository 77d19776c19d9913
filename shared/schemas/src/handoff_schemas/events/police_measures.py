"""The Police's precautionary measures besides detention's order and end (topic
handoff.police.enforcement-case.v1): lighter measures ordered and ended, and detention reviews.
Lighter measures must be counted too, not only detention (docs/domain.md, seed 004). No personal
data: the case is named by its ids.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from handoff_schemas.base import Event
from handoff_schemas.topics import POLICE_ENFORCEMENT_CASE_V1, Topic

__all__ = [
    "DetentionReviewedV1",
    "LighterMeasureEndReason",
    "LighterMeasureEndedV1",
    "LighterMeasureKind",
    "LighterMeasureOrderedV1",
]


class LighterMeasureKind(StrEnum):
    """A precautionary measure lighter than detention."""

    REPORTING_DUTY = "reporting_duty"
    PASSPORT_SURRENDERED = "passport_surrendered"
    RESIDENCE_REQUIREMENT = "residence_requirement"
    GUARANTEE = "guarantee"


class LighterMeasureEndReason(StrEnum):
    """Why a lighter measure ended."""

    REMOVED = "removed"
    LIFTED = "lifted"
    REPLACED_BY_DETENTION = "replaced_by_detention"
    REMOVAL_CANCELLED = "removal_cancelled"
    OTHER = "other"


class LighterMeasureOrderedV1(Event):
    """The Police ordered a lighter precautionary measure (reporting duty, surrender of the passport,
    a residence requirement or a guarantee) instead of detention. The monitor shows the measures in
    force on its notice and counts them beside detention."""

    event_type: ClassVar[str] = "handoff.police.lighter-measure-ordered.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case being enforced; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    enforcement_case_id: str = Field(
        description="The Police's enforcement case.", min_length=1, max_length=64, examples=["EC-2026-5512"]
    )
    measure_id: str = Field(
        description="Reference of the measure, used again when it ends.",
        min_length=1,
        max_length=64,
        examples=["LM-2a9c4e1b7d05"],
    )
    kind: LighterMeasureKind = Field(description="The measure.")
    ordered_at: AwareDatetime = Field(description="When the measure was ordered.")


class LighterMeasureEndedV1(Event):
    """A lighter precautionary measure ended (the person was removed, it was lifted or replaced)."""

    event_type: ClassVar[str] = "handoff.police.lighter-measure-ended.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case being enforced; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    measure_id: str = Field(
        description="The measure that ended (as in lighter-measure-ordered).",
        min_length=1,
        max_length=64,
        examples=["LM-2a9c4e1b7d05"],
    )
    kind: LighterMeasureKind = Field(description="The measure.")
    ended_at: AwareDatetime = Field(description="When the measure ended.")
    reason: LighterMeasureEndReason = Field(description="Why it ended.")


class DetentionReviewedV1(Event):
    """A detention was reviewed and continues; the next review is due on ``next_review_due_on``. The
    monitor keeps the date on the detention it shows and sees a review that is overdue."""

    event_type: ClassVar[str] = "handoff.police.detention-reviewed.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case being enforced; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    detention_id: str = Field(
        description="The detention reviewed (as in detention-ordered).",
        min_length=1,
        max_length=64,
        examples=["DET-2026-0309"],
    )
    reviewed_on: date = Field(description="The date of the review.")
    review_number: int = Field(description="1 for the first review of the detention, then 2, 3, ...", ge=1)
    next_review_due_on: date = Field(description="The date by which the detention must next be reviewed.")

    @model_validator(mode="after")
    def _next_review_after_this_one(self) -> Self:
        if self.next_review_due_on <= self.reviewed_on:
            raise ValueError("next_review_due_on is after reviewed_on")
        return self
