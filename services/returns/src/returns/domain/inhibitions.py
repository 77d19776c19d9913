"""Inhibitions: a court's stay of enforcement of an application's removal order.

They belong to the removal order, so returns keeps them per application: an inhibition
ordered before the return case opens is already on the case when it does. Only an
inhibition stops enforcement; while one is in force no case is handed over to the Police
(counselling goes on). Each is registered with the date it was ordered and the date it was
lifted (docs/domain.md, seed 000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Inhibition:
    inhibition_id: str
    court: str
    ordered_on: date
    decision_id: str | None = None
    lifted_on: date | None = None
    lifted_by: str | None = None

    def in_force(self, on: date) -> bool:
        """A stay registered and not lifted by ``on`` stops enforcement (even one dated later)."""
        return self.lifted_on is None or self.lifted_on > on


@dataclass
class InhibitionRegister:
    """Every inhibition of one application, lifted or in force, in the order they were ordered."""

    application_id: str
    inhibitions: list[Inhibition] = field(default_factory=list)

    def find(self, inhibition_id: str) -> Inhibition | None:
        return next((i for i in self.inhibitions if i.inhibition_id == inhibition_id), None)

    def order(
        self, *, inhibition_id: str, court: str, ordered_on: date, decision_id: str | None = None
    ) -> bool:
        """Register an inhibition; one already registered is left as it is (returns False)."""
        if self.find(inhibition_id) is not None:
            return False
        self.inhibitions.append(
            Inhibition(
                inhibition_id=inhibition_id, court=court, ordered_on=ordered_on, decision_id=decision_id
            )
        )
        self.inhibitions.sort(key=lambda i: (i.ordered_on, i.inhibition_id))
        return True

    def lift(self, *, inhibition_id: str, court: str, lifted_on: date) -> bool:
        """Register that an inhibition was lifted; unknown or already lifted ones change nothing."""
        inhibition = self.find(inhibition_id)
        if inhibition is None or inhibition.lifted_on is not None:
            return False
        inhibition.lifted_on = lifted_on
        inhibition.lifted_by = court
        return True

    def in_force(self, on: date) -> list[Inhibition]:
        return [i for i in self.inhibitions if i.in_force(on)]
