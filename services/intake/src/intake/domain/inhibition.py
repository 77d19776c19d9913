"""An inhibition: a court's stay of enforcement of the removal order, in force until lifted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handoff_plumbing.errors import Conflict, InvalidInput


@dataclass
class Inhibition:
    inhibition_id: str
    court: str
    ordered_on: date
    recorded_at: datetime
    decision_id: str | None = None
    lifted_on: date | None = None
    lifted_by: str | None = None
    lifted_at: datetime | None = None

    def in_force_on(self, day: date) -> bool:
        """In force from the day it was ordered up to, not including, the day it was lifted."""
        return self.ordered_on <= day and (self.lifted_on is None or day < self.lifted_on)

    def lift(self, *, lifted_on: date, court: str | None, today: date, now: datetime) -> bool:
        """Lift the stay; False if it was already lifted that day by that court (nothing changes)."""
        court = court or self.court
        if self.lifted_on is not None:
            if (self.lifted_on, self.lifted_by) == (lifted_on, court):
                return False
            raise Conflict(
                f"inhibition {self.inhibition_id} was already lifted on {self.lifted_on.isoformat()} "
                f"by {self.lifted_by}"
            )
        if lifted_on > today:
            raise InvalidInput("lifted_on", f"{lifted_on.isoformat()} is in the future")
        if lifted_on < self.ordered_on:
            raise InvalidInput(
                "lifted_on",
                f"{lifted_on.isoformat()} is before the inhibition was ordered "
                f"({self.ordered_on.isoformat()}): a stay cannot be lifted before it was ordered",
            )
        self.lifted_on = lifted_on
        self.lifted_by = court
        self.lifted_at = now
        return True
