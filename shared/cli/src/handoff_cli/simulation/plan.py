"""The whole simulated year from its seed: cases, quota households and municipal places."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from handoff_cli.simulation.caseload import Year, draw_cases
from handoff_cli.simulation.households import (
    PlacesAgreement,
    QuotaHousehold,
    draw_agreements,
    draw_households,
)
from handoff_cli.simulation.model import Parameters


@dataclass(frozen=True)
class DrawnYear:
    year: Year
    households: list[QuotaHousehold]
    agreements: list[PlacesAgreement]

    def summary(self) -> dict[str, int]:
        cases = self.year.cases
        return {
            "applications": len(cases),
            "decided": sum(c.decided_on is not None for c in cases),
            "refusals made enforceable": sum(c.enforceable_on is not None for c in cases),
            "voluntary departures": sum(c.outcome == "departure" for c in cases),
            "handovers to the Police": sum(c.outcome == "handover" for c in cases),
            "quota households": len(self.households),
            "municipalities with places": len(self.agreements),
        }


def draw_year(
    seed: int, scale: float, days: int, today: date, parameters: Parameters | None = None
) -> DrawnYear:
    """The same seed, scale, days and today give the same year, call after call."""
    year = Year(parameters or Parameters(), seed, scale, days, today)
    year.cases = draw_cases(year, random.Random(f"{seed}-cases"))
    households = draw_households(year, random.Random(f"{seed}-households"))
    agreements = draw_agreements(year, random.Random(f"{seed}-places"), year.cases, households)
    return DrawnYear(year, households, agreements)
