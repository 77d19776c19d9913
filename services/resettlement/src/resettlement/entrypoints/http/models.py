"""Request and response bodies of resettlement's HTTP API.

Views for county boards and the agency are anonymised like the events: household size, age
bands and needs, never names or nationality. Only :class:`FullDetailsOut`, read by the
municipality whose placement is confirmed, carries the personal details.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handoff_schemas.events.common import COUNTRY_CODE, LANGUAGE_CODE, AgeBand, SettlementNeed, Sex
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    ResettlementPriority,
    ResettlementSource,
    SettlementProfile,
    SubmissionCategory,
)
from resettlement.domain.case import CaseState, Member, ResettlementCase
from resettlement.domain.fairness import MatchingRun, PassedOver
from resettlement.domain.matching import Proposal
from resettlement.domain.placement import Placement, PlacementStatus
from resettlement.domain.places import PlacesAgreement, PlacesTerms, PlacesUsage
from resettlement.domain.quota import QuotaProgress
from resettlement.entrypoints.http.common import CODE

RequestId = Field(
    default=None,
    min_length=1,
    max_length=128,
    description="Client-chosen id; repeating it returns what the first request created, creating nothing.",
)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- quota


class QuotaIn(Closed):
    total_places: int = Field(ge=0, le=1_000_000, description="The year's quota, in people.")
    emergency_reserve: int | None = Field(
        default=None,
        ge=0,
        description="People reserved for emergency cases; at least 10 % of the quota (the default).",
    )


class PrioritySelected(BaseModel):
    cases: int
    persons: int


class QuotaProgressOut(BaseModel):
    year: int
    configured: bool = Field(description="False when no quota was set for the year and the default applies.")
    total_places: int
    emergency_reserve: int
    selected: dict[ResettlementPriority, PrioritySelected] = Field(
        description="Selected so far, per priority."
    )
    selected_persons: int
    emergency_reserve_used: int
    emergency_reserve_left: int
    places_left: int
    places_left_outside_reserve: int = Field(description="What urgent and normal selections may still use.")

    @classmethod
    def of(cls, progress: QuotaProgress, *, configured: bool) -> QuotaProgressOut:
        return cls(
            year=progress.year,
            configured=configured,
            total_places=progress.total_places,
            emergency_reserve=progress.emergency_reserve,
            selected={
                p: PrioritySelected(cases=progress.selected_cases[p], persons=progress.selected_persons[p])
                for p in ResettlementPriority
            },
            selected_persons=progress.selected_total,
            emergency_reserve_used=progress.emergency_reserve_used,
            emergency_reserve_left=progress.emergency_reserve_left,
            places_left=progress.places_left,
            places_left_outside_reserve=progress.places_left_outside_reserve,
        )


# --------------------------------------------------------------------------- cases


class MemberIn(Closed):
    full_name: str = Field(min_length=1, max_length=255, description="As on the UNHCR resettlement form.")
    age_band: AgeBand
    date_of_birth: date | None = None
    sex: Sex | None = None
    nationality: str | None = Field(default=None, pattern=COUNTRY_CODE, description="ISO 3166-1 alpha-3.")
    languages: list[str] = Field(default_factory=list, max_length=10, description="ISO 639 codes.")
    education: str | None = Field(default=None, min_length=1, max_length=200)

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

    request_id: str | None = RequestId
    quota_year: int = Field(ge=2000, le=2100)
    priority: ResettlementPriority
    submission_category: SubmissionCategory
    submitted_on: date
    unhcr_case_number: str | None = Field(default=None, min_length=1, max_length=64)
    members: list[MemberIn] = Field(min_length=1, max_length=40)
    needs: list[SettlementNeed] = Field(default_factory=list)
    linked_case_ids: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Resettlement cases this household wants to live near.",
    )


class SelectionIn(Closed):
    decision: Literal["selected", "not_selected"]
    decided_on: date = Field(description="The date of the decision; a selection's lead time counts from it.")


class CaseOut(BaseModel):
    """A case as county boards and the Agency see it: anonymised."""

    case_id: str
    source: ResettlementSource
    priority: ResettlementPriority
    state: CaseState
    household_size: int
    member_age_bands: list[AgeBand]
    needs: list[SettlementNeed]
    hard_to_place: bool
    linked_case_ids: list[str]
    submitted_on: date
    quota_year: int | None
    submission_category: SubmissionCategory | None
    application_id: str | None
    selected_on: date | None
    waiting_since: date | None = Field(description="Permit or selection date: the case's place in the queue.")
    placement_id: str | None = Field(description="The open or confirmed placement.")
    municipality_code: str | None = Field(description="Where the case is assigned, once confirmed.")
    assigned_on: date | None
    arrived_on: date | None
    settled_on: date | None

    @classmethod
    def of(cls, case: ResettlementCase) -> CaseOut:
        return cls(
            case_id=case.case_id,
            source=case.source,
            priority=case.priority,
            state=case.state,
            household_size=case.household_size,
            member_age_bands=case.age_bands,
            needs=case.needs,
            hard_to_place=case.hard_to_place,
            linked_case_ids=case.linked_case_ids,
            submitted_on=case.submitted_on,
            quota_year=case.quota_year,
            submission_category=case.submission_category,
            application_id=case.application_id,
            selected_on=case.selected_on,
            waiting_since=case.waiting_since,
            placement_id=case.placement_id,
            municipality_code=case.municipality_code,
            assigned_on=case.assigned_on,
            arrived_on=case.arrived_on,
            settled_on=case.settled_on,
        )


class MemberOut(BaseModel):
    full_name: str | None
    age_band: AgeBand
    date_of_birth: date | None
    sex: Sex | None
    nationality: str | None
    languages: list[str]
    education: str | None


class PermitOut(BaseModel):
    application_id: str
    person_ref: str | None
    permit_id: str | None
    valid_from: date | None


class FullDetailsOut(BaseModel):
    """Everything resettlement holds on the household: for the confirmed municipality alone."""

    case_id: str
    source: ResettlementSource
    placement_id: str
    municipality_code: str
    arrival_planned_on: date | None
    household_size: int
    member_age_bands: list[AgeBand]
    needs: list[SettlementNeed]
    linked_case_ids: list[str]
    unhcr_case_number: str | None
    submission_category: SubmissionCategory | None
    members: list[MemberOut] = Field(description="From the UNHCR form; empty for permit holders.")
    permit: PermitOut | None = Field(
        description="For a permit holder: the Agency's references, under which it holds the names."
    )

    @classmethod
    def of(cls, case: ResettlementCase, placement: Placement) -> FullDetailsOut:
        return cls(
            case_id=case.case_id,
            source=case.source,
            placement_id=placement.placement_id,
            municipality_code=placement.municipality_code,
            arrival_planned_on=placement.arrival_planned_on,
            household_size=case.household_size,
            member_age_bands=case.age_bands,
            needs=case.needs,
            linked_case_ids=case.linked_case_ids,
            unhcr_case_number=case.unhcr_case_number,
            submission_category=case.submission_category,
            members=[
                MemberOut(
                    full_name=m.full_name,
                    age_band=m.age_band,
                    date_of_birth=m.date_of_birth,
                    sex=m.sex,
                    nationality=m.nationality,
                    languages=list(m.languages),
                    education=m.education,
                )
                for m in case.members
            ],
            permit=(
                PermitOut(
                    application_id=case.application_id,
                    person_ref=case.person_ref,
                    permit_id=case.permit_id,
                    valid_from=case.permit_valid_from,
                )
                if case.application_id
                else None
            ),
        )


# --------------------------------------------------------------------------- municipal places


class DwellingsIn(Closed):
    size: HousingSize
    dwellings: int = Field(ge=0, le=100_000)


class PlacesTermsIn(Closed):
    agreed_on: date
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
    request_id: str | None = RequestId
    county_code: str = Field(pattern=CODE, description="Must be the calling county board's county.")
    municipality_code: str = Field(pattern=CODE)
    year: int = Field(ge=2000, le=2100)


class AgreementOut(BaseModel):
    agreement_id: str
    county_code: str
    municipality_code: str
    year: int
    agreed_on: date
    agreed_places: int
    assignable_places: int
    accessible_places: int
    housing: list[DwellingsIn]
    specialist_care_access: bool
    receives_unaccompanied_minors: bool
    revised_at: datetime
    held_places: int = Field(
        description="People in open offers and confirmed placements under this agreement."
    )
    confirmed_places: int = Field(description="People in confirmed placements (places used).")
    free_general_places: int
    free_accessible_places: int

    @classmethod
    def of(cls, agreement: PlacesAgreement, usage: PlacesUsage) -> AgreementOut:
        t = agreement.terms
        free = agreement.available(usage)
        return cls(
            agreement_id=agreement.agreement_id,
            county_code=agreement.county_code,
            municipality_code=agreement.municipality_code,
            year=agreement.year,
            agreed_on=t.agreed_on,
            agreed_places=t.agreed_places,
            assignable_places=t.assignable_places,
            accessible_places=t.accessible_places,
            housing=[DwellingsIn(size=s, dwellings=n) for s, n in t.dwellings.items()],
            specialist_care_access=t.specialist_care_access,
            receives_unaccompanied_minors=t.receives_unaccompanied_minors,
            revised_at=agreement.revised_at,
            held_places=usage.general + usage.accessible,
            confirmed_places=usage.confirmed_persons,
            free_general_places=free.general_places,
            free_accessible_places=free.accessible_places,
        )


# --------------------------------------------------------------------------- matching


class MatchingRunIn(Closed):
    request_id: str | None = RequestId
    year: int = Field(ge=2000, le=2100, description="Whose agreements' places to use.")
    send_offers: bool = Field(default=False, description="Turn every proposal into an offer at once.")


class ProposalOut(BaseModel):
    case_id: str
    agreement_id: str
    municipality_code: str
    household_size: int
    accessible: bool
    dwelling: HousingSize | None
    placement_id: str | None = Field(description="The offer made from this proposal, if any.")

    @classmethod
    def of(cls, proposal: Proposal, placement_id: str | None) -> ProposalOut:
        return cls(
            case_id=proposal.case_id,
            agreement_id=proposal.agreement_id,
            municipality_code=proposal.municipality_code,
            household_size=proposal.household_size,
            accessible=proposal.accessible,
            dwelling=proposal.dwelling,
            placement_id=placement_id,
        )


class PassedOverOut(BaseModel):
    """One case passed over: by which run or offer, by whom, and why."""

    record_id: str
    case_id: str
    priority: ResettlementPriority
    waiting_since: date
    passed_at: datetime
    passed_by: str = Field(
        description="The county board (token subject) that ran the matching or made the offer."
    )
    county_code: str
    run_id: str | None
    placement_id: str | None = Field(description="For a manual offer: the offer that went first.")
    overtaken_by: str | None = Field(description="The case that got a place first.")
    reasons: list[str] = Field(description="The needs no available place met, or 'manual_offer'.")
    detail: str
    binding: bool = Field(description="False for a run that only proposed and sent no offers.")

    @classmethod
    def of(cls, record: PassedOver) -> PassedOverOut:
        return cls(
            record_id=record.record_id,
            case_id=record.case_id,
            priority=record.priority,
            waiting_since=record.waiting_since,
            passed_at=record.passed_at,
            passed_by=record.passed_by,
            county_code=record.county_code,
            run_id=record.run_id,
            placement_id=record.placement_id,
            overtaken_by=record.overtaken_by,
            reasons=list(record.reasons),
            detail=record.detail,
            binding=record.binding,
        )


class MatchingRunOut(BaseModel):
    run_id: str
    county_code: str
    year: int
    ran_at: datetime
    ran_by: str
    waiting_cases: int
    places: int
    offers_sent: bool
    unplaced: int = Field(description="Waiting cases that got no place in this run.")
    proposals: list[ProposalOut]
    passed_over: list[PassedOverOut]

    @classmethod
    def of(cls, run: MatchingRun) -> MatchingRunOut:
        return cls(
            run_id=run.run_id,
            county_code=run.county_code,
            year=run.year,
            ran_at=run.ran_at,
            ran_by=run.ran_by,
            waiting_cases=run.waiting_cases,
            places=run.places,
            offers_sent=run.offers_sent,
            unplaced=run.unplaced,
            proposals=[ProposalOut.of(p, run.placement_ids.get(p.case_id)) for p in run.proposals],
            passed_over=[PassedOverOut.of(r) for r in run.passed_over],
        )


# --------------------------------------------------------------------------- placements


class OfferIn(Closed):
    request_id: str | None = RequestId
    case_id: str = Field(min_length=1, max_length=64)
    agreement_id: str = Field(min_length=1, max_length=64)
    passed_over_reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Required when the place would fit a case ahead in the queue too: why that case "
        "is passed over (recorded for each such case).",
    )


class DeclineIn(Closed):
    reason: str = Field(
        min_length=1,
        max_length=64,
        description="A practical ground: " + ", ".join(r.value for r in DeclineReason) + ". A protected "
        "ground (nationality, religion, ethnicity, education, family composition, ...) is refused.",
        examples=["no_suitable_housing_size"],
    )
    reason_text: str = Field(
        min_length=1,
        max_length=1000,
        description="The reason in the municipality's own words; no personal data.",
    )


class WithdrawalIn(Closed):
    reason: str = Field(min_length=1, max_length=1000)


class ConfirmationIn(Closed):
    arrival_planned_on: date


class ArrivalIn(Closed):
    arrived_on: date


class SettlementIn(Closed):
    settled_on: date


class PlacementOut(BaseModel):
    """An offer and what became of it; the household appears only as its anonymised profile."""

    placement_id: str
    case_id: str
    agreement_id: str
    county_code: str
    municipality_code: str
    status: PlacementStatus
    profile: SettlementProfile
    dwelling: HousingSize | None
    offered_at: datetime
    answer_due_on: date
    run_id: str | None
    answered_at: datetime | None
    decline_reason: DeclineReason | None
    decline_reason_text: str | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    confirmed_at: datetime | None
    arrival_planned_on: date | None
    arrived_on: date | None
    settled_on: date | None

    @classmethod
    def of(cls, p: Placement) -> PlacementOut:
        return cls(
            placement_id=p.placement_id,
            case_id=p.case_id,
            agreement_id=p.agreement_id,
            county_code=p.county_code,
            municipality_code=p.municipality_code,
            status=p.status,
            profile=p.profile,
            dwelling=p.dwelling,
            offered_at=p.offered_at,
            answer_due_on=p.answer_due_on,
            run_id=p.run_id,
            answered_at=p.answered_at,
            decline_reason=p.decline_reason,
            decline_reason_text=p.decline_reason_text,
            withdrawn_at=p.withdrawn_at,
            withdrawal_reason=p.withdrawal_reason,
            confirmed_at=p.confirmed_at,
            arrival_planned_on=p.arrival_planned_on,
            arrived_on=p.arrived_on,
            settled_on=p.settled_on,
        )


class CaseDetailOut(CaseOut):
    placements: list[PlacementOut] = Field(description="Every offer of this case, oldest first.")


# --------------------------------------------------------------------------- follow-up


class WaitingCaseOut(BaseModel):
    case: CaseOut
    days_waiting: int
    declined_by_municipalities: int
    times_passed_over: int
