"""The matcher's fairness rule, shown on random caseloads and places (hypothesis).

The invariant: no case is assigned before an older compatible case of the same priority
unless a reason is recorded, and the recorded reason is true: when the older case's turn
came, no place could take it. The checks below re-derive "could take it" independently of
the matcher's own code, from the rules in ``resettlement.domain.needs``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import HousingSize, ResettlementPriority
from resettlement.domain.matching import match
from resettlement.domain.matching_reference import match_by_scanning
from resettlement.domain.matching_terms import AvailablePlace, Reason, WaitingCase

pytestmark = pytest.mark.unit

SIZES = list(HousingSize)  # smallest first
MUNICIPALITIES = [f"M{n}" for n in range(6)]
COUNTIES = ["01", "12", "14"]
START = date(2026, 1, 1)
PRIORITY_ORDER = {
    ResettlementPriority.EMERGENCY: 0,
    ResettlementPriority.URGENT: 1,
    ResettlementPriority.NORMAL: 2,
}


# Strategies are built once: building them inside a draw is what makes hypothesis slow.
_case = st.tuples(
    st.sampled_from(list(ResettlementPriority)),
    st.integers(0, 40),
    st.integers(1, 9),
    st.frozensets(st.sampled_from(list(SettlementNeed)), max_size=3),
    st.frozensets(st.integers(0, 29), max_size=2),
    st.frozensets(st.sampled_from(COUNTIES), max_size=1),
    st.frozensets(st.sampled_from(MUNICIPALITIES), max_size=2),
)
_place = st.tuples(
    st.sampled_from(COUNTIES),
    st.integers(0, 25),
    st.integers(0, 8),
    st.none() | st.dictionaries(st.sampled_from(SIZES), st.integers(0, 3), max_size=5),
    st.booleans(),
    st.booleans(),
)


def waiting_cases(*, links: bool = False) -> st.SearchStrategy[list[WaitingCase]]:
    def build(drawn: list[tuple]) -> list[WaitingCase]:  # type: ignore[type-arg]
        ids = [f"C{n:02d}" for n in range(len(drawn))]
        return [
            WaitingCase(
                case_id=ids[n],
                priority=priority,
                waiting_since=START + timedelta(days=days),
                household_size=size,
                needs=needs,
                linked_case_ids=frozenset(ids[k] for k in linked if k < len(ids)) if links else frozenset(),
                linked_counties=counties,
                declined_by=declined,
            )
            for n, (priority, days, size, needs, linked, counties, declined) in enumerate(drawn)
        ]

    return st.lists(_case, max_size=30).map(build)


def available_places() -> st.SearchStrategy[list[AvailablePlace]]:
    def build(drawn: dict[str, tuple]) -> list[AvailablePlace]:  # type: ignore[type-arg]
        return [
            AvailablePlace(f"AGR-{code}", county, code, general, accessible, dwellings, specialist, minors)
            for code, (county, general, accessible, dwellings, specialist, minors) in sorted(drawn.items())
        ]

    return st.dictionaries(st.sampled_from(MUNICIPALITIES), _place, max_size=6).map(build)


# --------------------------------------------------------------------------- the rules, restated


def min_dwelling(size: int) -> int:
    return 0 if size == 1 else 1 if size == 2 else 2 if size <= 4 else 3 if size <= 6 else 4


@dataclasses.dataclass
class Room:
    """What is left of one place while the run is replayed."""

    place: AvailablePlace
    general: int
    accessible: int
    dwellings: dict[HousingSize, int] | None

    @classmethod
    def of(cls, place: AvailablePlace) -> Room:
        dwellings = None if place.dwellings is None else dict(place.dwellings)
        return cls(place, place.general_places, place.accessible_places, dwellings)

    def takes(self, case: WaitingCase) -> bool:
        needs = case.needs
        accessible = SettlementNeed.ACCESSIBLE_HOUSING in needs
        if (self.accessible if accessible else self.general) < case.household_size:
            return False
        if needs & {SettlementNeed.SPECIALIST_CARE, SettlementNeed.MENTAL_HEALTH_SUPPORT} and not (
            self.place.specialist_care
        ):
            return False
        if SettlementNeed.UNACCOMPANIED_MINOR in needs and not self.place.receives_unaccompanied_minors:
            return False
        if self.dwellings is not None and not any(
            self.dwellings.get(size, 0) > 0 for size in SIZES[min_dwelling(case.household_size) :]
        ):
            return False
        if case.linked_counties and self.place.county_code not in case.linked_counties:
            return False
        return self.place.municipality_code not in case.declined_by

    def use(self, case: WaitingCase, dwelling: HousingSize | None) -> None:
        if SettlementNeed.ACCESSIBLE_HOUSING in case.needs:
            self.accessible -= case.household_size
        else:
            self.general -= case.household_size
        if self.dwellings is not None:
            assert dwelling is not None
            assert SIZES.index(dwelling) >= min_dwelling(case.household_size), "dwelling too small"
            free = [s for s in SIZES[min_dwelling(case.household_size) :] if self.dwellings.get(s, 0) > 0]
            assert dwelling == free[0], "not the smallest free dwelling that is big enough"
            self.dwellings[dwelling] -= 1


def queue(cases: list[WaitingCase]) -> list[WaitingCase]:
    return sorted(cases, key=lambda c: (PRIORITY_ORDER[c.priority], c.waiting_since, c.case_id))


# --------------------------------------------------------------------------- properties


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(waiting_cases(), available_places())
def test_no_case_is_placed_before_an_older_compatible_case_unless_a_true_reason_is_recorded(
    cases: list[WaitingCase], places: list[AvailablePlace]
) -> None:
    result = match(cases, places)
    proposed = {p.case_id: p for p in result.proposals}
    unplaced = {u.case_id: u for u in result.unplaced}
    assert set(proposed).isdisjoint(unplaced)
    assert set(proposed) | set(unplaced) == {c.case_id for c in cases}

    rooms = {p.agreement_id: Room.of(p) for p in places}
    ordered = queue(cases)
    for position, case in enumerate(ordered):
        if case.case_id in proposed:
            proposal = proposed[case.case_id]
            room = rooms[proposal.agreement_id]
            assert room.takes(case), f"{case.case_id} was given a place that does not meet its needs"
            room.use(case, proposal.dwelling)
            continue
        # Passed over or left without a place: the reason is recorded and it is true.
        record = unplaced[case.case_id]
        assert record.reasons, f"{case.case_id} got no place and no reason"
        assert not any(room.takes(case) for room in rooms.values()), (
            f"{case.case_id} could have had a place when its turn came, but was left with {record.reasons}"
        )
        later = [c.case_id for c in ordered[position + 1 :] if c.case_id in proposed]
        assert record.overtaken_by == (later[0] if later else None)

    for room in rooms.values():  # nothing promised twice
        assert room.general >= 0
        assert room.accessible >= 0
        assert room.dwellings is None or all(n >= 0 for n in room.dwellings.values())

    # The invariant in the words of the rule: a placed case never overtakes an older case of
    # its priority that is still waiting, unless that case has a recorded reason.
    for later_case in ordered:
        if later_case.case_id not in proposed:
            continue
        for older in ordered:
            if older is later_case:
                break
            if older.priority is later_case.priority and older.case_id in unplaced:
                assert unplaced[older.case_id].passed_over
                assert unplaced[older.case_id].reasons


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(waiting_cases(links=True), available_places())
def test_the_fast_matcher_proposes_exactly_what_the_specification_does(
    cases: list[WaitingCase], places: list[AvailablePlace]
) -> None:
    fast, reference = match(cases, places), match_by_scanning(cases, places)
    assert fast.proposals == reference.proposals
    assert [(u.case_id, u.overtaken_by) for u in fast.unplaced] == [
        (u.case_id, u.overtaken_by) for u in reference.unplaced
    ]


def test_what_the_matcher_sees_has_no_ground_for_selecting_away_groups() -> None:
    seen = {f.name for f in dataclasses.fields(WaitingCase)}
    assert seen == {
        "case_id",
        "priority",
        "waiting_since",
        "household_size",
        "needs",
        "linked_case_ids",
        "linked_counties",
        "declined_by",
    }
    for forbidden in ("name", "nationality", "religion", "ethnicity", "education", "language", "sex", "age"):
        assert not any(forbidden in field for field in seen)


# --------------------------------------------------------------------------- examples


def case(
    case_id: str,
    days: int,
    size: int = 2,
    *needs: SettlementNeed,
    priority: ResettlementPriority = ResettlementPriority.NORMAL,
    **more: frozenset[str],
) -> WaitingCase:
    return WaitingCase(case_id, priority, START + timedelta(days=days), size, frozenset(needs), **more)


def place(code: str, general: int = 10, accessible: int = 0, **more: object) -> AvailablePlace:
    values: dict[str, object] = {
        "agreement_id": f"AGR-{code}",
        "county_code": "12",
        "municipality_code": code,
        "general_places": general,
        "accessible_places": accessible,
        "dwellings": None,
        "specialist_care": False,
        "receives_unaccompanied_minors": False,
    }
    values.update(more)
    return AvailablePlace(**values)  # type: ignore[arg-type]


def test_a_hard_to_place_household_that_waited_longer_gets_the_large_dwelling_first() -> None:
    large_family = case("OLD", 0, 8)
    easy = case("NEW", 5, 2)
    result = match(
        [easy, large_family],
        [place("1280", 12, dwellings={HousingSize.FOUR_OR_MORE_BEDROOMS: 1, HousingSize.ONE_BEDROOM: 1})],
    )
    assert [(p.case_id, p.dwelling) for p in result.proposals] == [
        ("OLD", HousingSize.FOUR_OR_MORE_BEDROOMS),
        ("NEW", HousingSize.ONE_BEDROOM),
    ]


def test_a_case_no_place_can_take_is_passed_over_with_the_need_no_place_meets() -> None:
    wheelchair = case("OLD", 0, 1, SettlementNeed.ACCESSIBLE_HOUSING)
    result = match([wheelchair, case("NEW", 9)], [place("1280", 10, accessible=0)])
    assert [p.case_id for p in result.proposals] == ["NEW"]
    [record] = result.passed_over
    assert (record.case_id, record.reasons, record.overtaken_by) == (
        "OLD",
        (Reason.ACCESSIBLE_HOUSING,),
        "NEW",
    )


def test_emergencies_come_first_then_the_longest_waiting() -> None:
    cases = [
        case("NORMAL-OLD", 0, 1),
        case("URGENT", 20, 1, priority=ResettlementPriority.URGENT),
        case("EMERGENCY", 30, 1, priority=ResettlementPriority.EMERGENCY),
        case("NORMAL-NEW", 10, 1),
    ]
    result = match(cases, [place("1280", 3)])
    assert [p.case_id for p in result.proposals] == ["EMERGENCY", "URGENT", "NORMAL-OLD"]
    assert [(u.case_id, u.reasons) for u in result.unplaced] == [
        ("NORMAL-NEW", (Reason.NO_ASSIGNABLE_PLACES,))
    ]


def test_scarce_capabilities_are_kept_for_those_who_need_them() -> None:
    easy, care = case("EASY", 0, 2), case("CARE", 1, 2, SettlementNeed.SPECIALIST_CARE)
    result = match([easy, care], [place("SPEC", 2, specialist_care=True), place("PLAIN", 2)])
    assert {p.case_id: p.municipality_code for p in result.proposals} == {"EASY": "PLAIN", "CARE": "SPEC"}


def test_a_municipality_that_declined_a_household_is_not_proposed_it_again() -> None:
    declined = case("C", 0, 2, declined_by=frozenset({"BIG"}))
    result = match([declined], [place("BIG", 50), place("SMALL", 3)])
    assert [p.municipality_code for p in result.proposals] == ["SMALL"]


def test_linked_families_are_placed_in_the_same_county() -> None:
    first = case("A", 0, 2, linked_case_ids=frozenset({"B"}))
    second = case("B", 1, 2)
    places = [place("1280", 10, county_code="12"), place("0180", 20, county_code="01")]
    result = match([first, second], places)
    assert {p.case_id: p.county_code for p in result.proposals} == {"A": "01", "B": "01"}
    # A takes the place with more room (county 12); B may then only go to county 12, which is full.
    result = match([first, second], [place("1280", 3, county_code="12"), place("0180", 2, county_code="01")])
    assert [p.case_id for p in result.proposals] == ["A"]
    assert result.unplaced[0].reasons == (Reason.LINKED_FAMILY,)
