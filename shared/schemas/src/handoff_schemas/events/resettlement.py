"""Events published by the county boards' settlement function.

Topic handoff.resettlement.case.v1 follows one resettlement case (a quota refugee family,
or a permit holder waiting in reception) to a municipality; topic
handoff.resettlement.municipal-places.v1 carries the places municipalities agree to take.
Both are anonymised: households are described by size, age bands and needs only, with no
names, no nationality and no education, so that a municipality cannot select away groups.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from handoff_schemas.base import Event
from handoff_schemas.events.common import AgeBand, EventPart, Reference, SettlementNeed
from handoff_schemas.topics import RESETTLEMENT_CASE_V1, RESETTLEMENT_MUNICIPAL_PLACES_V1, Topic

# --------------------------------------------------------------------------- vocabularies


class ResettlementSource(StrEnum):
    """Where a resettlement case comes from."""

    UNHCR_QUOTA = "unhcr_quota"
    PERMIT_HOLDER = "permit_holder"


class ResettlementPriority(StrEnum):
    """UNHCR's priority of a resettlement submission (at least 10 % of the quota is for emergencies)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    NORMAL = "normal"


class SubmissionCategory(StrEnum):
    """UNHCR's resettlement submission category."""

    LEGAL_AND_PHYSICAL_PROTECTION_NEEDS = "legal_and_physical_protection_needs"
    SURVIVORS_OF_VIOLENCE_AND_TORTURE = "survivors_of_violence_and_torture"
    MEDICAL_NEEDS = "medical_needs"
    WOMEN_AND_GIRLS_AT_RISK = "women_and_girls_at_risk"
    FAMILY_REUNIFICATION = "family_reunification"
    CHILDREN_AND_ADOLESCENTS_AT_RISK = "children_and_adolescents_at_risk"
    LACK_OF_FORESEEABLE_ALTERNATIVE_DURABLE_SOLUTIONS = "lack_of_foreseeable_alternative_durable_solutions"


class HousingSize(StrEnum):
    """The size of a dwelling offered for settlement."""

    STUDIO = "studio"
    ONE_BEDROOM = "one_bedroom"
    TWO_BEDROOMS = "two_bedrooms"
    THREE_BEDROOMS = "three_bedrooms"
    FOUR_OR_MORE_BEDROOMS = "four_or_more_bedrooms"


class DeclineReason(StrEnum):
    """Why a municipality declined a placement offer. Only practical grounds: there is no value for
    nationality, education, family size as such or any other group, because selecting away groups is
    not allowed."""

    NO_SUITABLE_HOUSING_SIZE = "no_suitable_housing_size"
    NO_ACCESSIBLE_HOUSING = "no_accessible_housing"
    NO_ACCESS_TO_SPECIALIST_CARE = "no_access_to_specialist_care"
    NO_ASSIGNABLE_PLACES_LEFT = "no_assignable_places_left"
    ARRIVAL_DATE_NOT_POSSIBLE = "arrival_date_not_possible"
    OTHER = "other"


# --------------------------------------------------------------------------- parts


def _check_bands(household_size: int, bands: list[AgeBand]) -> None:
    if len(bands) > household_size:
        raise ValueError("member_age_bands has more entries than household_size")


class SettlementProfile(EventPart):
    """The anonymised profile of a household offered to a municipality: no more than settling it needs."""

    household_size: int = Field(description="Number of people settling together.", ge=1)
    member_age_bands: list[AgeBand] = Field(
        default_factory=list, description="The age band of each household member (one entry per member)."
    )
    needs: list[SettlementNeed] = Field(default_factory=list, description="Needs the settlement must meet.")

    @model_validator(mode="after")
    def _bands_fit_the_household(self) -> Self:
        _check_bands(self.household_size, self.member_age_bands)
        return self


class HousingOffer(EventPart):
    """How many dwellings of one size a municipality offers."""

    size: HousingSize = Field(description="The size of the dwellings.")
    dwellings: int = Field(description="How many dwellings of this size.", ge=0)


# --------------------------------------------------------------------------- case topic


class ResettlementCaseSubmittedV1(Event):
    """A household was submitted for resettlement: a UNHCR quota submission, or a permit holder who
    needs a municipal place."""

    event_type: ClassVar[str] = "handoff.resettlement.resettlement-case-submitted.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case's id; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    source: ResettlementSource = Field(description="A UNHCR quota submission or a permit holder.")
    application_id: str | None = Field(
        default=None,
        description="For a permit holder, the asylum application on which the permit was granted "
        "(intake's id); null for quota cases.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    submitted_on: date = Field(description="The date the case was submitted.")
    priority: ResettlementPriority = Field(description="The submission's priority.")
    submission_category: SubmissionCategory | None = Field(
        default=None, description="UNHCR's submission category, for quota cases; null for permit holders."
    )
    household_size: int = Field(description="Number of people settling together.", ge=1)
    member_age_bands: list[AgeBand] = Field(
        default_factory=list, description="The age band of each household member (one entry per member)."
    )
    needs: list[SettlementNeed] = Field(default_factory=list, description="Needs the settlement must meet.")
    linked_case_ids: list[Reference] = Field(
        default_factory=list,
        description="Other resettlement cases (linked families) this household wants to live near.",
        examples=[["RS-2026-77d2e1"]],
    )
    quota_year: int | None = Field(
        default=None,
        description="The quota year the case is submitted under; null for permit holders.",
        ge=2000,
    )

    @model_validator(mode="after")
    def _source_matches_its_details(self) -> Self:
        _check_bands(self.household_size, self.member_age_bands)
        if self.source is ResettlementSource.UNHCR_QUOTA:
            if self.quota_year is None or self.submission_category is None:
                raise ValueError("a quota case names its quota_year and submission_category")
            if self.application_id is not None:
                raise ValueError("a quota case has no application_id")
        elif self.quota_year is not None or self.submission_category is not None:
            raise ValueError("a permit holder's case has no quota_year or submission_category")
        return self


class ResettlementCaseSelectedV1(Event):
    """A quota case was selected for resettlement under the year's quota."""

    event_type: ClassVar[str] = "handoff.resettlement.resettlement-case-selected.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case selected; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    selected_on: date = Field(
        description="The date of selection; the lead time to a municipal place counts from it."
    )
    quota_year: int = Field(description="The quota year the case counts against.", ge=2000)
    emergency: bool = Field(description="Selected as an emergency case (the quota's emergency reserve).")


