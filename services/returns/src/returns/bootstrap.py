"""Wiring returns together: its definition (rules, routes, events, tables) and its runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_schemas.events.returns import (
    CaseHandedOverToPoliceV1,
    CounsellingHeldV1,
    PersonAbscondedV1,
    ReEstablishmentSupportDecidedV1,
    ReturnCaseOpenedV1,
    TravelDocumentRequestedV1,
    VoluntaryReturnCompletedV1,
)
from handoff_schemas.events.returns_steps import (
    ImpedimentApplicationDecidedV1,
    ImpedimentApplicationLodgedV1,
    ReturnCaseClosedV1,
    ReturnCaseReopenedV1,
    TravelBookedV1,
    TravelBookingCancelledV1,
)
from returns import event_handlers
from returns.adapters import orm
from returns.domain.rules import ReturnsRules
from returns.entrypoints.http import routers
from returns.settings import ReturnsSettings

__all__ = ["ReturnsSettings", "build", "definition"]


def definition(rules: ReturnsRules | None = None) -> ServiceDefinition:
    rules = rules or ReturnsSettings().rules()
    return ServiceDefinition(
        name="returns",
        title="Handoff returns: return counselling",
        description="The Migration Agency's return counselling: return cases, their deadlines and "
        "follow-up, counselling, re-establishment support, travel documents and bookings, impediment "
        "applications, voluntary departure, the handover of complete cases to the Police, closings and "
        "reopenings with their reasons, and quarterly figures on Eurostat's return definitions.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers,
        publishes=[
            ReturnCaseOpenedV1,
            CounsellingHeldV1,
            ReEstablishmentSupportDecidedV1,
            TravelDocumentRequestedV1,
            VoluntaryReturnCompletedV1,
            PersonAbscondedV1,
            CaseHandedOverToPoliceV1,
            TravelBookedV1,
            TravelBookingCancelledV1,
            ImpedimentApplicationLodgedV1,
            ImpedimentApplicationDecidedV1,
            ReturnCaseClosedV1,
            ReturnCaseReopenedV1,
        ],
        subscriptions=event_handlers.subscriptions(rules),
        rules=rules,
    )


def build(settings: ReturnsSettings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or ReturnsSettings()
    return ServiceRuntime(definition(settings.rules()), settings, clock=clock)
