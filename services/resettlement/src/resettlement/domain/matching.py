"""The matcher: proposals that fit waiting households to available municipal places, fairly.

The fairness rule (docs/domain.md, seed 001): the people who have waited longest come first, and hard-to-
place households are not pushed aside for easy ones. So the matcher is a strict queue:

1. Cases are taken in queue order: priority (emergency, urgent, normal), then the date the
   case started waiting (the permit, or the selection of a quota case), then the case id.
2. Each case gets the best place that meets all of its needs *now*, or none. A case is never
   skipped to save a place for a later one; a later case never goes first.
3. A case that gets no place while a case after it in the queue does is *passed over*; the
   result says why (:class:`Reason`: which need no available place meets) and which case
   overtook it, so that every exception is recorded and visible.

"Best place" keeps scarce places for those who need them: first the places with the fewest
capabilities the household does not need (specialist care, reception of unaccompanied
minors), then the place with the most places left in the household's pool (spreading
households over municipalities), then municipality code and agreement id. The dwelling
taken is the smallest free one big enough.

The matcher sees only what it needs: :class:`WaitingCase` has no name, nationality,
religion, ethnicity, education or any other ground on which selection is forbidden, so no
rule here can use them. It is a pure function; :mod:`.matching_reference` holds the slow,
obviously correct version it must agree with.

Speed: places sit in heaps per (pool, capabilities), ordered by the preference above, so a
case costs a few heap operations instead of a scan of every place; and because a run only
ever uses places up, a need that found no place stays unmet for the rest of the run, so
later cases with the same need are answered from a cache.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable

from handoff_schemas.events.resettlement import HousingSize
from resettlement.domain.matching_fit import Need, link_map, preference, reasons_for, smallest_dwelling
from resettlement.domain.matching_terms import (
    AvailablePlace,
    MatchResult,
    Proposal,
    Reason,
    Unplaced,
    WaitingCase,
    queue_order,
)


class _Slot:
    """The mutable remainder of one place during a run."""

    __slots__ = (
        "accessible_places",
        "agreement_id",
        "county_code",
        "dwellings",
        "general_places",
        "index",
        "municipality_code",
        "receives_unaccompanied_minors",
        "specialist_care",
        "version",
    )

    def __init__(self, place: AvailablePlace, index: int) -> None:
        self.index = index
        self.agreement_id = place.agreement_id
        self.county_code = place.county_code
        self.municipality_code = place.municipality_code
        self.general_places = max(0, place.general_places)
        self.accessible_places = max(0, place.accessible_places)
        self.dwellings: dict[HousingSize, int] | None = (
            None if place.dwellings is None else {k: v for k, v in place.dwellings.items() if v > 0}
        )
        self.specialist_care = place.specialist_care
        self.receives_unaccompanied_minors = place.receives_unaccompanied_minors
        self.version = 0

    def take(self, need: Need) -> HousingSize | None:
        if need.accessible:
            self.accessible_places -= need.size
        else:
            self.general_places -= need.size
        dwelling = None
        if self.dwellings is not None:
            dwelling = smallest_dwelling(self.dwellings, need.min_rank)
            assert dwelling is not None  # checked by gaps() before
            self.dwellings[dwelling] -= 1
        self.version += 1
        return dwelling

    def fits(self, need: Need, counties: frozenset[str], declined: frozenset[str]) -> bool:
        """``not gaps(...)``, without building the list: the matcher's inner loop."""
        if (self.accessible_places if need.accessible else self.general_places) < need.size:
            return False
        if (need.specialist and not self.specialist_care) or (
            need.minor and not self.receives_unaccompanied_minors
        ):
            return False
        if self.dwellings is not None and smallest_dwelling(self.dwellings, need.min_rank) is None:
            return False
        if counties and self.county_code not in counties:
            return False
        return self.municipality_code not in declined

    def has_dwellings(self) -> bool:
        return self.dwellings is None or any(n > 0 for n in self.dwellings.values())


_NONE: frozenset[str] = frozenset()
_Entry = tuple[int, str, str, int, int]  # (-room, municipality, agreement, version, slot index)
_Bucket = tuple[bool, bool, bool]  # (accessible pool, specialist care, receives minors)


@functools.cache
def _levels(accessible: bool, specialist: bool, minor: bool) -> tuple[tuple[_Bucket, ...], ...]:
    """The buckets a household may use, grouped by how many unneeded capabilities they have."""
    levels: dict[int, list[_Bucket]] = {}
    for has_specialist in (True,) if specialist else (False, True):
        for has_minor in (True,) if minor else (False, True):
            extra = int(has_specialist and not specialist) + int(has_minor and not minor)
            levels.setdefault(extra, []).append((accessible, has_specialist, has_minor))
    return tuple(tuple(levels[extra]) for extra in sorted(levels))


