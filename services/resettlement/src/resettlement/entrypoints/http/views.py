"""What resettlement's HTTP API answers: cases anonymised, agreements, runs, placements; the
household's full details only for the municipality whose placement is confirmed."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from handoff_schemas.events.common import AgeBand, SettlementNeed, Sex
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    ResettlementPriority,
    ResettlementSource,
    SettlementProfile,
    SubmissionCategory,
)
from resettlement.domain.case import CaseState, ResettlementCase
from resettlement.domain.fairness import MatchingRun, PassedOver
from resettlement.domain.matching_terms import Proposal
from resettlement.domain.placement import Placement, PlacementStatus
from resettlement.domain.places import PlacesAgreement, PlacesUsage
from resettlement.domain.quota import QuotaProgress
from resettlement.entrypoints.http.models import DwellingsIn

RequestId = Field(
    default=None,
    min_length=1,
    max_length=128,
    description="Client-chosen id; repeating it returns what the first request created, creating nothing.",
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


class WaitingCaseOut(BaseModel):
    case: CaseOut
    days_waiting: int
    declined_by_municipalities: int
    times_passed_over: int
