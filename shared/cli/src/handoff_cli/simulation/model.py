"""The numbers the simulated year is drawn with, each with its source.

Seeds are the source documents in ``docs/domain.md`` (000-004). Where they give no figure the
value is marked as an assumption; docs/simulation.md lists them all and says why.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from typing import Any

from handoff_cli.simulation.sources import SOURCES


@dataclass(frozen=True)
class Parameters:
    # ------------------------------------------------------------------ volumes (a year at scale 1)
    applications_per_year: int = 54_000
    run_in_days: int = 180
    dublin_share: float = 0.25
    documented_share: float = 0.35
    grant_share_by_nationality: tuple[tuple[str, float], ...] = (
        ("SYR", 0.9), ("ERI", 0.85), ("AFG", 0.45), ("SOM", 0.55), ("IRQ", 0.35),
        ("IRN", 0.45), ("ALB", 0.05), ("RUS", 0.2), ("UZB", 0.15), ("ETH", 0.35),
    )  # fmt: skip
    needs_municipal_place_share: float = 0.35
    # ------------------------------------------------------------------ decisions and legal force
    decision_days: tuple[int, int, int] = (30, 120, 300)
    dublin_decision_days: tuple[int, int, int] = (10, 25, 60)
    appeal_waived_share: float = 0.15
    appeal_days: tuple[int, int, int] = (21, 75, 200)
    inhibition_share: float = 0.03
    # ------------------------------------------------------------------ return counselling
    first_counselling_days: tuple[int, int, int] = (2, 9, 25)
    second_meeting_share: float = 0.5
    handover_share: float = 7 / 11
    absconded_share_of_handovers: float = 0.55
    outcome_days: tuple[int, int, int] = (10, 40, 120)
    travel_document_requested_share: float = 0.85
    support_application_share: float = 0.6
    # ------------------------------------------------------------------ enforcement
    transport_mix: tuple[tuple[str, float], ...] = (
        ("scheduled_flight", 0.62),
        ("charter", 0.23),
        ("land", 0.10),
        ("sea", 0.05),
    )
    late_notice_share: float = 0.15
    changed_plan_share: float = 0.2
    executed_share: float = 0.82
    aborted_share: float = 0.06
    detention_share: float = 0.3
    # ------------------------------------------------------------------ monitoring
    monitored_share_vulnerable: float = 0.6
    monitored_share_other: float = 0.12
    # ------------------------------------------------------------------ resettlement
    quota_persons_per_year: int = 1_900
    emergency_share: float = 0.12
    urgent_share: float = 0.18
    household_sizes: tuple[tuple[int, float], ...] = (
        (1, 0.22),
        (2, 0.16),
        (3, 0.15),
        (4, 0.15),
        (5, 0.13),
        (6, 0.1),
        (8, 0.09),
    )
    hard_to_place_need_share: float = 233 / 582
    assignable_places_per_year: int = 14_000
    place_shortfall: float = 3_500 / 14_000
    municipalities_per_year: int = 290
    decline_share: float = 0.1
    # ------------------------------------------------------------------ people
    male_share: float = 0.71
    vulnerabilities: tuple[tuple[str, float], ...] = (
        ("child_in_family", 0.2),
        ("unaccompanied_minor", 0.04),
        ("serious_illness", 0.06),
        ("mental_health", 0.07),
        ("disability", 0.03),
        ("victim_of_trafficking", 0.015),
    )

    def described(self) -> list[tuple[str, Any, str]]:
        """Every parameter with its value and source, for docs/simulation.md and ``--help``."""
        return [(f.name, getattr(self, f.name), SOURCES[f.name]) for f in fields(self)]


def triangular_days(rng: random.Random, spec: tuple[int, int, int]) -> int:
    low, mode, high = spec
    return round(rng.triangular(low, high, mode))


def pick(rng: Any, weighted: tuple[tuple[Any, float], ...]) -> Any:
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]
