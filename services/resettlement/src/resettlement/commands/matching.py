"""Matching runs and offers: the county board proposes places and offers households."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_workdays import working_calendar
from resettlement.adapters.agreements import AgreementRepository
from resettlement.adapters.cases import CaseRepository
from resettlement.adapters.matching_runs import MatchingRunRepository, PassedOverRepository
from resettlement.adapters.placements import PlacementRepository
from resettlement.adapters.queue import load_queue
from resettlement.domain.actor import Actor
from resettlement.domain.case import CaseState
from resettlement.domain.fairness import MatchingRun, cases_passed_over_by_offer, passed_over_by_offer
from resettlement.domain.matching import match
from resettlement.domain.matching_fit import Need, smallest_dwelling, unmet_needs
from resettlement.domain.matching_terms import REASON_TEXT, Proposal
from resettlement.domain.placement import Placement
from resettlement.domain.rules import ResettlementRules


def answer_due(rules: ResettlementRules, now: datetime) -> date:
    return working_calendar(rules.calendar_country).add_working_days(now.date(), rules.answer_working_days)


@dataclass(frozen=True)
class RunMatching:
    year: int
    send_offers: bool = False


async def run_matching(
    command: RunMatching, actor: Actor, uow: UnitOfWork, rules: ResettlementRules
) -> MatchingRun:
    """Match the national queue against the board's county's places for the year.

    With ``send_offers`` every proposal becomes an offer at once (in the same transaction).
    A repeated request id returns the first run (created=False).
    """
    county = actor.county()
    runs = MatchingRunRepository(uow.session)
    now = uow.clock.now()
    agreements = await AgreementRepository(uow.session).for_county(county, command.year, for_update=True)
    placements = PlacementRepository(uow.session)
    usage = await placements.usage([a.agreement_id for a in agreements])
    places = [a.available(usage[a.agreement_id]) for a in agreements]
    queue = await load_queue(uow.session, for_update=command.send_offers)
    waiting = list(queue.waiting.values())
    result = match(waiting, places)
    run = MatchingRun.record(
        county_code=county,
        year=command.year,
        by=actor.subject,
        now=now,
        cases=waiting,
        places=len(places),
        result=result,
        offers_sent=command.send_offers,
    )
    if command.send_offers:
        cases = CaseRepository(uow.session)
        due = answer_due(rules, now)
        for proposal in result.proposals:
            case = queue.cases[proposal.case_id]
            placement, offered = Placement.offer(
                case, proposal, by=actor.subject, now=now, answer_due_on=due, run_id=run.run_id
            )
            await placements.add(placement)
            await cases.save(case)
            await uow.publish(offered)
            run.placement_ids[case.case_id] = placement.placement_id
    await runs.add(run)
    return run


@dataclass(frozen=True)
class OfferPlace:
    case_id: str
    agreement_id: str
    passed_over_reason: str | None = None


async def offer_place(
    command: OfferPlace, actor: Actor, uow: UnitOfWork, rules: ResettlementRules
) -> Placement:
    """A county board offers one household a place by hand (e.g. from a run's proposal).

    The fairness rule holds here too: the place must meet the household's needs, and if
    it would fit a case ahead in the queue as well, the board must say why that case is
    passed over; the reason is recorded for each such case.
    """
    placements = PlacementRepository(uow.session)
    agreement = await AgreementRepository(uow.session).get(command.agreement_id, for_update=True)
    if agreement is None or not actor.sees_county(agreement.county_code):
        raise InvalidInput("agreement_id", f"no agreement {command.agreement_id!r}")
    cases = CaseRepository(uow.session)
    case = await cases.get(command.case_id, for_update=True)
    if case is None:
        raise NotFound("case", command.case_id)
    if case.state is not CaseState.WAITING:
        raise Conflict(f"case {case.case_id} is {case.state.value}: only a waiting case is offered")
    place = agreement.available((await placements.usage([agreement.agreement_id]))[agreement.agreement_id])
    queue = await load_queue(uow.session)
    target = queue.waiting[case.case_id]
    missing = unmet_needs(target, place)
    if missing:
        raise InvalidInput(
            "agreement_id",
            "the place does not meet the household's needs: " + "; ".join(REASON_TEXT[r] for r in missing),
        )
    passed = cases_passed_over_by_offer(target, place, queue.waiting.values())
    reason = (command.passed_over_reason or "").strip()
    if passed and not reason:
        shown = ", ".join(c.case_id for c in passed[:10]) + (" ..." if len(passed) > 10 else "")
        raise InvalidInput(
            "passed_over_reason",
            f"{len(passed)} case(s) ahead in the queue fit this place too ({shown}): "
            "say why they are passed over, or offer the place to the first of them",
        )
    need = Need.of(target)
    proposal = Proposal(
        case_id=case.case_id,
        agreement_id=agreement.agreement_id,
        county_code=agreement.county_code,
        municipality_code=agreement.municipality_code,
        household_size=case.household_size,
        accessible=need.accessible,
        dwelling=smallest_dwelling(place.dwellings, need.min_rank) if place.dwellings is not None else None,
    )
    now = uow.clock.now()
    placement, offered = Placement.offer(
        case,
        proposal,
        by=actor.subject,
        now=now,
        answer_due_on=answer_due(rules, now),
    )
    await placements.add(placement)
    await cases.save(case)
    await PassedOverRepository(uow.session).add_all(
        passed_over_by_offer(
            passed,
            overtaken_by=case.case_id,
            placement_id=placement.placement_id,
            county_code=agreement.county_code,
            by=actor.subject,
            reason=reason,
            now=now,
        )
    )
    await uow.publish(offered)
    return placement
