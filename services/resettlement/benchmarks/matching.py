"""How long the fair matcher takes for a year's caseload. Prints figures; asserts nothing.

    uv run python services/resettlement/benchmarks/matching.py [--runs 5] [--seed 2014] [--no-reference]

The caseload: 2,000 quota cases (10 % emergency, 20 % urgent) and 20,000 permit holders
waiting in reception, against the places of 290 municipalities in 21 counties (about
14,000 assignable places, as in 2014: seed 001), with household sizes, special needs,
linked families and earlier declines in realistic shares. Fixed seed: the same caseload
every run.

Printed, each the best of ``--runs`` repetitions:

* the baseline: a plain sort of the same caseload into queue order (what any matcher must
  at least do), measured in the same run;
* the matcher (``resettlement.domain.matching.match``), and its ratio to the baseline;
* unless ``--no-reference``: the specification matcher that scans every place for every
  case (``matching_reference``), once, its ratio, and whether both proposed the same.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from handoff_schemas.events.common import SettlementNeed
from handoff_schemas.events.resettlement import HousingSize, ResettlementPriority
from resettlement.domain.matching import match
from resettlement.domain.matching_reference import match_by_scanning
from resettlement.domain.matching_terms import AvailablePlace, WaitingCase, queue_order

QUOTA_CASES = 2_000
PERMIT_HOLDERS = 20_000
MUNICIPALITIES = 290
COUNTIES = 21
TODAY = date(2026, 11, 2)
T = TypeVar("T")


def household_size(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5, 6, 7, 8, 9], weights=[30, 15, 14, 14, 10, 7, 5, 3, 2])[0]


def needs(rng: random.Random, size: int) -> frozenset[SettlementNeed]:
    found: set[SettlementNeed] = set()
    for need, share in (
        (SettlementNeed.ACCESSIBLE_HOUSING, 0.05),
        (SettlementNeed.SPECIALIST_CARE, 0.08),
        (SettlementNeed.MENTAL_HEALTH_SUPPORT, 0.06),
        (SettlementNeed.OTHER_MEDICAL_NEED, 0.05),
    ):
        if rng.random() < share:
            found.add(need)
    if size == 1 and rng.random() < 0.03:
        found.add(SettlementNeed.UNACCOMPANIED_MINOR)
    if size >= 6:
        found.add(SettlementNeed.LARGE_FAMILY)
    return frozenset(found)


def caseload(rng: random.Random) -> list[WaitingCase]:
    cases: list[WaitingCase] = []
    counties = [f"{n:02d}" for n in range(1, COUNTIES + 1)]
    for n in range(QUOTA_CASES + PERMIT_HOLDERS):
        quota = n < QUOTA_CASES
        size = household_size(rng)
        priority = (
            rng.choices(list(ResettlementPriority), weights=[10, 20, 70])[0]
            if quota
            else ResettlementPriority.NORMAL
        )
        cases.append(
            WaitingCase(
                case_id=f"RS-{n:06d}",
                priority=priority,
                waiting_since=TODAY - timedelta(days=rng.randint(0, 540)),
                household_size=size,
                needs=needs(rng, size),
                declined_by=(
                    frozenset({f"{rng.randint(0, MUNICIPALITIES - 1):04d}"})
                    if rng.random() < 0.05
                    else frozenset()
                ),
                linked_counties=frozenset({rng.choice(counties)}) if rng.random() < 0.01 else frozenset(),
            )
        )
    for n in range(0, QUOTA_CASES, 40):  # linked families among the quota cases
        a, b = cases[n], cases[n + 1]
        cases[n] = dataclasses.replace(a, linked_case_ids=frozenset({b.case_id}))
        cases[n + 1] = dataclasses.replace(b, linked_case_ids=frozenset({a.case_id}))
    return cases


def places(rng: random.Random) -> list[AvailablePlace]:
    found = []
    for n in range(MUNICIPALITIES):
        assignable = rng.randint(10, 90)
        accessible = min(assignable, rng.choice([0, 0, 2, 4, 6]))
        dwellings = {
            HousingSize.STUDIO: rng.randint(2, 10),
            HousingSize.ONE_BEDROOM: rng.randint(2, 8),
            HousingSize.TWO_BEDROOMS: rng.randint(1, 6),
            HousingSize.THREE_BEDROOMS: rng.randint(0, 3),
            HousingSize.FOUR_OR_MORE_BEDROOMS: rng.randint(0, 2),
        }
        found.append(
            AvailablePlace(
                agreement_id=f"AGR-2026-{n:04d}",
                county_code=f"{n % COUNTIES + 1:02d}",
                municipality_code=f"{n:04d}",
                general_places=assignable - accessible,
                accessible_places=accessible,
                dwellings=None if rng.random() < 0.1 else dwellings,
                specialist_care=rng.random() < 0.3,
                receives_unaccompanied_minors=rng.random() < 0.5,
            )
        )
    return found


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, list[float], T]:
    timings: list[float] = []
    result: T | None = None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    assert result is not None
    return min(timings), timings, result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--no-reference", action="store_true", help="skip the slow scanning matcher")
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311  (a reproducible caseload, not a secret)
    cases, offered = caseload(rng), places(rng)
    persons = sum(c.household_size for c in cases)
    assignable = sum(p.general_places + p.accessible_places for p in offered)
    hard = sum(1 for c in cases if c.needs or c.household_size >= 6 or c.linked_case_ids)
    print(
        f"caseload: {len(cases):,} cases ({QUOTA_CASES:,} quota, {PERMIT_HOLDERS:,} permit holders), "
        f"{persons:,} people, {hard:,} hard to place"
    )
    print(f"places:   {len(offered)} municipalities, {assignable:,} assignable places")

    sort_best, sort_all, _ = best_of(args.runs, lambda: sorted(cases, key=queue_order))
    match_best, match_all, result = best_of(args.runs, lambda: match(cases, offered))
    placed = sum(p.household_size for p in result.proposals)
    print(
        f"result:   {len(result.proposals):,} proposals ({placed:,} people), {len(result.unplaced):,} cases "
        f"without a place, {len(result.passed_over):,} passed over with a recorded reason"
    )
    print()
    print(f"baseline (sort into queue order): {_ms(sort_best)}  (median {_ms(statistics.median(sort_all))})")
    print(
        f"matcher:                          {_ms(match_best)}  (median {_ms(statistics.median(match_all))})"
    )
    print(f"matcher / baseline:               {match_best / sort_best:9.1f} x")
    if not args.no_reference:
        reference_best, _, reference = best_of(1, lambda: match_by_scanning(cases, offered))
        same = reference.proposals == result.proposals and [u.case_id for u in reference.unplaced] == [
            u.case_id for u in result.unplaced
        ]
        print(f"scanning matcher (the spec):      {_ms(reference_best)}  (one run)")
        print(f"scanning / baseline:              {reference_best / sort_best:9.1f} x")
        print(
            f"scanning / matcher:               {reference_best / match_best:9.1f} x   same proposals: {same}"
        )


if __name__ == "__main__":
    main()
