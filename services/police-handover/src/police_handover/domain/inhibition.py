"""Inhibitions: a court's stay of enforcement. While one is in force, nothing proceeds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class InhibitionSource(StrEnum):
    HANDOVER = "handover"
    INTAKE = "intake"


@dataclass(frozen=True)
class Inhibition:
    inhibition_id: str
    application_id: str
    court: str
    ordered_on: date
    lifted_on: date | None
    source: InhibitionSource

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None


def merge(package: Iterable[Inhibition], known: Iterable[Inhibition]) -> list[Inhibition]:
    """One record per inhibition: intake's registration wins, but a lift seen anywhere counts."""
    merged: dict[str, Inhibition] = {i.inhibition_id: i for i in package}
    for inhibition in known:
        earlier = merged.get(inhibition.inhibition_id)
        lifted_on = inhibition.lifted_on or (earlier.lifted_on if earlier else None)
        merged[inhibition.inhibition_id] = replace(inhibition, lifted_on=lifted_on)
    return sorted(merged.values(), key=lambda i: (i.ordered_on, i.inhibition_id))
