"""Events published by the Migration Agency's asylum intake (topic handoff.intake.application.v1)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from handoff_schemas.base import Event
from handoff_schemas.topics import INTAKE_APPLICATION_V1, Topic


class IdentityCategory(StrEnum):
    DOCUMENTED = "documented"
    PARTLY_DOCUMENTED = "partly_documented"
    UNDOCUMENTED = "undocumented"


class Vulnerability(StrEnum):
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    CHILD_IN_FAMILY = "child_in_family"
    DISABILITY = "disability"
    SERIOUS_ILLNESS = "serious_illness"
    VICTIM_OF_TRAFFICKING = "victim_of_trafficking"
    MENTAL_HEALTH = "mental_health"


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
