"""Wiring returns together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionEnforceableV1,
    DecisionMadeV1,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
)
from handoff_schemas.events.police import HandoverAcceptedV1, HandoverRejectedV1
from handoff_schemas.events.returns import (
    CaseHandedOverToPoliceV1,
    CounsellingHeldV1,
    PersonAbscondedV1,
    ReEstablishmentSupportDecidedV1,
    ReturnCaseOpenedV1,
    TravelDocumentRequestedV1,
    VoluntaryReturnCompletedV1,
)
from handoff_schemas.topics import INTAKE_APPLICANT_V1, INTAKE_APPLICATION_V1, POLICE_ENFORCEMENT_CASE_V1
from returns.adapters import orm
from returns.entrypoints.http import routers
from returns.handlers import EventHandlers
from returns.settings import ReturnsSettings

__all__ = ["ReturnsSettings", "build", "definition"]


def definition(settings: ReturnsSettings | None = None) -> ServiceDefinition:
    handlers = EventHandlers((settings or ReturnsSettings()).rules())
    return ServiceDefinition(
        name="returns",
        title="Handoff returns: return counselling",
        description="The Migration Agency's return counselling: return cases, their deadlines and "
        "follow-up, counselling, re-establishment support, travel documents, voluntary departure, "
        "and the handover of complete cases to the Police.",
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
        ],
        subscriptions=[
            Subscription(
                name="intake-applications",
                topics=[INTAKE_APPLICATION_V1.name],
                handlers={
                    ApplicationRegisteredV1: handlers.application_registered,
                    DecisionMadeV1: handlers.decision_made,
                    DecisionEnforceableV1: handlers.decision_enforceable,
                    InhibitionOrderedV1: handlers.inhibition_ordered,
                    InhibitionLiftedV1: handlers.inhibition_lifted,
                },
            ),
            Subscription(
                name="intake-applicants",
                topics=[INTAKE_APPLICANT_V1.name],
                handlers={ApplicantIdentityRecordedV1: handlers.applicant_identity_recorded},
            ),
            Subscription(
                name="police-enforcement-cases",
                topics=[POLICE_ENFORCEMENT_CASE_V1.name],
                handlers={
                    HandoverAcceptedV1: handlers.handover_accepted,
                    HandoverRejectedV1: handlers.handover_rejected,
                },
            ),
        ],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or ReturnsSettings()
    returns_settings = settings if isinstance(settings, ReturnsSettings) else None
    return ServiceRuntime(definition(returns_settings), settings, clock=clock)
