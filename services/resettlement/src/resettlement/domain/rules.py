"""The settlement function's configurable rules, with Sweden's defaults."""

from __future__ import annotations

from dataclasses import dataclass

from resettlement.domain.quota import MINIMUM_EMERGENCY_PERCENT


@dataclass(frozen=True)
class ResettlementRules:
    quota_places: int = 1900
    """The annual quota when none is set for a year (Sweden 1,900; Finland 750-1,050)."""
    emergency_reserve_percent: int = MINIMUM_EMERGENCY_PERCENT
    """The share of the quota reserved for emergency cases; never below 10 %."""
    answer_working_days: int = 10
    """Working days a municipality is given to answer an offer."""
    calendar_country: str = "SE"
    """Whose public holidays the working days skip."""
