"""The domain's rules without any framework: quota and reserve, declines, a placement's life,
agreements and their revision."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_schemas.events.common import AgeBand, PermitType, SettlementNeed
from handoff_schemas.events.intake import ResidencePermitGrantedV1
from handoff_schemas.events.resettlement import (
    DeclineReason,
    HousingSize,
    ResettlementPriority,
    SubmissionCategory,
)
from resettlement.domain.answers import RefusedDecline, check_decline
from resettlement.domain.case import CaseState, Member, ResettlementCase
from resettlement.domain.fairness import MatchingRun
from resettlement.domain.matching import match
from resettlement.domain.matching_terms import AvailablePlace, Proposal, WaitingCase
from resettlement.domain.placement import Placement, PlacementStatus
from resettlement.domain.places import PlacesAgreement, PlacesTerms, PlacesUsage
from resettlement.domain.quota import Quota, QuotaUsage, minimum_reserve

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def quota_case(
    size: int = 3,
    priority: ResettlementPriority = ResettlementPriority.NORMAL,
    needs: list[SettlementNeed] | None = None,
) -> ResettlementCase:
    case, _ = ResettlementCase.submit_quota_case(
        quota_year=2026,
        priority=priority,
        submission_category=SubmissionCategory.MEDICAL_NEEDS,
        submitted_on=date(2026, 3, 1),
        members=[
            Member(age_band=AgeBand.AGE_26_64, full_name=f"Person {n}", nationality="SYR")
            for n in range(size)
        ],
        needs=needs or [],
        linked_case_ids=[],
        unhcr_case_number="UNHCR-1",
        now=NOW,
    )
    return case


# --------------------------------------------------------------------------- quota


@given(st.integers(0, 100_000))
def test_the_emergency_reserve_is_at_least_ten_percent_rounded_up(total: int) -> None:
    reserve = minimum_reserve(total)
    assert reserve * 10 >= total
    assert (reserve - 1) * 10 < total or reserve == 0
    assert Quota.define(year=2026, total_places=total, emergency_reserve=None).emergency_reserve == reserve


def test_sweden_and_finland() -> None:
    assert Quota.define(year=2026, total_places=1900, emergency_reserve=None).emergency_reserve == 190
    assert Quota.define(year=2026, total_places=1050, emergency_reserve=None).emergency_reserve == 105
    with pytest.raises(InvalidInput) as error:
        Quota.define(year=2026, total_places=1900, emergency_reserve=189)
    assert error.value.field == "emergency_reserve"


def test_non_emergency_selections_never_use_the_emergency_reserve() -> None:
    quota = Quota.define(year=2026, total_places=10, emergency_reserve=2)
    usage = QuotaUsage()
    usage.persons[ResettlementPriority.NORMAL] = 7
    quota.check_selection(
        usage, persons=1, priority=ResettlementPriority.URGENT
    )  # 8 of 8 outside the reserve
    with pytest.raises(Conflict, match="emergency reserve"):
        quota.check_selection(usage, persons=2, priority=ResettlementPriority.NORMAL)
    quota.check_selection(usage, persons=3, priority=ResettlementPriority.EMERGENCY)  # reserve and the rest
    with pytest.raises(Conflict, match="full"):
        quota.check_selection(usage, persons=4, priority=ResettlementPriority.EMERGENCY)


def test_selection_starts_the_wait_and_counts_against_the_quota() -> None:
    case = quota_case(4, ResettlementPriority.EMERGENCY)
    quota = Quota.define(year=2026, total_places=40, emergency_reserve=None)
    event = case.select(selected_on=date(2026, 4, 1), quota=quota, usage=QuotaUsage(), now=NOW)
    assert event is not None
    assert event.emergency is True
    assert case.state is CaseState.WAITING
    assert case.waiting_since == date(2026, 4, 1)
    assert case.select(selected_on=date(2026, 4, 1), quota=quota, usage=QuotaUsage(), now=NOW) is None
    with pytest.raises(InvalidInput) as error:
        quota_case().select(selected_on=date(2026, 2, 1), quota=quota, usage=QuotaUsage(), now=NOW)
    assert error.value.field == "selected_on"


# --------------------------------------------------------------------------- declines


@pytest.mark.parametrize(
    "ground", ["nationality", "religion", "ethnicity", "education", "family_composition"]
)
def test_a_decline_on_a_protected_ground_is_refused_naming_the_reason(ground: str) -> None:
    with pytest.raises(RefusedDecline) as error:
        check_decline(ground, "because", [])
    assert error.value.field == "reason"
    assert error.value.ground == ground


@pytest.mark.parametrize(
    ("text", "ground"),
    [
        ("We do not take Somali families this year", "nationality"),
        ("Low education makes integration hard", "education"),
        ("Vi tar inte stora familjer", "family_composition"),
        ("Not muslims, sorry", "religion"),
    ],
)
def test_a_practical_reason_explained_with_a_protected_ground_is_refused_naming_the_text(
    text: str, ground: str
) -> None:
    with pytest.raises(RefusedDecline) as error:
        check_decline("other", text, [])
    assert (error.value.field, error.value.ground) == ("reason_text", ground)


def test_a_practical_reason_must_concern_the_household() -> None:
    with pytest.raises(RefusedDecline) as error:
        check_decline("no_accessible_housing", "no flats with lifts", [])
    assert error.value.field == "reason"
    needs = [SettlementNeed.ACCESSIBLE_HOUSING]
    assert (
        check_decline("no_accessible_housing", "no flats with lifts", needs)
        is DeclineReason.NO_ACCESSIBLE_HOUSING
    )
    assert (
        check_decline("no_suitable_housing_size", "only studios left", [])
        is DeclineReason.NO_SUITABLE_HOUSING_SIZE
    )
    with pytest.raises(InvalidInput) as unknown:
        check_decline("too_busy", "x", [])
    assert unknown.value.field == "reason"


# --------------------------------------------------------------------------- a placement's life


def offered(case: ResettlementCase) -> Placement:
    proposal = Proposal(case.case_id, "AGR-2026-1280", "12", "1280", case.household_size, False, None)
    placement, event = Placement.offer(
        case, proposal, by="county:12", now=NOW, answer_due_on=date(2026, 12, 7)
    )
    assert event.profile.household_size == case.household_size
    assert "Person" not in event.model_dump_json()
    return placement


def test_decline_puts_the_case_back_in_its_old_place_in_the_queue() -> None:
    case = quota_case()
    case.select(
        selected_on=date(2026, 4, 1),
        quota=Quota.define(year=2026, total_places=99, emergency_reserve=None),
        usage=QuotaUsage(),
        now=NOW,
    )
    placement = offered(case)
    assert case.state is CaseState.OFFERED
    event = placement.decline(case, reason="no_suitable_housing_size", reason_text="only studios", now=NOW)
    assert event is not None
    assert case.state is CaseState.WAITING
    assert case.waiting_since == date(2026, 4, 1)
    assert (
        placement.decline(case, reason="no_suitable_housing_size", reason_text="only studios", now=NOW)
        is None
    )
    with pytest.raises(Conflict):
        placement.accept(case, now=NOW)


def test_accept_confirm_arrive_settle() -> None:
    case = quota_case()
    case.select(
        selected_on=date(2026, 4, 1),
        quota=Quota.define(year=2026, total_places=99, emergency_reserve=None),
        usage=QuotaUsage(),
        now=NOW,
    )
    placement = offered(case)
    with pytest.raises(Conflict, match="accepted"):
        placement.confirm(case, arrival_planned_on=date(2026, 12, 1), now=NOW)
    assert placement.accept(case, now=NOW) is not None
    with pytest.raises(InvalidInput) as past:
        placement.confirm(case, arrival_planned_on=date(2026, 1, 1), now=NOW)
    assert past.value.field == "arrival_planned_on"
    assert placement.confirm(case, arrival_planned_on=date(2026, 12, 1), now=NOW) is not None
    assert case.state is CaseState.ASSIGNED
    assert case.municipality_code == "1280"
    later = datetime(2026, 12, 3, tzinfo=UTC)
    with pytest.raises(InvalidInput) as future:
        placement.arrive(case, on=date(2026, 12, 4), now=later)
    assert future.value.field == "arrived_on"
    arrived = placement.arrive(case, on=date(2026, 12, 1), now=later)
    assert arrived is not None
    assert (arrived.arrived_on, arrived.arrival_planned_on, arrived.municipality_code) == (
        date(2026, 12, 1),
        date(2026, 12, 1),
        "1280",
    )
    assert placement.arrive(case, on=date(2026, 12, 1), now=later) is None  # a repeat tells nothing
    settled = placement.settle(case, on=date(2026, 12, 2), now=later)
    assert settled is not None
    assert placement.status is PlacementStatus.SETTLED
    assert case.state is CaseState.SETTLED


def test_a_withdrawn_offer_is_told_without_its_reason_and_the_household_waits_again() -> None:
    case = quota_case()
    case.select(
        selected_on=date(2026, 4, 1),
        quota=Quota.define(year=2026, total_places=99, emergency_reserve=None),
        usage=QuotaUsage(),
        now=NOW,
    )
    placement = offered(case)
    withdrawn = placement.withdraw(case, reason="No answer from Testperson's municipality", now=NOW)
    assert withdrawn is not None
    assert (withdrawn.placement_id, withdrawn.withdrawn_at) == (placement.placement_id, NOW)
    assert "Testperson" not in withdrawn.model_dump_json()
    assert case.state is CaseState.WAITING
    assert placement.withdraw(case, reason="again", now=NOW) is None


def test_a_permit_holder_waits_from_the_permit() -> None:
    permit = ResidencePermitGrantedV1(
        application_id="APP-1",
        permit_id="UT-1",
        person_ref="P-1",
        permit_type=PermitType.PERMANENT,
        valid_from=date(2026, 6, 1),
        household_size=2,
        household_age_bands=[AgeBand.AGE_26_64, AgeBand.UNDER_12],
        needs_municipal_place=True,
        special_needs=[SettlementNeed.SPECIALIST_CARE],
    )
    case, event = ResettlementCase.from_permit(permit, now=NOW)
    assert case.state is CaseState.WAITING
    assert case.waiting_since == date(2026, 6, 1)
    assert case.priority is ResettlementPriority.NORMAL
    assert event.application_id == "APP-1"
    assert event.quota_year is None
    assert case.hard_to_place


# --------------------------------------------------------------------------- agreements


def terms(**changes: object) -> PlacesTerms:
    values: dict[str, object] = {
        "agreed_on": date(2026, 1, 15),
        "agreed_places": 30,
        "assignable_places": 20,
        "accessible_places": 4,
        "dwellings": {HousingSize.TWO_BEDROOMS: 5},
        "specialist_care_access": True,
        "receives_unaccompanied_minors": False,
    }
    values.update(changes)
    return PlacesTerms(**values)  # type: ignore[arg-type]


def test_an_agreement_keeps_accessible_places_apart_and_cannot_be_revised_below_what_is_held() -> None:
    agreement, event = PlacesAgreement.agree(
        county_code="12", municipality_code="1280", year=2026, terms=terms(), by="county:12", now=NOW
    )
    assert event.agreement_id == agreement.agreement_id == "AGR-2026-1280"
    free = agreement.available(PlacesUsage())
    assert (free.general_places, free.accessible_places) == (16, 4)
    held = PlacesUsage(general=10, dwellings={HousingSize.TWO_BEDROOMS: 4})
    with pytest.raises(Conflict):
        agreement.revise(terms(assignable_places=12), held, now=NOW)
    with pytest.raises(Conflict):
        agreement.revise(terms(dwellings={HousingSize.TWO_BEDROOMS: 3}), held, now=NOW)
    assert agreement.revise(terms(assignable_places=25), held, now=NOW) is not None
    with pytest.raises(InvalidInput) as error:
        PlacesAgreement.agree(
            county_code="12",
            municipality_code="1281",
            year=2026,
            terms=terms(assignable_places=31),
            by="county:12",
            now=NOW,
        )
    assert error.value.field == "assignable_places"


def test_only_a_run_that_sends_offers_passes_anyone_over_for_the_audit() -> None:
    old = WaitingCase(
        "OLD",
        ResettlementPriority.NORMAL,
        date(2026, 1, 1),
        1,
        frozenset({SettlementNeed.ACCESSIBLE_HOUSING}),
    )
    new = WaitingCase("NEW", ResettlementPriority.NORMAL, date(2026, 2, 1), 1)
    place = AvailablePlace("AGR-2026-1280", "12", "1280", 5, 0, None, False, False)
    result = match([old, new], [place])
    for offers_sent in (False, True):
        run = MatchingRun.record(
            county_code="12",
            year=2026,
            by="county:12",
            now=NOW,
            cases=[old, new],
            places=1,
            result=result,
            offers_sent=offers_sent,
        )
        [record] = run.passed_over
        assert (record.case_id, record.overtaken_by, record.reasons) == (
            "OLD",
            "NEW",
            ("accessible_housing",),
        )
        assert record.binding is offers_sent
        assert record.passed_by == "county:12"
        assert record.run_id == run.run_id
