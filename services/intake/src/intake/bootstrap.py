"""Wiring intake together: its definition (rules, routes, events, tables) and its runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionEnforceableV1,
    DecisionMadeV1,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
    ResidencePermitGrantedV1,
)
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from intake import event_handlers
from intake.adapters import orm
from intake.domain.rules import IntakeRules
from intake.entrypoints.http import routers
from intake.settings import IntakeSettings

__all__ = ["IntakeSettings", "build", "definition"]


def definition(rules: IntakeRules | None = None) -> ServiceDefinition:
    rules = rules or IntakeSettings().rules()
    return ServiceDefinition(
        name="intake",
        title="Handoff intake: asylum applications and decisions",
        description="The Migration Agency's intake: registers asylum applications, decides them, records "
        "when refusals become enforceable, court stays (inhibitions) and Dublin transfers: their deadlines, "
        "and whether they were carried out or lapsed.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers,
        subscriptions=event_handlers.subscriptions(rules),
        publishes=[
            ApplicationRegisteredV1,
            DecisionMadeV1,
            ResidencePermitGrantedV1,
            DecisionEnforceableV1,
            InhibitionOrderedV1,
            InhibitionLiftedV1,
            ApplicantIdentityRecordedV1,
            DublinTransferCarriedOutV1,
            DublinTransferDeadlinePassedV1,
        ],
        rules=rules,
    )


def build(settings: IntakeSettings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or IntakeSettings()
    return ServiceRuntime(definition(settings.rules()), settings, clock=clock)
