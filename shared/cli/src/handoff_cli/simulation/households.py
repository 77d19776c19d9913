"""The resettlement side of the simulated year: quota households selected abroad, and the
municipal places the county boards agree for the year."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from handoff_cli.simulation import geography as geo
from handoff_cli.simulation.caseload import CasePlan, Year, settlement_needs
from handoff_cli.simulation.model import pick

AGE_BANDS = ("under_12", "12_17", "18_25", "26_64", "65_plus")
CATEGORIES = (
    "legal_and_physical_protection_needs", "survivors_of_violence_and_torture", "medical_needs",
    "women_and_girls_at_risk", "family_reunification", "children_and_adolescents_at_risk",
    "lack_of_foreseeable_alternative_durable_solutions",
)  # fmt: skip


@dataclass(frozen=True)
class QuotaHousehold:
    key: str
    submitted_on: date
    selected_on: date | None
    priority: str
    category: str
    members: tuple[tuple[str, str, str], ...]  # name, age band, sex
    nationality: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class PlacesAgreement:
    county: str
    municipality: str
    assignable: int
    accessible: int
    specialist_care: bool
    minors: bool


def draw_households(year: Year, rng: random.Random) -> list[QuotaHousehold]:
    p = year.parameters
    persons = max(1, round(p.quota_persons_per_year * year.scale * year.days / 365))
    households: list[QuotaHousehold] = []
    while sum(len(h.members) for h in households) < persons:
        size = pick(rng, p.household_sizes)
        submitted = year.first_day + timedelta(days=rng.randrange(year.days))
        selected = submitted + timedelta(days=rng.randint(10, 60))
        roll = rng.random()
        priority = (
            "emergency"
            if roll < p.emergency_share
            else "urgent"
            if roll < p.emergency_share + p.urgent_share
            else "normal"
        )
        nationality = pick(rng, geo.NATIONALITIES)
        family = rng.choice(geo.FAMILY)
        members = tuple(
            (
                f"{rng.choice(geo.GIVEN)} {family}",
                "26_64" if i == 0 else rng.choice(AGE_BANDS[:3]),
                rng.choice(("male", "female")),
            )
            for i in range(size)
        )
        needs = settlement_needs(p, rng, size)
        households.append(
            QuotaHousehold(
                key=f"Q{len(households):05d}",
                submitted_on=submitted,
                selected_on=selected if selected <= year.today else None,
                priority=priority,
                category=rng.choice(CATEGORIES),
                members=members,
                nationality=nationality,
                needs=tuple(needs),
            )
        )
    return households


def quota_for(households: list[QuotaHousehold], year: int, scale: float, quota_per_year: int) -> int:
    """A quota (people) for ``year`` that the year's selections fit, the emergency reserve aside."""
    selected = [h for h in households if h.selected_on is not None and h.selected_on.year == year]
    emergency = sum(len(h.members) for h in selected if h.priority == "emergency")
    others = sum(len(h.members) for h in selected if h.priority != "emergency")
    needed = math.ceil(others / 0.9) + emergency
    return max(round(quota_per_year * scale), math.ceil(needed * 1.1), 10)


def draw_agreements(
    year: Year, rng: random.Random, cases: list[CasePlan], households: list[QuotaHousehold]
) -> list[PlacesAgreement]:
    """Places for the year's households, short of the need as in seed 001."""
    p = year.parameters
    permit_persons = sum(c.household[0] for c in cases if c.household and c.household[1])
    quota_persons = sum(len(h.members) for h in households if h.selected_on is not None)
    places = max(4, round((permit_persons + quota_persons) * (1 - p.place_shortfall)))
    count = max(3, min(p.municipalities_per_year, round(p.municipalities_per_year * year.scale * 4)))
    weights = tuple((code, weight) for code, (weight, _) in geo.COUNTIES.items())
    chosen: dict[str, str] = {}
    while len(chosen) < count and len(chosen) < sum(len(m) for _, m in geo.COUNTIES.values()):
        county = pick(rng, weights)
        chosen.setdefault(rng.choice(geo.COUNTIES[county][1]), county)
    per_place = max(1, places // len(chosen))
    return [
        PlacesAgreement(
            county=county,
            municipality=municipality,
            assignable=per_place + rng.randint(0, 2),
            accessible=rng.randint(0, max(1, per_place // 4)),
            specialist_care=rng.random() < 0.4,
            minors=rng.random() < 0.3,
        )
        for municipality, county in sorted(chosen.items())
    ]
