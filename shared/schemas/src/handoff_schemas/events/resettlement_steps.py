"""A placement withdrawn before it was answered, and a household's arrival in its municipality
(topic handoff.resettlement.case.v1). Anonymised like the topic's other events: no name, no
nationality, no free text (a withdrawal's reason stays with the county board).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import AwareDatetime, Field

from handoff_schemas.base import Event
from handoff_schemas.topics import RESETTLEMENT_CASE_V1, Topic

__all__ = ["PersonArrivedV1", "PlacementWithdrawnV1"]


class PlacementWithdrawnV1(Event):
    """The county board withdrew an open offer (placement-offered, or accepted but not confirmed): the
    household waits again in its old place in the queue and the municipality's places are free again.
    The municipality itself sees the withdrawal on its offer over HTTP."""

    event_type: ClassVar[str] = "handoff.resettlement.placement-withdrawn.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The placement withdrawn (as in placement-offered).",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality the offer was addressed to.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    withdrawn_at: AwareDatetime = Field(description="When the offer was withdrawn.")


class PersonArrivedV1(Event):
    """The household arrived in the municipality its placement was confirmed for (it settles, is
    registered there, later: person-settled). Arrival ends the wait the lead-time follow-up measures."""

    event_type: ClassVar[str] = "handoff.resettlement.person-arrived.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The confirmed placement the household arrived on.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality the household arrived in.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    arrival_planned_on: date = Field(description="The arrival date planned at confirmation.")
    arrived_on: date = Field(description="The date the household arrived.")
