"""The Police's settings: the plumbing's, plus the departments, detention units and periods of its rules."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from handoff_plumbing.settings import Settings
from police_handover.domain.rules import PoliceHandoverRules

# The Swedish Police's seven regions.
DEPARTMENTS = ["POL-NORD", "POL-MITT", "POL-STOCKHOLM", "POL-OST", "POL-VAST", "POL-SYD", "POL-BERGSLAGEN"]
# Swedish municipality codes begin with the county code; each county belongs to one region.
DEPARTMENT_BY_COUNTY = {
    "01": "POL-STOCKHOLM",
    "09": "POL-STOCKHOLM",
    "03": "POL-MITT",
    "19": "POL-MITT",
    "21": "POL-MITT",
    "04": "POL-OST",
    "05": "POL-OST",
    "06": "POL-OST",
    "07": "POL-SYD",
    "08": "POL-SYD",
    "10": "POL-SYD",
    "12": "POL-SYD",
    "13": "POL-VAST",
    "14": "POL-VAST",
    "17": "POL-BERGSLAGEN",
    "18": "POL-BERGSLAGEN",
    "20": "POL-BERGSLAGEN",
    "22": "POL-NORD",
    "23": "POL-NORD",
    "24": "POL-NORD",
    "25": "POL-NORD",
}
# Two detention units with 109 places between them (docs/domain.md, seed 004).
FACILITIES = {"FV-HELSINKI": 40, "FV-JOUTSENO": 69}


class PoliceHandoverSettings(Settings):
    service_name: str = "police-handover"
    http_port: int = 8003
    departments: list[str] = Field(
        default_factory=lambda: list(DEPARTMENTS),
        description="Codes of the police departments that may be responsible for a removal (JSON list).",
    )
    default_department: str = Field(
        default="POL-STOCKHOLM",
        description="The department for a handover whose last known municipality maps to none.",
    )
    department_by_area: dict[str, str] = Field(
        default_factory=lambda: dict(DEPARTMENT_BY_COUNTY),
        description="Municipality-code prefix to department (JSON object); the longest prefix wins.",
    )
    detention_facilities: dict[str, int] = Field(
        default_factory=lambda: dict(FACILITIES),
        description="Detention unit code to its number of places (JSON object).",
    )
    detention_review_intervals_days: list[int] = Field(
        default_factory=lambda: [4, 14],
        description="Days from the order to the first review, then between reviews (the last repeats).",
    )
    removal_order_lapse_years: int = Field(
        default=4,
        ge=1,
        description="A removal order can no longer be enforced this many years after enforceability.",
    )

    monitor_timezone: str = Field(
        default="Europe/Helsinki",
        description="The monitor's time zone: the Police's notice statistics count months in it, as the "
        "monitor does.",
    )

    @model_validator(mode="after")
    def _rules_are_valid(self) -> Self:
        self.rules()
        return self

    def rules(self) -> PoliceHandoverRules:
        return PoliceHandoverRules(
            departments=tuple(self.departments),
            default_department=self.default_department,
            department_by_area=dict(self.department_by_area),
            facilities=dict(self.detention_facilities),
            review_intervals_days=tuple(self.detention_review_intervals_days),
            lapse_years=self.removal_order_lapse_years,
            monitor_timezone=self.monitor_timezone,
        )
