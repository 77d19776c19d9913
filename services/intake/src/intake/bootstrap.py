"""Wiring intake together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionEnforceableV1,
    DecisionMadeV1,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
    ResidencePermitGrantedV1,
)
from intake.adapters import orm
from intake.domain.rules import IntakeRules
from intake.entrypoints.http import create_router

DEFAULT_RULES = IntakeRules()


class IntakeSettings(Settings):
    """Intake's settings; each field is read from its upper-case environment variable."""

    service_name: str = "intake"
    http_port: int = 8001
    decision_due_months: int = Field(
        default=DEFAULT_RULES.decision_due_months,
        ge=1,
        description="DECISION_DUE_MONTHS: an application is to be decided within this many months of "
        "being lodged.",
    )
    appeal_period_days: int = Field(
        default=DEFAULT_RULES.appeal_period_days,
        ge=0,
        description="APPEAL_PERIOD_DAYS: a refusal without immediate enforcement gains legal force no "
        "earlier than this many days after the decision date, unless appeal was waived.",
    )
    dublin_transfer_months: int = Field(
        default=DEFAULT_RULES.transfer_months_normal,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS: transfer time limit from the acceptance (Dublin III art. 29).",
    )
    dublin_transfer_months_imprisoned: int = Field(
        default=DEFAULT_RULES.transfer_months_imprisoned,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS_IMPRISONED: the time limit if the person is imprisoned.",
    )
    dublin_transfer_months_absconded: int = Field(
        default=DEFAULT_RULES.transfer_months_absconded,
        ge=1,
        description="DUBLIN_TRANSFER_MONTHS_ABSCONDED: the time limit if the person absconds.",
    )

    def rules(self) -> IntakeRules:
        return IntakeRules(
            decision_due_months=self.decision_due_months,
            appeal_period_days=self.appeal_period_days,
            transfer_months_normal=self.dublin_transfer_months,
            transfer_months_imprisoned=self.dublin_transfer_months_imprisoned,
            transfer_months_absconded=self.dublin_transfer_months_absconded,
        )


def definition(rules: IntakeRules = DEFAULT_RULES) -> ServiceDefinition:
    return ServiceDefinition(
        name="intake",
        title="Handoff intake: asylum applications and decisions",
        description="The Migration Agency's intake: registers asylum applications, decides them, records "
        "when refusals become enforceable, court stays (inhibitions) and Dublin transfer deadlines.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[create_router(rules)],
        publishes=[
            ApplicationRegisteredV1,
            DecisionMadeV1,
            ResidencePermitGrantedV1,
            DecisionEnforceableV1,
            InhibitionOrderedV1,
            InhibitionLiftedV1,
            ApplicantIdentityRecordedV1,
        ],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    settings = settings or IntakeSettings()
    rules = settings.rules() if isinstance(settings, IntakeSettings) else DEFAULT_RULES
    return ServiceRuntime(definition(rules), settings, clock=clock)
