"""The resettlement case: one household on its way to a municipality.

Two sources (docs/domain.md, seed 001): a UNHCR quota submission, selected against the year's quota and
waiting abroad (a quota refugee may only travel once a municipal place is assigned), or a
permit holder in reception who asked for help to get a municipal place.

Life of a case::

    submitted --select--> waiting --offer--> offered --accept--> accepted --confirm--> assigned
        |                   ^                   |                   |                    |
        +--not selected     +--decline/withdraw-+-------withdraw----+          arrive / settle

A case waits from its permit (``valid_from``) or its selection; that date is its place in
the queue and it keeps it through declined offers. Personal details (the names and other
particulars from the UNHCR form) stay in this service's database and are shown only to the
municipality whose placement is confirmed; every event is anonymised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, SettlementNeed, Sex
from handoff_schemas.events.intake import ResidencePermitGrantedV1
from handoff_schemas.events.resettlement import (
    ResettlementCaseSelectedV1,
    ResettlementCaseSubmittedV1,
    ResettlementPriority,
    ResettlementSource,
    SettlementProfile,
    SubmissionCategory,
)
from resettlement.domain.ids import new_id
from resettlement.domain.matching_terms import WaitingCase
from resettlement.domain.needs import is_hard_to_place
from resettlement.domain.quota import Quota, QuotaUsage


class CaseState(StrEnum):
    SUBMITTED = "submitted"
    NOT_SELECTED = "not_selected"
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    ARRIVED = "arrived"
    SETTLED = "settled"


UNPLACED_STATES = frozenset({CaseState.WAITING, CaseState.OFFERED, CaseState.ACCEPTED})
"""States of a case that has started waiting and has no confirmed place yet."""


@dataclass(frozen=True)
class Member:
    """One household member as the UNHCR form gives them: personal data, kept in this service."""

    age_band: AgeBand
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: Sex | None = None
    nationality: str | None = None
    languages: tuple[str, ...] = ()
    education: str | None = None


@dataclass
class ResettlementCase:
    case_id: str
    source: ResettlementSource
    priority: ResettlementPriority
    household_size: int
    age_bands: list[AgeBand]
    needs: list[SettlementNeed]
    linked_case_ids: list[str]
    submitted_on: date
    registered_at: datetime
    state: CaseState
    # quota cases
    quota_year: int | None = None
    submission_category: SubmissionCategory | None = None
    unhcr_case_number: str | None = None
    members: list[Member] = field(default_factory=list)
    selected_on: date | None = None
    selection_decided_on: date | None = None
    # permit holders
    application_id: str | None = None
    permit_id: str | None = None
    person_ref: str | None = None
    permit_valid_from: date | None = None
    # on the way to a municipality
    waiting_since: date | None = None
    placement_id: str | None = None
    municipality_code: str | None = None
    county_code: str | None = None
    assigned_on: date | None = None
    arrived_on: date | None = None
    settled_on: date | None = None

    # ------------------------------------------------------------------ creation

    @classmethod
    def submit_quota_case(
        cls,
        *,
        quota_year: int,
        priority: ResettlementPriority,
        submission_category: SubmissionCategory,
        submitted_on: date,
        members: list[Member],
        needs: list[SettlementNeed],
        linked_case_ids: list[str],
        unhcr_case_number: str | None,
        now: datetime,
    ) -> tuple[ResettlementCase, ResettlementCaseSubmittedV1]:
        if not members:
            raise InvalidInput("members", "a submission names at least one household member")
        if submitted_on > now.date():
            raise InvalidInput("submitted_on", "must not be in the future")
        if abs(quota_year - submitted_on.year) > 1:
            raise InvalidInput("quota_year", "must be the year of submission or the one before or after")
        for index, member in enumerate(members):
            if member.date_of_birth is not None and member.date_of_birth > submitted_on:
                raise InvalidInput(f"members.{index}.date_of_birth", "must be before the submission")
        case = cls(
            case_id=new_id("RS", quota_year),
            source=ResettlementSource.UNHCR_QUOTA,
            priority=priority,
            household_size=len(members),
            age_bands=[m.age_band for m in members],
            needs=sorted(set(needs)),
            linked_case_ids=sorted(set(linked_case_ids)),
            submitted_on=submitted_on,
            registered_at=now,
            state=CaseState.SUBMITTED,
            quota_year=quota_year,
            submission_category=submission_category,
            unhcr_case_number=unhcr_case_number,
            members=list(members),
        )
        return case, case.submitted_event()

    @classmethod
    def from_permit(
        cls, permit: ResidencePermitGrantedV1, *, now: datetime
    ) -> tuple[ResettlementCase, ResettlementCaseSubmittedV1]:
        """A permit holder who needs a municipal place starts waiting on the permit's first day."""
        case = cls(
            case_id=new_id("RS", now.year),
            source=ResettlementSource.PERMIT_HOLDER,
            priority=ResettlementPriority.NORMAL,
            household_size=permit.household_size,
            age_bands=list(permit.household_age_bands),
            needs=sorted(set(permit.special_needs)),
            linked_case_ids=[],
            submitted_on=now.date(),
            registered_at=now,
            state=CaseState.WAITING,
            application_id=permit.application_id,
            permit_id=permit.permit_id,
            person_ref=permit.person_ref,
            permit_valid_from=permit.valid_from,
            waiting_since=permit.valid_from,
        )
        return case, case.submitted_event()

    def submitted_event(self) -> ResettlementCaseSubmittedV1:
        return ResettlementCaseSubmittedV1(
            case_id=self.case_id,
            source=self.source,
            application_id=self.application_id,
            submitted_on=self.submitted_on,
            priority=self.priority,
            submission_category=self.submission_category,
            household_size=self.household_size,
            member_age_bands=self.age_bands,
            needs=self.needs,
            linked_case_ids=self.linked_case_ids,
            quota_year=self.quota_year,
        )

    # ------------------------------------------------------------------ selection

    def select(
        self, *, selected_on: date, quota: Quota, usage: QuotaUsage, now: datetime
    ) -> ResettlementCaseSelectedV1 | None:
        """Select a quota case; a repeated selection is a no-op (None)."""
        if self.source is not ResettlementSource.UNHCR_QUOTA:
            raise Conflict(f"case {self.case_id} is a permit holder's: there is nothing to select")
        if self.selected_on is not None:
            return None
        self._require(CaseState.SUBMITTED, "be selected")
        self._check_decision_date("selected_on", selected_on, now)
        assert self.quota_year is not None
        if quota.year != self.quota_year:
            raise Conflict(f"case {self.case_id} is under quota {self.quota_year}, not {quota.year}")
        quota.check_selection(usage, persons=self.household_size, priority=self.priority)
        self.selected_on = self.selection_decided_on = selected_on
        self.waiting_since = selected_on
        self.state = CaseState.WAITING
        return ResettlementCaseSelectedV1(
            case_id=self.case_id,
            selected_on=selected_on,
            quota_year=self.quota_year,
            emergency=self.priority is ResettlementPriority.EMERGENCY,
        )

    def reject(self, *, decided_on: date, now: datetime) -> None:
        """Not selected. (The case topic has no event for it: recorded here only.)"""
        if self.source is not ResettlementSource.UNHCR_QUOTA:
            raise Conflict(f"case {self.case_id} is a permit holder's: there is nothing to select")
        if self.state is CaseState.NOT_SELECTED:
            return
        self._require(CaseState.SUBMITTED, "be turned down")
        self._check_decision_date("decided_on", decided_on, now)
        self.selection_decided_on = decided_on
        self.state = CaseState.NOT_SELECTED

    def _check_decision_date(self, name: str, day: date, now: datetime) -> None:
        if day > now.date():
            raise InvalidInput(name, "must not be in the future")
        if day < self.submitted_on:
            raise InvalidInput(name, "must not be before the submission")

    # ------------------------------------------------------------------ placement

    def offered(self, placement_id: str) -> None:
        self._require(CaseState.WAITING, "be offered")
        self.state = CaseState.OFFERED
        self.placement_id = placement_id

    def offer_accepted(self) -> None:
        self._require(CaseState.OFFERED, "be accepted")
        self.state = CaseState.ACCEPTED

    def back_in_queue(self) -> None:
        """After a decline or a withdrawn offer: waiting again, keeping its place in the queue."""
        if self.state not in (CaseState.OFFERED, CaseState.ACCEPTED):
            raise Conflict(f"case {self.case_id} is {self.state.value}: it has no open offer")
        self.state = CaseState.WAITING
        self.placement_id = None

    def assigned(self, *, municipality_code: str, county_code: str, on: date) -> None:
        self._require(CaseState.ACCEPTED, "be assigned")
        self.state = CaseState.ASSIGNED
        self.municipality_code = municipality_code
        self.county_code = county_code
        self.assigned_on = on

    def arrived(self, on: date) -> None:
        self._require(CaseState.ASSIGNED, "arrive")
        self.state = CaseState.ARRIVED
        self.arrived_on = on

    def settled(self, on: date) -> None:
        if self.state not in (CaseState.ASSIGNED, CaseState.ARRIVED):
            raise Conflict(f"case {self.case_id} is {self.state.value}: only an assigned case settles")
        self.state = CaseState.SETTLED
        self.arrived_on = self.arrived_on or on
        self.settled_on = on

    def _require(self, state: CaseState, action: str) -> None:
        if self.state is not state:
            raise Conflict(f"case {self.case_id} is {self.state.value}: it must be {state.value} to {action}")

    # ------------------------------------------------------------------ views

    @property
    def hard_to_place(self) -> bool:
        return is_hard_to_place(self.household_size, self.needs, linked=bool(self.linked_case_ids))

    def profile(self) -> SettlementProfile:
        """The anonymised profile an offer carries: household size, age bands, needs. No more."""
        return SettlementProfile(
            household_size=self.household_size, member_age_bands=self.age_bands, needs=self.needs
        )

    def waiting_case(
        self, *, linked_counties: frozenset[str] = frozenset(), declined_by: frozenset[str] = frozenset()
    ) -> WaitingCase:
        """What the matcher may see of this case."""
        assert self.waiting_since is not None, "only a case that waits is matched"
        return WaitingCase(
            case_id=self.case_id,
            priority=self.priority,
            waiting_since=self.waiting_since,
            household_size=self.household_size,
            needs=frozenset(self.needs),
            linked_case_ids=frozenset(self.linked_case_ids),
            linked_counties=linked_counties,
            declined_by=declined_by,
        )
