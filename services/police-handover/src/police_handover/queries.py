"""Reads for the Police's systems and operators: one unit of work each, never a change (but a read of
personal data is recorded in the audit trail, in its own unit of work, before it is answered)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handoff_plumbing.audit import Accessor, PersonalDataAudit, PersonalDataUse, personal_fields_of
from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover.adapters.agency_notes import AgencyNoteRepository
from police_handover.adapters.detentions import DetentionRepository
from police_handover.adapters.enforcement_cases import CaseRepository
from police_handover.adapters.handovers import HandoverRepository
from police_handover.adapters.lighter_measures import LighterMeasureRepository, persons_under_measures
from police_handover.adapters.monitor_feedback import FeedbackRepository, notice_records
from police_handover.adapters.orm import audit_trail
from police_handover.adapters.removal_plans import PlanFilter, PlanRepository
from police_handover.domain.agency_notes import AgencyNote
from police_handover.domain.enforcement_case import EnforcementCase, HandoverOutcome, HandoverRecord
from police_handover.domain.measures import Detention, LighterMeasure
from police_handover.domain.monitoring import MonitorFeedback
from police_handover.domain.notice_statistics import NoticeFigures, tabulate
from police_handover.domain.removal_plan import RemovalPlan
from police_handover.domain.rules import PoliceHandoverRules


async def handover(handover_id: str, uow: UnitOfWork) -> HandoverRecord:
    async with uow:
        found = await HandoverRepository(uow.session).get(handover_id)
    if found is None:
        raise NotFound("handover", handover_id)
    return found


async def handovers(
    uow: UnitOfWork, paging: Paging, *, outcome: HandoverOutcome | None, return_case_id: str | None
) -> tuple[list[HandoverRecord], int]:
    async with uow:
        return await HandoverRepository(uow.session).search(
            paging, outcome=outcome, return_case_id=return_case_id
        )


PACKAGE_PURPOSE = "enforcement of the removal order"


@dataclass(frozen=True)
class CaseFile:
    case: EnforcementCase
    agency_notes: Sequence[AgencyNote]


async def case_of(enforcement_case_id: str, uow: UnitOfWork) -> EnforcementCase:
    """The case itself, for a check that shows none of its personal data (no read recorded)."""
    async with uow:
        found = await CaseRepository(uow.session).get(enforcement_case_id)
    if found is None:
        raise NotFound("enforcement case", enforcement_case_id)
    return found


async def case(
    enforcement_case_id: str, uow: UnitOfWork, reader: Accessor, *, department: str | None = None
) -> CaseFile:
    """The case with its handover package: personal data, so the read is recorded before it is shown.

    ``department``: the reader's own; another department's case answers 404 and nothing is recorded.
    """
    async with uow:
        found = await CaseRepository(uow.session).get(enforcement_case_id)
        if found is None or (department is not None and found.responsible_department != department):
            raise NotFound("enforcement case", enforcement_case_id)
        notes = await AgencyNoteRepository(uow.session).for_case(found.return_case_id)
        await PersonalDataAudit(uow.session, audit_trail).record(
            PersonalDataUse(
                accessor=reader,
                person_ref=found.person_ref,
                fields=(
                    "sex",
                    "nationality",
                    *(f"package.{f}" for f in personal_fields_of(CaseHandedOverToPoliceV1)),
                ),
                purpose=PACKAGE_PURPOSE,
                resource="GET /enforcement-cases/{enforcement_case_id}",
            ),
            now=uow.clock.now(),
        )
        await uow.commit()
    return CaseFile(found, notes)


async def cases(
    uow: UnitOfWork, paging: Paging, *, status: str | None, department: str | None, return_case_id: str | None
) -> tuple[list[EnforcementCase], int]:
    async with uow:
        return await CaseRepository(uow.session).search(
            paging, status=status, department=department, return_case_id=return_case_id
        )


async def plan(plan_id: str, uow: UnitOfWork) -> tuple[RemovalPlan, MonitorFeedback | None]:
    async with uow:
        found = await PlanRepository(uow.session).get(plan_id)
        if found is None:
            raise NotFound("removal plan", plan_id)
        return found, await feedback_on(found, uow)


async def feedback_on(plan: RemovalPlan, uow: UnitOfWork) -> MonitorFeedback | None:
    """The monitor's feedback on ``plan``, read in a unit of work already open."""
    return await FeedbackRepository(uow.session).get(plan.plan_id)


