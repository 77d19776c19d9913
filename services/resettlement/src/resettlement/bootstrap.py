"""Wiring resettlement together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from handoff_plumbing.clock import Clock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import ResidencePermitGrantedV1
from handoff_schemas.events.resettlement import (
    MunicipalPlacesAgreedV1,
    PersonSettledV1,
    PlacementAcceptedV1,
    PlacementConfirmedV1,
    PlacementDeclinedV1,
    PlacementOfferedV1,
    ResettlementCaseSelectedV1,
    ResettlementCaseSubmittedV1,
)
from handoff_schemas.topics import INTAKE_APPLICATION_V1
from resettlement.adapters import orm
from resettlement.entrypoints.http import routers
from resettlement.handlers.intake_events import residence_permit_granted


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


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="resettlement",
        title="Handoff resettlement: settlement in municipalities",
        description="County boards and the settlement function: the quota, municipal places, fair matching "
        "of waiting households to places, offers with anonymised profiles, municipalities' answers, "
        "confirmed placements, settlement and the follow-up. Roles: agency (UNHCR submissions and "
        "selections), county_board (token subject 'county:<county code>', e.g. 'county:12'), "
        "municipality (token subject 'municipality:<municipality code>', e.g. 'municipality:1280').",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers,
        publishes=[
            ResettlementCaseSubmittedV1,
            ResettlementCaseSelectedV1,
            PlacementOfferedV1,
            PlacementAcceptedV1,
            PlacementDeclinedV1,
            PlacementConfirmedV1,
            PersonSettledV1,
            MunicipalPlacesAgreedV1,
        ],
        subscriptions=[
            Subscription(
                name="intake-applications",
                topics=[INTAKE_APPLICATION_V1.name],
                handlers={ResidencePermitGrantedV1: residence_permit_granted},
            )
        ],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    return ServiceRuntime(definition(), settings or ResettlementSettings(), clock=clock)
