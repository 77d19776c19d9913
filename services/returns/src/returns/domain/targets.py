"""Time targets of a return case and where each one stands on a given day.

A return case has one item per target it is measured against: the first counselling, the
case closure and the departure from the day the case opens, and one item for every travel
document request, travel booking and support application. Each item knows the day it is
due, the day it was met (if it was) and the day it stopped applying without being met
(a departure that the Police, not the Agency, will now bring about, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Target(StrEnum):
    FIRST_COUNSELLING = "first_counselling"
    CASE_CLOSURE = "case_closure"
    DEPARTURE = "departure"
    TRAVEL_DOCUMENT = "travel_document"
    TRAVEL_BOOKING = "travel_booking"
    SUPPORT_DECISION = "support_decision"


class ItemState(StrEnum):
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"
    NO_LONGER_APPLICABLE = "no_longer_applicable"


@dataclass(frozen=True)
class TargetItem:
    """One deadline of one case; ``ref`` tells items of the same target apart."""

    target: Target
    ref: str
    due_on: date
    met_on: date | None = None
    stopped_on: date | None = None

    def state(self, as_of: date) -> ItemState:
        """Where the item stands at the end of ``as_of`` (facts dated later are not yet known)."""
        if self.met_on is not None and self.met_on <= as_of:
            return ItemState.MET_ON_TIME if self.met_on <= self.due_on else ItemState.MET_LATE
        if self.stopped_on is not None and self.stopped_on <= as_of:
            return ItemState.NO_LONGER_APPLICABLE
        return ItemState.OVERDUE if as_of > self.due_on else ItemState.NOT_YET_DUE

    def days_late(self, as_of: date, *, reception_ended_on: date | None = None) -> int:
        """Days past the due day, up to ``as_of`` or until the item ended or the person left reception.

        Each such day is a person-day in reception past this target: the cost of the delay.
        """
        end = as_of
        for stop in (self.met_on, self.stopped_on, reception_ended_on):
            if stop is not None and stop < end:
                end = stop
        return max(0, (end - self.due_on).days)

    def overdue(self, as_of: date) -> bool:
        return self.state(as_of) is ItemState.OVERDUE
