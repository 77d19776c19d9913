"""Lighter precautionary measures the Police ordered instead of detention (reporting duty, surrendered
passport, residence requirement, guarantee): counted too, not only detention (docs/domain.md, seed 004).
The monitor shows the measures in force on the notice of the same return case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff_schemas.events.police_measures import LighterMeasureEndReason, LighterMeasureKind


@dataclass(frozen=True)
class LighterMeasure:
    measure_id: str
    return_case_id: str
    kind: LighterMeasureKind
    ordered_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: LighterMeasureEndReason | None = None

    @property
    def in_force(self) -> bool:
        return self.ended_at is None
