"""Resettlement's settings: the plumbing's, plus the numbers of its rules (one environment variable each)."""

from __future__ import annotations

from pydantic import Field

from handoff_plumbing.settings import Settings
from resettlement.domain.rules import ResettlementRules


class ResettlementSettings(Settings):
    service_name: str = "resettlement"
    http_port: int = 8005
    quota_places: int = Field(
        default=1900, ge=0, description="The annual quota when none is set for a year (Finland: 750-1,050)."
    )
    emergency_reserve_percent: int = Field(
        default=10,
        ge=10,
        le=100,
        description="Share of the quota reserved for emergency cases (at least 10).",
    )
    offer_answer_working_days: int = Field(
        default=10, ge=1, le=60, description="Working days a municipality is given to answer an offer."
    )
    working_calendar_country: str = Field(
        default="SE", description="Whose public holidays working days skip."
    )

    def rules(self) -> ResettlementRules:
        return ResettlementRules(
            quota_places=self.quota_places,
            emergency_reserve_percent=self.emergency_reserve_percent,
            answer_working_days=self.offer_answer_working_days,
            calendar_country=self.working_calendar_country,
        )