class _Heaps:
    def __init__(self, slots: list[_Slot]) -> None:
        self.slots = slots
        self.heaps: dict[_Bucket, list[_Entry]] = {}
        for slot in slots:
            self.push(slot)

    def push(self, slot: _Slot) -> None:
        if not slot.has_dwellings():
            return
        for accessible, room in ((False, slot.general_places), (True, slot.accessible_places)):
            if room > 0:
                bucket = (accessible, slot.specialist_care, slot.receives_unaccompanied_minors)
                entry = (-room, slot.municipality_code, slot.agreement_id, slot.version, slot.index)
                heapq.heappush(self.heaps.setdefault(bucket, []), entry)

    def best(self, need: Need, counties: frozenset[str], declined: frozenset[str]) -> _Slot | None:
        """The preferred place that fits, found bucket by bucket in order of unneeded capabilities."""
        for level in _levels(need.accessible, need.specialist, need.minor):
            found: list[_Slot] = []
            for bucket in level:
                heap = self.heaps.get(bucket)
                if heap:
                    slot = self._first_fit(heap, need, counties, declined)
                    if slot is not None:
                        found.append(slot)
            if found:
                return min(found, key=lambda s: preference(s, need, s.agreement_id))
        return None

    def _first_fit(
        self, heap: list[_Entry], need: Need, counties: frozenset[str], declined: frozenset[str]
    ) -> _Slot | None:
        skipped: list[_Entry] = []
        found: _Slot | None = None
        while heap:
            entry = heap[0]
            slot = self.slots[entry[4]]
            if entry[3] != slot.version:
                heapq.heappop(heap)  # stale: the slot changed since
                continue
            if -entry[0] < need.size:
                break  # the rest have even less room
            if slot.fits(need, counties, declined):
                found = slot
                break
            skipped.append(heapq.heappop(heap))
        for entry in skipped:
            heapq.heappush(heap, entry)
        return found


def match(cases: Iterable[WaitingCase], places: Iterable[AvailablePlace]) -> MatchResult:
    """Propose places to waiting cases in queue order; record every case passed over and why."""
    ordered = sorted(cases, key=queue_order)
    slots = [_Slot(place, index) for index, place in enumerate(places)]
    heaps = _Heaps(slots)
    links = link_map(ordered)
    counties: dict[str, set[str]] = {c.case_id: set(c.linked_counties) for c in ordered if c.linked_counties}
    no_place: dict[tuple[Need, frozenset[str], frozenset[str]], tuple[Reason, ...]] = {}
    proposals: list[Proposal] = []
    unplaced: list[Unplaced] = []
    waiting_for_overtaker: list[tuple[str, tuple[Reason, ...]]] = []

    for case in ordered:
        need = Need.of(case)
        linked_counties = frozenset(counties.get(case.case_id, ()))
        key = (need, linked_counties, case.declined_by)
        # A need no place meets stays unmet for the rest of the run (places only get used
        # up), and more constraints (linked county, declines) only rule out more places.
        known = no_place.get(key) or no_place.get((need, _NONE, _NONE))
        if known is not None:
            waiting_for_overtaker.append((case.case_id, known))
            continue
        slot = heaps.best(need, linked_counties, case.declined_by)
        if slot is None:
            reasons = reasons_for(need, slots, linked_counties=linked_counties, declined_by=case.declined_by)
            no_place[key] = reasons
            waiting_for_overtaker.append((case.case_id, reasons))
            continue
        dwelling = slot.take(need)
        heaps.push(slot)
        proposals.append(
            Proposal(
                case_id=case.case_id,
                agreement_id=slot.agreement_id,
                county_code=slot.county_code,
                municipality_code=slot.municipality_code,
                household_size=need.size,
                accessible=need.accessible,
                dwelling=dwelling,
            )
        )
        for other in links.get(case.case_id, ()):
            counties.setdefault(other, set()).add(slot.county_code)
        unplaced.extend(Unplaced(c, r, case.case_id) for c, r in waiting_for_overtaker)
        waiting_for_overtaker.clear()
    unplaced.extend(Unplaced(c, r, None) for c, r in waiting_for_overtaker)
    return MatchResult(proposals=proposals, unplaced=unplaced)
