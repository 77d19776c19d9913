"""Passing over a case is the exception, and every exception is recorded.

A case may be passed over (a case after it in the queue gets a place first) only for a
recorded reason. Two ways it happens:

* a matching run: the matcher found no place meeting the case's needs while a later case
  got one; the record names the run, the county board that ran it, the need no place met,
  and the case that went first;
* a manual offer by a county board: any older (or higher-priority) waiting case that the
  same place would fit is passed over, and the board must say why
  (:func:`cases_passed_over_by_offer`); the record names the board and its reason.

The fairness audit lists these records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from handoff_schemas.events.resettlement import ResettlementPriority
from resettlement.domain.ids import new_id
from resettlement.domain.matching_fit import unmet_needs
from resettlement.domain.matching_terms import (
    REASON_TEXT,
    AvailablePlace,
    MatchResult,
    Proposal,
    WaitingCase,
    queue_order,
)

MANUAL_OFFER = "manual_offer"
"""The reason code of a case passed over by a county board's manual offer."""


@dataclass(frozen=True)
class PassedOver:
    record_id: str
    case_id: str
    priority: ResettlementPriority
    waiting_since: date
    passed_at: datetime
    passed_by: str
    county_code: str
    reasons: tuple[str, ...]
    detail: str
    overtaken_by: str | None
    run_id: str | None = None
    placement_id: str | None = None
    binding: bool = True
    """False for a run that only proposed (sent no offers): nobody was actually passed over yet."""


def cases_passed_over_by_offer(
    case: WaitingCase, place: AvailablePlace, queue: Iterable[WaitingCase]
) -> list[WaitingCase]:
    """Waiting cases ahead of ``case`` in the queue that ``place`` would fit as well."""
    position = queue_order(case)
    return sorted(
        (
            other
            for other in queue
            if other.case_id != case.case_id
            and queue_order(other) < position
            and not unmet_needs(other, place)
        ),
        key=queue_order,
    )


def passed_over_by_offer(
    passed: list[WaitingCase],
    *,
    overtaken_by: str,
    placement_id: str,
    county_code: str,
    by: str,
    reason: str,
    now: datetime,
) -> list[PassedOver]:
    return [
        PassedOver(
            record_id=new_id("PO", now.year),
            case_id=case.case_id,
            priority=case.priority,
            waiting_since=case.waiting_since,
            passed_at=now,
            passed_by=by,
            county_code=county_code,
            reasons=(MANUAL_OFFER,),
            detail=reason,
            overtaken_by=overtaken_by,
            placement_id=placement_id,
        )
        for case in passed
    ]


@dataclass
class MatchingRun:
    """One run of the matcher by a county board over its county's places."""

    run_id: str
    county_code: str
    year: int
    ran_at: datetime
    ran_by: str
    waiting_cases: int
    places: int
    proposals: list[Proposal]
    passed_over: list[PassedOver]
    unplaced: int
    offers_sent: bool
    placement_ids: dict[str, str] = field(default_factory=dict)
    """case id -> the placement offered from this run's proposal."""

    @classmethod
    def record(
        cls,
        *,
        county_code: str,
        year: int,
        by: str,
        now: datetime,
        cases: list[WaitingCase],
        places: int,
        result: MatchResult,
        offers_sent: bool,
    ) -> MatchingRun:
        run_id = new_id("RUN", year)
        by_id = {case.case_id: case for case in cases}
        passed = [
            PassedOver(
                record_id=new_id("PO", now.year),
                case_id=u.case_id,
                priority=by_id[u.case_id].priority,
                waiting_since=by_id[u.case_id].waiting_since,
                passed_at=now,
                passed_by=by,
                county_code=county_code,
                reasons=tuple(r.value for r in u.reasons),
                detail="; ".join(REASON_TEXT[r] for r in u.reasons),
                overtaken_by=u.overtaken_by,
                run_id=run_id,
                binding=offers_sent,
            )
            for u in result.passed_over
        ]
        return cls(
            run_id=run_id,
            county_code=county_code,
            year=year,
            ran_at=now,
            ran_by=by,
            waiting_cases=len(cases),
            places=places,
            proposals=list(result.proposals),
            passed_over=passed,
            unplaced=len(result.unplaced),
            offers_sent=offers_sent,
        )


def in_queue_order(cases: Iterable[WaitingCase]) -> list[WaitingCase]:
    return sorted(cases, key=queue_order)