async def plans(
    uow: UnitOfWork, paging: Paging, where: PlanFilter
) -> tuple[list[tuple[RemovalPlan, MonitorFeedback | None]], int]:
    async with uow:
        found, total = await PlanRepository(uow.session).search(paging, where)
        feedback = await FeedbackRepository(uow.session).for_plans([p.plan_id for p in found])
        return [(p, feedback.get(p.plan_id)) for p in found], total


async def detention(detention_id: str, uow: UnitOfWork) -> Detention:
    async with uow:
        found = await DetentionRepository(uow.session).get(detention_id)
    if found is None:
        raise NotFound("detention", detention_id)
    return found


async def detentions(
    uow: UnitOfWork,
    paging: Paging,
    *,
    facility: str | None,
    active: bool | None,
    enforcement_case_id: str | None,
) -> tuple[list[Detention], int]:
    async with uow:
        return await DetentionRepository(uow.session).search(
            paging, facility=facility, active=active, enforcement_case_id=enforcement_case_id
        )


async def lighter_measure(measure_id: str, uow: UnitOfWork) -> LighterMeasure:
    async with uow:
        found = await LighterMeasureRepository(uow.session).get(measure_id)
    if found is None:
        raise NotFound("lighter measure", measure_id)
    return found


async def lighter_measures(
    uow: UnitOfWork, paging: Paging, *, enforcement_case_id: str | None, active: bool | None
) -> tuple[list[LighterMeasure], int]:
    async with uow:
        return await LighterMeasureRepository(uow.session).search(
            paging, enforcement_case_id=enforcement_case_id, active=active
        )


@dataclass(frozen=True)
class FacilityOccupancy:
    facility: str
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


@dataclass(frozen=True)
class MeasureCounts:
    facilities: list[FacilityOccupancy]
    lighter_measures: dict[str, int]
    minors_detained: int
    reviews_overdue: int
    persons_under_measures: int


async def measure_counts(uow: UnitOfWork, rules: PoliceHandoverRules) -> MeasureCounts:
    async with uow:
        detentions = DetentionRepository(uow.session)
        occupied = await detentions.occupancy()
        minors, overdue = await detentions.active_counts(uow.clock.now().date())
        facilities = [
            FacilityOccupancy(facility, capacity, occupied.get(facility, 0))
            for facility, capacity in sorted(rules.facilities.items())
        ]
        # Facilities no longer configured still hold people until they are released.
        facilities += [
            FacilityOccupancy(facility, 0, n)
            for facility, n in sorted(occupied.items())
            if facility not in rules.facilities
        ]
        return MeasureCounts(
            facilities=facilities,
            lighter_measures=await LighterMeasureRepository(uow.session).active_by_kind(),
            minors_detained=minors,
            reviews_overdue=overdue,
            persons_under_measures=await persons_under_measures(uow.session),
        )


async def notice_figures(
    uow: UnitOfWork,
    rules: PoliceHandoverRules,
    *,
    department: str | None,
    from_month: str | None,
    to_month: str | None,
) -> list[NoticeFigures]:
    """The monitor's judgements of the Police's plans, counted as the monitor counts them."""
    async with uow:
        records = await notice_records(uow.session)
    rows = tabulate(records, rules.monitor_zone())
    return [
        row
        for row in rows
        if (department is None or row.department == department)
        and (from_month is None or row.month >= from_month)
        and (to_month is None or row.month <= to_month)
    ]


async def plan_counts(uow: UnitOfWork) -> list[tuple[str, str, str, int]]:
    async with uow:
        return await PlanRepository(uow.session).counts()
