"""The simulated year, drawn from the seed before anything is sent: every application's fate and
dates are decided up front, so a run is reproducible from its seed and resumable at any point.

Time: the year ends today. Dates in requests are days of the simulated year, all in the past
(the services refuse future dates); a step whose date would fall after today is not taken,
so the cases lodged late in the year are still open at its end, as they would be.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from handoff_cli.simulation import geography as geo
from handoff_cli.simulation.model import Parameters, pick, triangular_days

DETENTION_UNITS = (("FV-HELSINKI", 40), ("FV-JOUTSENO", 69))  # the Police's defaults: 109 places (seed 004)
EU_READMISSION = frozenset({"ALB", "RUS"})


@dataclass(frozen=True)
class Applicant:
    full_name: str
    date_of_birth: date
    nationality: str
    sex: str
    passport_expires_on: date | None
    vulnerabilities: tuple[str, ...]


@dataclass(frozen=True)
class Removal:
    """What the Police do with an accepted handover, and what the monitor decides."""

    measure: str  # "detention" or a lighter measure
    transport: str
    readmission_basis: str
    late: bool
    lead_working_days: int
    change: str | None  # "later", "earlier", "transport" or None
    ending: str  # "executed", "aborted", "cancelled"
    monitored: bool


@dataclass(frozen=True)
class CasePlan:
    key: str
    lodged_on: date
    applicant: Applicant
    residence: str  # municipality code
    dublin: bool
    decided_on: date | None = None
    granted: bool = False
    household: tuple[int, bool, tuple[str, ...]] | None = None  # size, needs a municipal place, needs
    destination: str = ""
    enforceable_on: date | None = None
    appeal_waived: bool = False
    inhibition: tuple[date, date | None] | None = None
    meetings: tuple[date, ...] = ()
    outcome: str | None = None  # "departure" or "handover"
    outcome_on: date | None = None
    grounds: str | None = None
    travel_document: tuple[date, date] | None = None
    removal: Removal | None = None

    @property
    def unit(self) -> str:
        return geo.unit_for(self.residence)

    @property
    def vulnerable(self) -> bool:
        return bool(self.applicant.vulnerabilities)


@dataclass
class Year:
    parameters: Parameters
    seed: int
    scale: float
    days: int
    today: date
    cases: list[CasePlan] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return self.today - timedelta(days=self.days)


def draw_cases(year: Year, rng: random.Random) -> list[CasePlan]:
    p = year.parameters
    span = year.days + p.run_in_days
    count = max(1, round(p.applications_per_year * year.scale * span / 365))
    start = year.today - timedelta(days=span)
    offsets = sorted(rng.randrange(span) for _ in range(count))
    return [
        _case(year, rng, f"A{index:06d}", start + timedelta(days=offset))
        for index, offset in enumerate(offsets)
    ]


def _case(year: Year, rng: random.Random, key: str, lodged_on: date) -> CasePlan:
    p, today = year.parameters, year.today
    applicant = _applicant(p, rng, lodged_on, today)
    county = pick(rng, tuple((code, weight) for code, (weight, _) in geo.COUNTIES.items()))
    residence = rng.choice(geo.COUNTIES[county][1])
    dublin = rng.random() < p.dublin_share
    case = CasePlan(key, lodged_on, applicant, residence, dublin)
    decided_on = lodged_on + timedelta(
        days=triangular_days(rng, p.dublin_decision_days if dublin else p.decision_days)
    )
    if decided_on > today:
        return case
    grants = dict(p.grant_share_by_nationality)
    if not dublin and rng.random() < grants.get(applicant.nationality, 0.5):
        size = pick(rng, p.household_sizes)
        needs = settlement_needs(p, rng, size)
        household = (size, rng.random() < p.needs_municipal_place_share, needs)
        return _with(case, decided_on=decided_on, granted=True, household=household)
    if dublin:
        destination = pick(rng, geo.DUBLIN_STATES)
        enforceable_on = decided_on  # immediate enforcement of a refusal of entry
        waived = False
    else:
        destination = applicant.nationality
        waived = rng.random() < p.appeal_waived_share
        enforceable_on = decided_on + timedelta(
            days=rng.randint(1, 5) if waived else triangular_days(rng, p.appeal_days)
        )
    case = _with(case, decided_on=decided_on, destination=destination, appeal_waived=waived)
    if enforceable_on > today:
        return case
    return _return_work(year, rng, _with(case, enforceable_on=enforceable_on))


def _return_work(year: Year, rng: random.Random, case: CasePlan) -> CasePlan:
    p, today = year.parameters, year.today
    assert case.enforceable_on is not None
    start = case.enforceable_on
    inhibition = None
    if rng.random() < p.inhibition_share:
        ordered = start + timedelta(days=rng.randint(3, 30))
        lifted = ordered + timedelta(days=rng.randint(20, 90))
        if ordered <= today:
            inhibition = (ordered, lifted if lifted <= today else None)
    meetings: list[date] = []
    first = start + timedelta(days=triangular_days(rng, p.first_counselling_days))
    if first <= today:
        meetings.append(first)
        second = first + timedelta(days=rng.randint(7, 21))
        if rng.random() < p.second_meeting_share and second <= today:
            meetings.append(second)
    outcome_on = start + timedelta(days=triangular_days(rng, p.outcome_days))
    if meetings:
        outcome_on = max(outcome_on, meetings[-1] + timedelta(days=1))
    if inhibition is not None:
        outcome_on = max(outcome_on, (inhibition[1] or today) + timedelta(days=7))
    case = _with(case, inhibition=inhibition, meetings=tuple(meetings))
    if outcome_on > today or not meetings:
        return case
    handover = rng.random() < p.handover_share
    travel_document = None
    if case.applicant.passport_expires_on is None and (
        not handover or rng.random() < p.travel_document_requested_share
    ):
        requested = max(start, outcome_on - timedelta(days=rng.randint(5, 20)))
        travel_document = (requested, min(outcome_on, requested + timedelta(days=rng.randint(1, 6))))
    if not handover:
        return _with(case, outcome="departure", outcome_on=outcome_on, travel_document=travel_document)
    grounds = "absconded" if rng.random() < p.absconded_share_of_handovers else "coercion_needed"
    return _with(
        case,
        outcome="handover",
        outcome_on=outcome_on,
        grounds=grounds,
        travel_document=travel_document,
        removal=_removal(p, rng, case),
    )


def _removal(p: Parameters, rng: random.Random, case: CasePlan) -> Removal:
    transport = pick(rng, p.transport_mix)
    if case.dublin:
        basis = "dublin_regulation"
    elif case.destination in EU_READMISSION:
        basis = "eu_readmission_agreement"
    else:
        basis = "bilateral_readmission_agreement"
    late = rng.random() < p.late_notice_share
    required = {"charter": 10, "scheduled_flight": 5}.get(transport, 3)
    lead = rng.randint(1, required - 1) if late else required + rng.randint(3, 15)
    roll = rng.random()
    ending = (
        "executed"
        if roll < p.executed_share
        else "aborted"
        if roll < p.executed_share + p.aborted_share
        else "cancelled"
    )
    change = None
    if rng.random() < p.changed_plan_share:
        change = rng.choice(("later", "later", "earlier", "transport"))
    detained = not case.vulnerable and rng.random() < p.detention_share
    measure = (
        "detention"
        if detained
        else rng.choice(("reporting_duty", "reporting_duty", "passport_surrendered", "residence_requirement"))
    )
    share = (
        p.monitored_share_vulnerable if case.vulnerable or transport == "charter" else p.monitored_share_other
    )
    return Removal(measure, transport, basis, late, lead, change, ending, rng.random() < share)


def _applicant(p: Parameters, rng: random.Random, lodged_on: date, today: date) -> Applicant:
    nationality = pick(rng, geo.NATIONALITIES)
    sex = "male" if rng.random() < p.male_share else "female"
    vulnerabilities = tuple(name for name, share in p.vulnerabilities if rng.random() < share)
    if "unaccompanied_minor" in vulnerabilities:
        born = today - timedelta(days=rng.randint(15 * 365 + 180, 17 * 365 + 180))  # a minor all year
    else:
        born = lodged_on - timedelta(days=rng.randint(19 * 365, 60 * 365))
    passport = None
    if rng.random() < p.documented_share:
        passport = today + timedelta(days=rng.randint(400, 3000))
    name = f"{rng.choice(geo.GIVEN)} {rng.choice(geo.FAMILY)}"
    return Applicant(name, born, nationality, sex, passport, vulnerabilities)


def settlement_needs(p: Parameters, rng: random.Random, size: int) -> tuple[str, ...]:
    """What a household needs of a municipal place: hard to place for some (seed 001)."""
    needs: list[str] = []
    if size >= 6:
        needs.append("large_family")
    if rng.random() < p.hard_to_place_need_share / 2:
        needs.append(
            rng.choice(
                ("accessible_housing", "specialist_care", "mental_health_support", "other_medical_need")
            )
        )
    return tuple(needs)


def _with(case: CasePlan, **changes: object) -> CasePlan:
    from dataclasses import replace

    return replace(case, **changes)  # type: ignore[arg-type]