class PlacementOfferedV1(Event):
    """The county board offered a household to a municipality for a place."""

    event_type: ClassVar[str] = "handoff.resettlement.placement-offered.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case offered; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The placement's id; the municipality's answer names it.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality offered the household.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    agreement_id: str | None = Field(
        default=None,
        description="The municipal places agreement whose assignable places the offer uses, when known.",
        min_length=1,
        max_length=64,
        examples=["AGR-2026-1280"],
    )
    offered_at: AwareDatetime = Field(description="When the offer was sent.")
    answer_due_on: date | None = Field(
        default=None, description="The date by which the municipality is asked to answer."
    )
    profile: SettlementProfile = Field(description="The anonymised profile of the household.")


class PlacementAcceptedV1(Event):
    """The municipality accepted a placement offer."""

    event_type: ClassVar[str] = "handoff.resettlement.placement-accepted.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The placement offer answered.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality that answered.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    answered_at: AwareDatetime = Field(description="When the municipality answered.")


class PlacementDeclinedV1(Event):
    """The municipality declined a placement offer, giving its reason."""

    event_type: ClassVar[str] = "handoff.resettlement.placement-declined.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The placement offer answered.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality that answered.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    answered_at: AwareDatetime = Field(description="When the municipality answered.")
    reason: DeclineReason = Field(description="The municipality's reason, from the allowed grounds.")
    reason_text: str = Field(
        description="The municipality's reason in its own words, logged for the quarterly follow-up; "
        "never personal data.",
        min_length=1,
        max_length=1000,
    )


class PlacementConfirmedV1(Event):
    """The county board confirmed the placement: the household is assigned to the municipality."""

    event_type: ClassVar[str] = "handoff.resettlement.placement-confirmed.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The placement confirmed.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality assigned.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    confirmed_at: AwareDatetime = Field(description="When the placement was confirmed.")
    arrival_planned_on: date = Field(description="The date the household is planned to arrive.")


class PersonSettledV1(Event):
    """The household arrived and settled in its municipality."""

    event_type: ClassVar[str] = "handoff.resettlement.person-settled.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_CASE_V1
    key_field: ClassVar[str] = "case_id"

    case_id: str = Field(
        description="The resettlement case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RS-2026-77d2e0"],
    )
    placement_id: str = Field(
        description="The confirmed placement that was carried out.",
        min_length=1,
        max_length=64,
        examples=["PLC-2026-0b93"],
    )
    municipality_code: str = Field(
        description="Code of the municipality the household settled in.",
        min_length=1,
        max_length=16,
        examples=["1280"],
    )
    settled_on: date = Field(
        description="The date the household settled (was registered in the municipality)."
    )


# --------------------------------------------------------------------------- municipal-places topic


class MunicipalPlacesAgreedV1(Event):
    """A county board and a municipality agreed how many places the municipality takes in a year."""

    event_type: ClassVar[str] = "handoff.resettlement.municipal-places-agreed.v1"
    topic: ClassVar[Topic] = RESETTLEMENT_MUNICIPAL_PLACES_V1
    key_field: ClassVar[str] = "agreement_id"

    agreement_id: str = Field(
        description="The agreement's id; the Kafka key of its stream (a revised agreement keeps it).",
        min_length=1,
        max_length=64,
        examples=["AGR-2026-1280"],
    )
    county_code: str = Field(
        description="Code of the county whose board made the agreement.",
        min_length=1,
        max_length=16,
        examples=["12"],
    )
    municipality_code: str = Field(
        description="Code of the municipality.", min_length=1, max_length=16, examples=["1280"]
    )
    year: int = Field(description="The calendar year the places are for.", ge=2000)
    agreed_on: date = Field(description="The date of the agreement.")
    agreed_places: int = Field(description="The number of places the municipality takes.", ge=0)
    assignable_places: int = Field(description="Of those, the places that can be used for assignments.", ge=0)
    accessible_places: int = Field(description="Of those, places in accessible housing.", ge=0)
    housing_sizes_offered: list[HousingOffer] = Field(
        default_factory=list, description="The dwellings offered, by size."
    )
    specialist_care_access: bool = Field(
        description="The municipality can give access to specialist care (e.g. for torture survivors)."
    )

    @model_validator(mode="after")
    def _places_add_up(self) -> Self:
        if self.assignable_places > self.agreed_places:
            raise ValueError("assignable_places exceeds agreed_places")
        if self.accessible_places > self.agreed_places:
            raise ValueError("accessible_places exceeds agreed_places")
        return self
