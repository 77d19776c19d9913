"""The follow-up (docs/domain.md, seed 001): lead times, the quarterly report per county and municipality,
the longest-waiting and hard-to-place cases, and the fairness audit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.resettlement import SettlementProfile
from resettlement.adapters import reports
from resettlement.adapters.cases import CaseRepository
from resettlement.adapters.matching_runs import PassedOverFilter, PassedOverRepository
from resettlement.adapters.placements import PlacementRepository
from resettlement.domain.case import ResettlementCase
from resettlement.domain.fairness import PassedOver
from resettlement.domain.followup import LeadTime, days_between, quarter_bounds
from resettlement.domain.needs import is_hard_to_place


@dataclass(frozen=True)
class LeadTimes:
    year: int
    county_code: str | None
    municipality_code: str | None
    to_assignment: dict[str, LeadTime]
    """Days from permit or selection to a confirmed municipal place, per source and "all"."""
    to_settlement: dict[str, LeadTime]
    waiting_now: int
    longest_waiting_days: int | None


def _by_source(pairs: list[tuple[str, int]]) -> dict[str, LeadTime]:
    grouped: dict[str, list[int]] = {"all": []}
    for source, days in pairs:
        grouped["all"].append(days)
        grouped.setdefault(source, []).append(days)
    return {source: LeadTime.of(days) for source, days in grouped.items()}


async def lead_times(
    year: int, county_code: str | None, municipality_code: str | None, uow: UnitOfWork
) -> LeadTimes:
    async with uow:
        today = uow.clock.now().date()
        rows = await reports.placed_cases(
            uow.session, year=year, county_code=county_code, municipality_code=municipality_code
        )
        waiting = await reports.waiting_since_dates(uow.session)
    to_assignment = [
        (r.source, d)
        for r in rows
        if r.assigned_on and r.assigned_on.year == year
        for d in [days_between(r.waiting_since, r.assigned_on)]
        if d is not None
    ]
    to_settlement = [
        (r.source, d)
        for r in rows
        if r.settled_on and r.settled_on.year == year
        for d in [days_between(r.waiting_since, r.settled_on)]
        if d is not None
    ]
    return LeadTimes(
        year=year,
        county_code=county_code,
        municipality_code=municipality_code,
        to_assignment=_by_source(to_assignment),
        to_settlement=_by_source(to_settlement),
        waiting_now=len(waiting),
        longest_waiting_days=(today - min(waiting)).days if waiting else None,
    )


# --------------------------------------------------------------------------- quarterly report


@dataclass(frozen=True)
class Answer:
    placement_id: str
    case_id: str
    answered_at: datetime
    answer: str
    reason: str | None
    reason_text: str | None


@dataclass(frozen=True)
class RefusedAttempt:
    placement_id: str
    case_id: str
    attempted_at: datetime
    field: str
    ground: str
    reason: str
    reason_text: str


@dataclass
class MunicipalityQuarter:
    county_code: str
    municipality_code: str
    agreement_id: str
    agreed_places: int
    assignable_places: int
    accessible_places: int
    offers: int = 0
    hard_to_place_offers: int = 0
    accepted: int = 0
    declined: int = 0
    withdrawn: int = 0
    unanswered: int = 0
    overdue: int = 0
    declines_by_reason: dict[str, int] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    refused_declines: list[RefusedAttempt] = field(default_factory=list)
    persons_confirmed: int = 0
    hard_to_place_confirmed: int = 0
    places_used_to_date: int = 0


@dataclass(frozen=True)
class QuarterlyReport:
    year: int
    quarter: int
    starts_on: date
    ends_on: date
    county_code: str | None
    municipalities: list[MunicipalityQuarter]


def _within(moment: datetime | None, start: date, end: date) -> bool:
    return moment is not None and start <= moment.date() <= end


def _hard(profile: dict[str, object]) -> bool:
    household = SettlementProfile.model_validate(profile)
    return is_hard_to_place(household.household_size, household.needs)


async def quarterly_report(
    year: int, quarter: int, county_code: str | None, uow: UnitOfWork
) -> QuarterlyReport:
    start, end = quarter_bounds(year, quarter)
    until = datetime.combine(end, time.max, tzinfo=UTC)
    async with uow:
        today = uow.clock.now().date()
        agreements = await reports.agreements_of(uow.session, year=year, county_code=county_code)
        rows = await reports.placements_of(uow.session, [a.agreement_id for a in agreements], until)
        refused = await reports.refused_declines_between(
            uow.session,
            start=datetime.combine(start, time.min, tzinfo=UTC),
            end=until,
            county_code=county_code,
        )
    lines = {
        a.agreement_id: MunicipalityQuarter(
            county_code=a.county_code,
            municipality_code=a.municipality_code,
            agreement_id=a.agreement_id,
            agreed_places=a.terms.agreed_places,
            assignable_places=a.terms.assignable_places,
            accessible_places=a.terms.accessible_places,
        )
        for a in agreements
    }
    by_municipality = {line.municipality_code: line for line in lines.values()}
    for p in rows:
        line = lines[p["agreement_id"]]
        if _within(p["offered_at"], start, end):
            line.offers += 1
            line.hard_to_place_offers += int(_hard(p["profile"]))
            if p["answered_at"] is None and p["withdrawn_at"] is None:
                line.unanswered += 1
                line.overdue += int(p["answer_due_on"] < today)
        if _within(p["answered_at"], start, end):
            declined = p["decline_reason"] is not None
            line.declined += int(declined)
            line.accepted += int(not declined)
            line.answers.append(
                Answer(
                    placement_id=p["placement_id"],
                    case_id=p["case_id"],
                    answered_at=p["answered_at"],
                    answer="declined" if declined else "accepted",
                    reason=p["decline_reason"],
                    reason_text=p["decline_reason_text"],
                )
            )
        if _within(p["withdrawn_at"], start, end):
            line.withdrawn += 1
        if p["confirmed_at"] is not None and p["confirmed_at"] <= until:
            line.places_used_to_date += p["household_size"]
            if _within(p["confirmed_at"], start, end):
                line.persons_confirmed += p["household_size"]
                line.hard_to_place_confirmed += int(_hard(p["profile"]))
    for line in lines.values():
        line.declines_by_reason = dict(Counter(a.reason for a in line.answers if a.reason))
        line.answers.sort(key=lambda a: a.answered_at)
    for r in refused:
        refused_line = by_municipality.get(r["municipality_code"])
        if refused_line is not None:
            refused_line.refused_declines.append(
                RefusedAttempt(
                    placement_id=r["placement_id"],
                    case_id=r["case_id"],
                    attempted_at=r["attempted_at"],
                    field=r["field"],
                    ground=r["ground"],
                    reason=r["reason"],
                    reason_text=r["reason_text"],
                )
            )
    return QuarterlyReport(
        year=year,
        quarter=quarter,
        starts_on=start,
        ends_on=end,
        county_code=county_code,
        municipalities=sorted(lines.values(), key=lambda line: (line.county_code, line.municipality_code)),
    )


# --------------------------------------------------------------------------- waiting and audit


@dataclass(frozen=True)
class WaitingLine:
    case: ResettlementCase
    days_waiting: int
    declined_by: int
    passed_over: int


async def longest_waiting(
    hard_to_place: bool | None, paging: Paging, uow: UnitOfWork
) -> tuple[list[WaitingLine], int]:
    async with uow:
        today = uow.clock.now().date()
        found, total = await CaseRepository(uow.session).longest_waiting(
            hard_to_place=hard_to_place, paging=paging
        )
        ids = [c.case_id for c in found]
        declined = await PlacementRepository(uow.session).declined_by(ids)
        passed = await PassedOverRepository(uow.session).counts(ids)
    return [
        WaitingLine(
            case=c,
            days_waiting=(today - c.waiting_since).days if c.waiting_since else 0,
            declined_by=len(declined.get(c.case_id, ())),
            passed_over=passed.get(c.case_id, 0),
        )
        for c in found
    ], total


async def fairness_audit(
    where: PassedOverFilter, paging: Paging, uow: UnitOfWork
) -> tuple[list[PassedOver], int]:
    async with uow:
        return await PassedOverRepository(uow.session).search(where, paging)
