"""Wiring resettlement together: its definition (rules, routes, events, tables) and its runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
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
from handoff_schemas.events.resettlement_steps import PersonArrivedV1, PlacementWithdrawnV1
from resettlement import event_handlers
from resettlement.adapters import orm
from resettlement.domain.rules import ResettlementRules
from resettlement.entrypoints.http import routers
from resettlement.settings import ResettlementSettings

__all__ = ["ResettlementSettings", "build", "definition"]


def definition(rules: ResettlementRules | None = None) -> ServiceDefinition:
    rules = rules or ResettlementSettings().rules()
    return ServiceDefinition(
        name="resettlement",
        title="Handoff resettlement: settlement in municipalities",
        description="County boards and the settlement function: the quota, municipal places, fair matching "
        "of waiting households to places, offers with anonymised profiles, municipalities' answers, "
        "confirmed placements, settlement and the follow-up. Roles: agency (UNHCR submissions and "
        "selections), county_board (token claim 'county': the county code, e.g. '12'), "
        "municipality (token claim 'municipality': the municipality code, e.g. '1280'). "
        "A county board or municipality sees only its own unit's agreements, runs and offers.",
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
            PlacementWithdrawnV1,
            PersonArrivedV1,
            PersonSettledV1,
            MunicipalPlacesAgreedV1,
        ],
        subscriptions=event_handlers.subscriptions(rules),
        rules=rules,
    )


def build(settings: ResettlementSettings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or ResettlementSettings()
    return ServiceRuntime(definition(settings.rules()), settings, clock=clock)
