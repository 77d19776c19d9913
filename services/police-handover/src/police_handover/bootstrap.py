"""Wiring police-handover together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from handoff_plumbing.clock import Clock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import InhibitionLiftedV1, InhibitionOrderedV1, ResidencePermitGrantedV1
from handoff_schemas.events.police import (
    DetentionEndedV1,
    DetentionOrderedV1,
    HandoverAcceptedV1,
    HandoverRejectedV1,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
    RemovalPlanUpdatedV1,
)
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, VoluntaryReturnCompletedV1
from handoff_schemas.topics import (
    INTAKE_APPLICATION_V1,
    MONITORING_NOTICE_V1,
    MONITORING_REPORT_V1,
    RETURNS_HANDOVER_V1,
    RETURNS_RETURN_CASE_V1,
)
from police_handover import handlers
from police_handover.adapters import orm
from police_handover.domain.policy import Policy
from police_handover.entrypoints import cases, measures, plans, stats

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
# Two detention units with 109 places between them (seed 004).
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

    @model_validator(mode="after")
    def _policy_is_valid(self) -> Self:
        self.policy()
        return self

    def policy(self) -> Policy:
        return Policy(
            departments=tuple(self.departments),
            default_department=self.default_department,
            department_by_area=dict(self.department_by_area),
            facilities=dict(self.detention_facilities),
            review_intervals_days=tuple(self.detention_review_intervals_days),
            lapse_years=self.removal_order_lapse_years,
        )


def definition(settings: PoliceHandoverSettings | None = None) -> ServiceDefinition:
    policy = (settings or PoliceHandoverSettings()).policy()
    return ServiceDefinition(
        name="police-handover",
        title="Handoff police-handover: enforcement of removals",
        description="The Police: accepts handovers of return cases, plans and carries out removals, "
        "orders detention and lighter measures, and notifies the monitor of every plan change.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[cases.router, plans.router, measures.router, stats.router],
        publishes=[
            HandoverAcceptedV1,
            HandoverRejectedV1,
            DetentionOrderedV1,
            DetentionEndedV1,
            RemovalPlanCreatedV1,
            RemovalPlanUpdatedV1,
            RemovalPlanCancelledV1,
            RemovalExecutedV1,
            RemovalAbortedV1,
        ],
        subscriptions=[
            Subscription(
                name="returns-handovers",
                topics=[RETURNS_HANDOVER_V1.name, RETURNS_RETURN_CASE_V1.name],
                handlers={
                    CaseHandedOverToPoliceV1: handlers.handover_received(policy),
                    VoluntaryReturnCompletedV1: handlers.voluntary_return_completed,
                },
            ),
            Subscription(
                name="intake-applications",
                topics=[INTAKE_APPLICATION_V1.name],
                handlers={
                    InhibitionOrderedV1: handlers.inhibition_ordered,
                    InhibitionLiftedV1: handlers.inhibition_lifted,
                    ResidencePermitGrantedV1: handlers.residence_permit_granted,
                },
            ),
            Subscription(
                name="monitoring-notices",
                topics=[MONITORING_NOTICE_V1.name, MONITORING_REPORT_V1.name],
                handlers=dict(handlers.MONITOR_EVENTS),
            ),
        ],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    if settings is None:
        settings = PoliceHandoverSettings()
    elif not isinstance(settings, PoliceHandoverSettings):
        settings = PoliceHandoverSettings(**settings.model_dump(exclude_unset=True))
    return ServiceRuntime(definition(settings), settings, clock=clock)
