"""Detention status of the person a removal plan concerns, as the Police's enforcement case tells it.

The enforcement-case topic is keyed by the return case, the removal plan names the return
case too: that is the link. Only the status reaches the monitor's views (detained since
when, or released), with the ground and the unit's code for planning a visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from handoff_schemas.events.police import DetentionEndReason, DetentionGround, PrecautionaryMeasure


class DetentionStatus(StrEnum):
    DETAINED = "detained"
    RELEASED = "released"
    NOT_DETAINED = "not_detained"


@dataclass
class Detention:
    detention_id: str
    return_case_id: str
    ground: DetentionGround | None = None
    facility: str | None = None
    minor: bool | None = None
    ordered_at: datetime | None = None
    review_due_on: date | None = None
    ended_at: datetime | None = None
    end_reason: DetentionEndReason | None = None

    @property
    def open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class DetentionState:
    status: DetentionStatus
    since: datetime | None = None
    facility: str | None = None
    review_due_on: date | None = None
    """While detained: the day by which the detention must next be reviewed (the Police tell each review)."""

    @property
    def detained(self) -> bool:
        return self.status is DetentionStatus.DETAINED


def detention_state(
    detentions: Iterable[Detention], measure: PrecautionaryMeasure | None = None
) -> DetentionState:
    """Detained if a detention is open (or the plan's measure is detention); else released or not."""
    known = list(detentions)
    open_ = [d for d in known if d.open]
    if open_:
        latest = max(open_, key=lambda d: d.ordered_at.timestamp() if d.ordered_at else float("-inf"))
        return DetentionState(
            DetentionStatus.DETAINED, latest.ordered_at, latest.facility, latest.review_due_on
        )
    if measure is PrecautionaryMeasure.DETENTION:
        return DetentionState(DetentionStatus.DETAINED)
    if known:
        ended = [d.ended_at for d in known if d.ended_at is not None]
        return DetentionState(DetentionStatus.RELEASED, max(ended) if ended else None)
    return DetentionState(DetentionStatus.NOT_DETAINED)
