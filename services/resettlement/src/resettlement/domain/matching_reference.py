"""The matcher's specification: slow and obviously correct.

For every case in queue order, look at every place, keep those that fit, take the most
preferred. :func:`resettlement.domain.matching.match` must propose exactly the same (the
property tests compare the two on random caseloads; the benchmark times both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from handoff_schemas.events.resettlement import HousingSize
from resettlement.domain.matching_fit import Need, gaps, link_map, preference, reasons_for, smallest_dwelling
from resettlement.domain.matching_terms import (
    AvailablePlace,
    MatchResult,
    Proposal,
    Reason,
    Unplaced,
    WaitingCase,
    queue_order,
)


@dataclass
class _Place:
    agreement_id: str
    county_code: str
    municipality_code: str
    general_places: int
    accessible_places: int
    dwellings: dict[HousingSize, int] | None
    specialist_care: bool
    receives_unaccompanied_minors: bool


def match_by_scanning(cases: Iterable[WaitingCase], places: Iterable[AvailablePlace]) -> MatchResult:
    ordered = sorted(cases, key=queue_order)
    state = [
        _Place(
            p.agreement_id,
            p.county_code,
            p.municipality_code,
            max(0, p.general_places),
            max(0, p.accessible_places),
            None if p.dwellings is None else dict(p.dwellings),
            p.specialist_care,
            p.receives_unaccompanied_minors,
        )
        for p in places
    ]
    links = link_map(ordered)
    counties: dict[str, set[str]] = {c.case_id: set(c.linked_counties) for c in ordered if c.linked_counties}
    proposals: list[Proposal] = []
    unplaced: list[Unplaced] = []
    pending: list[tuple[str, tuple[Reason, ...]]] = []
    for case in ordered:
        need = Need.of(case)
        linked = frozenset(counties.get(case.case_id, ()))
        fitting = [
            p for p in state if not gaps(p, need, linked_counties=linked, declined_by=case.declined_by)
        ]
        if not fitting:
            pending.append(
                (case.case_id, reasons_for(need, state, linked_counties=linked, declined_by=case.declined_by))
            )
            continue
        place = min(fitting, key=lambda p: preference(p, need, p.agreement_id))
        if need.accessible:
            place.accessible_places -= need.size
        else:
            place.general_places -= need.size
        dwelling = None
        if place.dwellings is not None:
            dwelling = smallest_dwelling(place.dwellings, need.min_rank)
            assert dwelling is not None
            place.dwellings[dwelling] -= 1
        proposals.append(
            Proposal(
                case.case_id,
                place.agreement_id,
                place.county_code,
                place.municipality_code,
                need.size,
                need.accessible,
                dwelling,
            )
        )
        for other in links.get(case.case_id, ()):
            counties.setdefault(other, set()).add(place.county_code)
        unplaced.extend(Unplaced(c, r, case.case_id) for c, r in pending)
        pending.clear()
    unplaced.extend(Unplaced(c, r, None) for c, r in pending)
    return MatchResult(proposals=proposals, unplaced=unplaced)
