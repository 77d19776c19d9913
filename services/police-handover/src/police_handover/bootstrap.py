"""Wiring police-handover together: its definition (rules, routes, events, tables) and its runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
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
from handoff_schemas.events.police_measures import (
    DetentionReviewedV1,
    LighterMeasureEndedV1,
    LighterMeasureOrderedV1,
)
from police_handover import event_handlers
from police_handover.adapters import orm
from police_handover.domain.rules import PoliceHandoverRules
from police_handover.entrypoints.http import routers
from police_handover.settings import PoliceHandoverSettings

__all__ = ["PoliceHandoverSettings", "build", "definition"]


def definition(rules: PoliceHandoverRules | None = None) -> ServiceDefinition:
    rules = rules or PoliceHandoverSettings().rules()
    return ServiceDefinition(
        name="police-handover",
        title="Handoff police-handover: enforcement of removals",
        description="The Police: accepts handovers of return cases, plans and carries out removals, "
        "orders detention and lighter measures, and notifies the monitor of every plan change.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers,
        publishes=[
            HandoverAcceptedV1,
            HandoverRejectedV1,
            DetentionOrderedV1,
            DetentionEndedV1,
            DetentionReviewedV1,
            LighterMeasureOrderedV1,
            LighterMeasureEndedV1,
            RemovalPlanCreatedV1,
            RemovalPlanUpdatedV1,
            RemovalPlanCancelledV1,
            RemovalExecutedV1,
            RemovalAbortedV1,
        ],
        subscriptions=event_handlers.subscriptions(rules),
        rules=rules,
    )


def build(settings: PoliceHandoverSettings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or PoliceHandoverSettings()
    return ServiceRuntime(definition(settings.rules()), settings, clock=clock)
