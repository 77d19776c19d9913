"""What resettlement's HTTP API takes: the request bodies, closed (an unknown field is a 422)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handoff_plumbing.http.commands import RequestId
from handoff_plumbing.http.types import BirthDate, Day, Identifier, Nationality, PersonName, Text
from handoff_schemas.events.common import LANGUAGE_CODE, AgeBand, SettlementNeed, Sex
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    ResettlementPriority,
    SubmissionCategory,
)
from resettlement.domain.case import Member
from resettlement.domain.places import PlacesTerms
from resettlement.entrypoints.http.dependencies import CODE

Reason = Annotated[str, Text(max_length=1000, multiline=True)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuotaIn(Closed):
    total_places: int = Field(ge=0, le=1_000_000, description="The year's quota, in people.")
    emergency_reserve: int | None = Field(
        default=None,
        ge=0,
        le=1_000_000,
        description="People reserved for emergency cases; at least 10 % of the quota (the default).",
    )


class MemberIn(Closed):
    full_name: PersonName = Field(description="As on the UNHCR resettlement form.")
    age_band: AgeBand
    date_of_birth: BirthDate | None = Field(default=None, description="From 1900-01-01, not after today.")
    sex: Sex | None = None
    nationality: Nationality | None = Field(default=None, description="ISO 3166-1 alpha-3.")
    languages: list[str] = Field(default_factory=list, max_length=10, description="ISO 639 codes.")
    education: Annotated[str, Text(max_length=200)] | None = None

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.match(LANGUAGE_CODE, code):
                raise ValueError(f"{code!r} is not an ISO 639 language code")
        return value

    def to_domain(self) -> Member:
        return Member(
            age_band=self.age_band,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            nationality=self.nationality,
            languages=tuple(self.languages),
            education=self.education,
        )


class QuotaSubmissionIn(Closed):
    """The contents of a UNHCR resettlement registration form, as the Agency registers them."""

    request_id: RequestId
    quota_year: int = Field(ge=2000, le=2100)
    priority: ResettlementPriority
    submission_category: SubmissionCategory
    submitted_on: Day
    unhcr_case_number: Annotated[str, Text(max_length=64)] | None = None
    members: list[MemberIn] = Field(min_length=1, max_length=40)
    needs: list[SettlementNeed] = Field(default_factory=list, max_length=len(SettlementNeed))
    linked_case_ids: list[Identifier] = Field(
        default_factory=list,
        max_length=20,
        description="Resettlement cases this household wants to live near.",
    )


class SelectionIn(Closed):
    decision: Literal["selected", "not_selected"]
    decided_on: Day = Field(description="The date of the decision; a selection's lead time counts from it.")


class DwellingsIn(Closed):
    size: HousingSize
    dwellings: int = Field(ge=0, le=100_000)


class PlacesTermsIn(Closed):
    agreed_on: Day
    agreed_places: int = Field(ge=0, le=100_000, description="People the municipality takes in the year.")
    assignable_places: int = Field(ge=0, le=100_000, description="Of those, places usable for assignments.")
    accessible_places: int = Field(
        default=0,
        ge=0,
        le=100_000,
        description="Of those, places in accessible housing (kept for who needs them).",
    )
    housing: list[DwellingsIn] = Field(
        default_factory=list,
        max_length=len(HousingSize),
        description="Dwellings offered by size; empty if the agreement does not list dwellings.",
    )
    specialist_care_access: bool = Field(default=False, description="Access to specialist care.")
    receives_unaccompanied_minors: bool = Field(
        default=False, description="Receives unaccompanied minors (kept here: the event has no field for it)."
    )

    @field_validator("housing")
    @classmethod
    def _one_entry_per_size(cls, value: list[DwellingsIn]) -> list[DwellingsIn]:
        sizes = [d.size for d in value]
        if len(sizes) != len(set(sizes)):
            raise ValueError("name each dwelling size once")
        return value

    def to_domain(self) -> PlacesTerms:
        return PlacesTerms(
            agreed_on=self.agreed_on,
            agreed_places=self.agreed_places,
            assignable_places=self.assignable_places,
            accessible_places=self.accessible_places,
            dwellings={d.size: d.dwellings for d in self.housing},
            specialist_care_access=self.specialist_care_access,
            receives_unaccompanied_minors=self.receives_unaccompanied_minors,
        )


class AgreementIn(PlacesTermsIn):
    request_id: RequestId
    county_code: str = Field(pattern=CODE, description="Must be the calling county board's county.")
    municipality_code: str = Field(pattern=CODE)
    year: int = Field(ge=2000, le=2100)


class MatchingRunIn(Closed):
    request_id: RequestId
    year: int = Field(ge=2000, le=2100, description="Whose agreements' places to use.")
    send_offers: bool = Field(default=False, description="Turn every proposal into an offer at once.")


class OfferIn(Closed):
    request_id: RequestId
    case_id: Identifier
    agreement_id: Identifier
    passed_over_reason: Reason | None = Field(
        default=None,
        description="Required when the place would fit a case ahead in the queue too: why that case "
        "is passed over (recorded for each such case).",
    )


class DeclineIn(Closed):
    reason: Annotated[str, Text(max_length=64)] = Field(
        description="A practical ground: " + ", ".join(r.value for r in DeclineReason) + ". A protected "
        "ground (nationality, religion, ethnicity, education, family composition, ...) is refused.",
        examples=["no_suitable_housing_size"],
    )
    reason_text: Reason = Field(
        description="The reason in the municipality's own words; no personal data.",
    )


class WithdrawalIn(Closed):
    reason: Reason


class ConfirmationIn(Closed):
    arrival_planned_on: Day


class ArrivalIn(Closed):
    arrived_on: Day


class SettlementIn(Closed):
    settled_on: Day
