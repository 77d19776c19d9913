"""Which upcoming removals the monitor should look at first.

A removal scores points for each factor that makes monitoring matter more; upcoming
removals are listed by score (highest first), then by planned departure (soonest first).

| factor | points |
| --- | --- |
| each vulnerability category (e.g. unaccompanied minor, serious illness, victim of trafficking) | 2 |
| the person is a minor | 3 |
| destination or a transit country on the monitor's risk list | 3 |
| detention (an open detention, or detention as the plan's measure) | 2 |
| charter operation | 2 |
| a precaution of the plan still pending | 1 |

A score of 6 or more is *high*, 3 or more *medium*, else *low*.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from handoff_schemas.events.common import Transport, Vulnerability
from monitoring.domain.detention import DetentionState
from monitoring.domain.notice import PlanFacts

WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        "vulnerability": 2,
        "minor": 3,
        "risk_destination": 3,
        "detention": 2,
        "charter": 2,
        "precautions_pending": 1,
    }
)
HIGH_FROM = 6
MEDIUM_FROM = 3


class PriorityLevel(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class PriorityFactors:
    vulnerabilities: frozenset[Vulnerability] = frozenset()
    minor: bool = False
    risk_destination: bool = False
    detained: bool = False
    charter: bool = False
    precautions_pending: bool = False

    @classmethod
    def of(
        cls, plan: PlanFacts, detention: DetentionState, risk_countries: Collection[str]
    ) -> PriorityFactors:
        risky = plan.destination_country in risk_countries or any(
            country in risk_countries for country in plan.transit_countries
        )
        return cls(
            vulnerabilities=frozenset(plan.vulnerabilities),
            minor=plan.minor,
            risk_destination=risky,
            detained=detention.detained,
            charter=plan.transport is Transport.CHARTER,
            precautions_pending=bool(plan.pending_precautions),
        )


@dataclass(frozen=True)
class Priority:
    score: int
    level: PriorityLevel
    reasons: tuple[str, ...]


def assess(factors: PriorityFactors) -> Priority:
    reasons = [f"vulnerability:{v.value}" for v in sorted(factors.vulnerabilities)]
    score = WEIGHTS["vulnerability"] * len(factors.vulnerabilities)
    for name, present in (
        ("minor", factors.minor),
        ("risk_destination", factors.risk_destination),
        ("detention", factors.detained),
        ("charter", factors.charter),
        ("precautions_pending", factors.precautions_pending),
    ):
        if present:
            score += WEIGHTS[name]
            reasons.append(name)
    level = (
        PriorityLevel.HIGH
        if score >= HIGH_FROM
        else PriorityLevel.MEDIUM
        if score >= MEDIUM_FROM
        else PriorityLevel.LOW
    )
    return Priority(score, level, tuple(reasons))


def order_key(score: int, planned_departure: datetime, plan_id: str) -> tuple[int, datetime, str]:
    """Sort key of the upcoming list: highest score first, then soonest departure."""
    return (-score, planned_departure, plan_id)
