"""The annual resettlement quota and its emergency reserve.

The quota counts people (Sweden 1,900 a year, Finland 750-1,050), and at least 10 % of it
is reserved for emergency cases (seeds 001, 004). Emergency selections fill the reserve
first and may go on into the rest of the quota; urgent and normal selections may never
use the reserve: ``non-emergency + max(reserve, emergency) <= quota``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.resettlement import ResettlementPriority

MINIMUM_EMERGENCY_PERCENT = 10


def minimum_reserve(total_places: int, percent: int = MINIMUM_EMERGENCY_PERCENT) -> int:
    """The smallest emergency reserve: ``percent`` of the quota, rounded up (integer arithmetic)."""
    return -(-total_places * percent // 100)


@dataclass
class QuotaUsage:
    """People (and cases) selected against a year's quota, per priority."""

    persons: dict[ResettlementPriority, int] = field(
        default_factory=lambda: dict.fromkeys(ResettlementPriority, 0)
    )
    cases: dict[ResettlementPriority, int] = field(
        default_factory=lambda: dict.fromkeys(ResettlementPriority, 0)
    )

    @property
    def emergency(self) -> int:
        return self.persons[ResettlementPriority.EMERGENCY]

    @property
    def non_emergency(self) -> int:
        return self.persons[ResettlementPriority.URGENT] + self.persons[ResettlementPriority.NORMAL]

    @property
    def total(self) -> int:
        return self.emergency + self.non_emergency


@dataclass
class Quota:
    year: int
    total_places: int
    emergency_reserve: int
    set_at: datetime | None = None
    set_by: str | None = None

    @classmethod
    def define(
        cls,
        *,
        year: int,
        total_places: int,
        emergency_reserve: int | None,
        minimum_percent: int = MINIMUM_EMERGENCY_PERCENT,
        set_at: datetime | None = None,
        set_by: str | None = None,
    ) -> Quota:
        if total_places < 0:
            raise InvalidInput("total_places", "must not be negative")
        percent = max(minimum_percent, MINIMUM_EMERGENCY_PERCENT)
        floor = minimum_reserve(total_places, percent)
        reserve = floor if emergency_reserve is None else emergency_reserve
        if reserve < floor:
            raise InvalidInput(
                "emergency_reserve", f"at least {percent} % of the quota is for emergencies: {floor} or more"
            )
        if reserve > total_places:
            raise InvalidInput("emergency_reserve", "cannot exceed the quota")
        return cls(year, total_places, reserve, set_at, set_by)

    def fits(self, usage: QuotaUsage) -> bool:
        return usage.non_emergency + max(self.emergency_reserve, usage.emergency) <= self.total_places

    def check_revision(self, usage: QuotaUsage) -> None:
        if not self.fits(usage):
            raise Conflict(
                f"quota {self.year}: {usage.total} people already selected "
                f"({usage.emergency} emergency, {usage.non_emergency} other) do not fit "
                f"{self.total_places} places with an emergency reserve of {self.emergency_reserve}"
            )

    def check_selection(self, usage: QuotaUsage, *, persons: int, priority: ResettlementPriority) -> None:
        """Refuse a selection that the quota (or, for non-emergencies, the reserve) cannot hold."""
        after = QuotaUsage(persons=dict(usage.persons), cases=dict(usage.cases))
        after.persons[priority] += persons
        if self.fits(after):
            return
        if priority is ResettlementPriority.EMERGENCY:
            left = self.total_places - usage.total
            raise Conflict(f"quota {self.year} is full: {left} places left, the household has {persons}")
        left = self.total_places - max(self.emergency_reserve, usage.emergency) - usage.non_emergency
        raise Conflict(
            f"quota {self.year}: {max(left, 0)} places left outside the emergency reserve "
            f"of {self.emergency_reserve}; the household has {persons} and is not an emergency case"
        )

    def progress(self, usage: QuotaUsage) -> QuotaProgress:
        reserve_used = min(usage.emergency, self.emergency_reserve)
        return QuotaProgress(
            year=self.year,
            total_places=self.total_places,
            emergency_reserve=self.emergency_reserve,
            selected_persons=dict(usage.persons),
            selected_cases=dict(usage.cases),
            selected_total=usage.total,
            emergency_reserve_used=reserve_used,
            emergency_reserve_left=self.emergency_reserve - reserve_used,
            places_left=max(0, self.total_places - usage.total),
            places_left_outside_reserve=max(
                0, self.total_places - max(self.emergency_reserve, usage.emergency) - usage.non_emergency
            ),
        )


@dataclass(frozen=True)
class QuotaProgress:
    year: int
    total_places: int
    emergency_reserve: int
    selected_persons: dict[ResettlementPriority, int]
    selected_cases: dict[ResettlementPriority, int]
    selected_total: int
    emergency_reserve_used: int
    emergency_reserve_left: int
    places_left: int
    places_left_outside_reserve: int
