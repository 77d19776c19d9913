"""Events published by the Migration Agency's asylum intake (topic handoff.intake.application.v1).

None of them carries personal data: the applicant is the pseudonymous ``person_ref``, and
households are described by size, age bands and needs only.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from handoff_schemas.base import Event, personal
from handoff_schemas.events.common import (
    COUNTRY_CODE,
    AgeBand,
    IdentityCategory,
    PermitType,
    RemovalOrderKind,
    SettlementNeed,
    Vulnerability,
)
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.topics import INTAKE_APPLICANT_V1, INTAKE_APPLICATION_V1, Topic

__all__ = [
    "ApplicationRegisteredV1",
    "DecisionEnforceableV1",
    "DecisionMadeV1",
    "DecisionOutcome",
    "IdentityCategory",
    "InhibitionLiftedV1",
    "InhibitionOrderedV1",
    "ResidencePermitGrantedV1",
    "Vulnerability",
]


class DecisionOutcome(StrEnum):
    """The outcome of an asylum decision."""

    GRANTED = "granted"
    REFUSED = "refused"


class ApplicationRegisteredV1(Event):
    """An asylum application was lodged and registered at the Migration Agency."""

    event_type: ClassVar[str] = "handoff.intake.application-registered.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application's id at intake; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the applicant; never a name or document number.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    lodged_on: date = Field(description="The date the application was lodged.")
    dublin_case: bool = Field(description="A Eurodac hit made this a Dublin case.")
    identity_category: IdentityCategory = Field(
        description="Identity category from the documents the applicant handed in."
    )
    vulnerabilities: list[Vulnerability] = Field(
        default_factory=list, description="Vulnerability categories found at screening."
    )


class DecisionMadeV1(Event):
    """The Migration Agency decided the asylum application: protection granted, or refused with a
    removal order."""

    event_type: ClassVar[str] = "handoff.intake.decision-made.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application decided; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    decision_id: str = Field(
        description="Reference of the decision at the Migration Agency.",
        min_length=1,
        max_length=64,
        examples=["DEC-2026-004211"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the applicant; never a name or document number.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    decided_on: date = Field(description="The date of the decision.")
    outcome: DecisionOutcome = Field(description="Whether protection was granted or refused.")
    permit_type: PermitType | None = Field(
        default=None, description="The residence permit granted; set if and only if the outcome is granted."
    )
    removal_order: RemovalOrderKind | None = Field(
        default=None,
        description="The removal order that comes with a refusal; set if and only if the outcome is refused.",
    )
    immediate_enforcement: bool | None = Field(
        default=None,
        description="A refusal of entry with immediate enforcement (enforceable before it gains legal "
        "force); set only for refusals.",
    )
    destination_country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the country the person is to be removed to; set only "
        "for refusals.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )

    @model_validator(mode="after")
    def _outcome_matches_its_details(self) -> Self:
        if self.outcome is DecisionOutcome.GRANTED:
            if self.permit_type is None:
                raise ValueError("a granted decision names its permit_type")
            if (
                self.removal_order is not None
                or self.immediate_enforcement is not None
                or self.destination_country is not None
            ):
                raise ValueError("a granted decision has no removal order, enforcement or destination")
        else:
            if self.permit_type is not None:
                raise ValueError("a refused decision grants no permit_type")
            if self.removal_order is None or self.immediate_enforcement is None:
                raise ValueError("a refused decision names its removal_order and immediate_enforcement")
            if self.destination_country is None:
                raise ValueError("a refused decision names its destination_country")
        return self


class DecisionEnforceableV1(Event):
    """A refusal with a removal order became enforceable (gained legal force, or immediate
    enforcement applies), which starts return work. Since the second revision of v1 it also says
    when the decision gained legal force and which authority's decision is enforced (optional
    fields: a compatible change that older consumers ignore)."""

    event_type: ClassVar[str] = "handoff.intake.decision-enforceable.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application whose decision became enforceable; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    decision_id: str = Field(
        description="Reference of the enforceable decision (the last instance's decision if appealed).",
        min_length=1,
        max_length=64,
        examples=["DEC-2026-004211"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person to be removed.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    enforceable_on: date = Field(
        description="The date the removal order became enforceable (legal force, or the decision date "
        "under immediate enforcement); the return deadlines count from it."
    )
    removal_order: RemovalOrderKind = Field(description="The kind of removal order to enforce.")
    immediate_enforcement: bool = Field(
        description="Enforceable under immediate enforcement rather than by gaining legal force."
    )
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country the person is to be removed to.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    legal_force_on: date | None = Field(
        default=None,
        description="The date the decision gained legal force (could no longer be appealed): the "
        "removal order lapses four years after it. Null under immediate enforcement while the decision "
        "may still be appealed, and from publishers older than this field.",
    )
    decided_by: str | None = Field(
        default=None,
        description="Code of the authority or court whose decision is enforced (the last instance if "
        "appealed); null from publishers older than this field.",
        min_length=1,
        max_length=64,
        examples=["MIGRATIONSVERKET"],
    )

    @model_validator(mode="after")
    def _legal_force_fits_enforceability(self) -> Self:
        if self.legal_force_on is None:
            return self
        if self.legal_force_on < self.enforceable_on:
            raise ValueError("legal_force_on is before enforceable_on")
        if not self.immediate_enforcement and self.legal_force_on != self.enforceable_on:
            raise ValueError("without immediate enforcement the order is enforceable from its legal force")
        return self


class InhibitionOrderedV1(Event):
    """A court or body ordered an inhibition: a stay of enforcement of the removal order, which
    stops return work until it is lifted."""

    event_type: ClassVar[str] = "handoff.intake.inhibition-ordered.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application whose removal order is stayed; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    inhibition_id: str = Field(
        description="Reference of the inhibition, used again when it is lifted.",
        min_length=1,
        max_length=64,
        examples=["INH-2026-0193"],
    )
    decision_id: str | None = Field(
        default=None,
        description="Reference of the decision whose enforcement is stayed, when known.",
        min_length=1,
        max_length=64,
        examples=["DEC-2026-004211"],
    )
    court: str = Field(
        description="Code of the court or body that ordered the stay (a migration court, the migration "
        "court of appeal, the European Court of Human Rights under Rule 39, ...).",
        min_length=1,
        max_length=64,
        examples=["MIGD-MALMO"],
    )
    ordered_on: date = Field(description="The date the inhibition was ordered.")


class InhibitionLiftedV1(Event):
    """An inhibition was lifted, so the removal order may be enforced again."""

    event_type: ClassVar[str] = "handoff.intake.inhibition-lifted.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application whose stay of enforcement ended; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    inhibition_id: str = Field(
        description="Reference of the inhibition lifted (as in inhibition-ordered).",
        min_length=1,
        max_length=64,
        examples=["INH-2026-0193"],
    )
    court: str = Field(
        description="Code of the court or body that lifted the stay.",
        min_length=1,
        max_length=64,
        examples=["MIGD-MALMO"],
    )
    lifted_on: date = Field(description="The date the inhibition was lifted.")


class ResidencePermitGrantedV1(Event):
    """A residence permit was granted on the application, and the household may need a municipal
    place."""

    event_type: ClassVar[str] = "handoff.intake.residence-permit-granted.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application on which the permit was granted; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    permit_id: str = Field(
        description="Reference of the residence permit.",
        min_length=1,
        max_length=64,
        examples=["UT-2026-118734"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the permit holder.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    permit_type: PermitType = Field(description="Permanent or temporary permit.")
    valid_from: date = Field(description="The first day the permit is valid.")
    valid_until: date | None = Field(
        default=None, description="The last day a temporary permit is valid; null for a permanent one."
    )
    household_size: int = Field(
        description="Number of people in the household settling together, the permit holder included.",
        ge=1,
    )
    household_age_bands: list[AgeBand] = Field(
        default_factory=list, description="The age band of each household member (one entry per member)."
    )
    needs_municipal_place: bool = Field(
        description="The household asked for help to be assigned a place in a municipality."
    )
    special_needs: list[SettlementNeed] = Field(
        default_factory=list, description="Needs the settlement must take into account."
    )

    @model_validator(mode="after")
    def _household_is_consistent(self) -> Self:
        if len(self.household_age_bands) > self.household_size:
            raise ValueError("household_age_bands has more entries than household_size")
        if self.permit_type is PermitType.PERMANENT and self.valid_until is not None:
            raise ValueError("a permanent permit has no valid_until")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


# --------------------------------------------------------------------------- applicant topic


class ApplicantIdentityRecordedV1(Event):
    """Intake recorded (or corrected) the applicant's identity and identity documents."""

    event_type: ClassVar[str] = "handoff.intake.applicant-identity-recorded.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICANT_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application's id at intake; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    person_ref: str = Field(
        description="The pseudonymous reference that every topic without personal data uses.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    identity: PersonIdentity = personal("The applicant's identity and identity documents.")
    recorded_at: AwareDatetime = Field(description="When intake recorded this identity.")
