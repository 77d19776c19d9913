"""Whether a place fits a household: its needs, the gaps between them, the reasons a household is
passed over, and which fitting place is best (see :mod:`.matching`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import HousingSize
from resettlement.domain.matching_terms import Reason, WaitingCase
from resettlement.domain.needs import DWELLING_RANK, DWELLING_SIZES, SPECIALIST_CARE_NEEDS, minimum_dwelling


class Need(NamedTuple):
    """What one household asks of a place (a tuple: made and hashed 22,000 times a run)."""

    size: int
    accessible: bool
    specialist: bool
    minor: bool
    min_rank: int

    @classmethod
    def of(cls, case: WaitingCase) -> Need:
        needs = case.needs
        return cls(
            case.household_size,
            SettlementNeed.ACCESSIBLE_HOUSING in needs,
            not needs.isdisjoint(SPECIALIST_CARE_NEEDS),
            SettlementNeed.UNACCOMPANIED_MINOR in needs,
            DWELLING_RANK[minimum_dwelling(case.household_size)],
        )


class PlaceLike(Protocol):
    @property
    def county_code(self) -> str: ...
    @property
    def municipality_code(self) -> str: ...
    @property
    def general_places(self) -> int: ...
    @property
    def accessible_places(self) -> int: ...
    @property
    def dwellings(self) -> Mapping[HousingSize, int] | None: ...
    @property
    def specialist_care(self) -> bool: ...
    @property
    def receives_unaccompanied_minors(self) -> bool: ...


def smallest_dwelling(dwellings: Mapping[HousingSize, int], min_rank: int) -> HousingSize | None:
    """The smallest free dwelling at least ``min_rank`` big, or None."""
    for size in DWELLING_SIZES[min_rank:]:
        if dwellings.get(size, 0) > 0:
            return size
    return None


def pool_left(place: PlaceLike, need: Need) -> int:
    return place.accessible_places if need.accessible else place.general_places


def gaps(
    place: PlaceLike, need: Need, *, linked_counties: Iterable[str] = (), declined_by: Iterable[str] = ()
) -> list[Reason]:
    """The needs this place does not meet now; empty if the household fits."""
    missing: list[Reason] = []
    if pool_left(place, need) < need.size:
        missing.append(Reason.ACCESSIBLE_HOUSING if need.accessible else Reason.NO_ASSIGNABLE_PLACES)
    if need.specialist and not place.specialist_care:
        missing.append(Reason.SPECIALIST_CARE)
    if need.minor and not place.receives_unaccompanied_minors:
        missing.append(Reason.UNACCOMPANIED_MINOR)
    if place.dwellings is not None and smallest_dwelling(place.dwellings, need.min_rank) is None:
        missing.append(Reason.HOUSING_SIZE)
    counties = frozenset(linked_counties)
    if counties and place.county_code not in counties:
        missing.append(Reason.LINKED_FAMILY)
    if place.municipality_code in frozenset(declined_by):
        missing.append(Reason.DECLINED_BY_MUNICIPALITY)
    return missing


def unmet_needs(case: WaitingCase, place: PlaceLike) -> list[Reason]:
    """What ``place`` lacks for ``case`` now (used outside a run, e.g. to check a manual offer)."""
    return gaps(place, Need.of(case), linked_counties=case.linked_counties, declined_by=case.declined_by)


def reasons_for(
    need: Need, places: Sequence[PlaceLike], *, linked_counties: Iterable[str], declined_by: Iterable[str]
) -> tuple[Reason, ...]:
    """Why no place fits: the pool if no place has room; else each need that no place with
    room meets; else the needs together."""
    pool = Reason.ACCESSIBLE_HOUSING if need.accessible else Reason.NO_ASSIGNABLE_PLACES
    counties, declined = frozenset(linked_counties), frozenset(declined_by)
    unmet: set[Reason] | None = None
    for place in places:
        if pool_left(place, need) < need.size:
            continue
        missing = set(gaps(place, need, linked_counties=counties, declined_by=declined))
        unmet = missing if unmet is None else unmet & missing
        if not unmet:
            return (Reason.NEEDS_NOT_MET_TOGETHER,)
    if unmet is None:
        return (pool,)
    return tuple(reason for reason in Reason if reason in unmet)


def extras(place: PlaceLike, need: Need) -> int:
    """Capabilities of the place that the household does not need (kept for those who do)."""
    return int(place.specialist_care and not need.specialist) + int(
        place.receives_unaccompanied_minors and not need.minor
    )


def preference(place: PlaceLike, need: Need, agreement_id: str) -> tuple[int, int, str, str]:
    """Lower is better: fewest unneeded capabilities, most room left, then codes."""
    return extras(place, need), -pool_left(place, need), place.municipality_code, agreement_id


def link_map(cases: Iterable[WaitingCase]) -> dict[str, set[str]]:
    """Linked families, both ways: a link named by either household binds both."""
    links: dict[str, set[str]] = {}
    for case in cases:
        for other in case.linked_case_ids:
            if other != case.case_id:
                links.setdefault(case.case_id, set()).add(other)
                links.setdefault(other, set()).add(case.case_id)
    return links


# --------------------------------------------------------------------------- the fast matcher
