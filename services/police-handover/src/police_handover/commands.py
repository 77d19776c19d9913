"""Commands of the Police's systems (over HTTP): load, let the aggregate decide, store, publish.

Each runs inside the unit of work it is given and does not commit: the HTTP edge
(:data:`handoff_plumbing.http.commands.Command`) commits, together with the answer it
remembers under the caller's ``request_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import Transport, Vulnerability
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    DetentionEndReason,
    DetentionGround,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionStatus,
    ReadmissionBasis,
    Restraint,
)
from police_handover.adapters.detentions import DetentionRepository
from police_handover.adapters.enforcement_cases import CaseRepository
from police_handover.adapters.lighter_measures import LighterMeasureRepository
from police_handover.adapters.removal_plans import PlanRepository
from police_handover.domain.enforcement_case import ClosedReason, EnforcementCase
from police_handover.domain.measures import (
    Detention,
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
    current_measure,
)
from police_handover.domain.removal_outcome import Actual
from police_handover.domain.removal_plan import PlanDetails, RemovalPlan
from police_handover.domain.rules import PoliceHandoverRules


async def _case_for(enforcement_case_id: str, uow: UnitOfWork) -> EnforcementCase:
    """The case a body refers to, locked for the change; a 422 on the field if it does not exist."""
    case = await CaseRepository(uow.session).get(enforcement_case_id, for_update=True)
    if case is None:
        raise InvalidInput("enforcement_case_id", f"no enforcement case {enforcement_case_id!r}")
    return case


async def _measure_of(case: EnforcementCase, uow: UnitOfWork) -> PrecautionaryMeasure:
    detained = bool(await DetentionRepository(uow.session).active_for_case(case.enforcement_case_id))
    lighter = await LighterMeasureRepository(uow.session).active_for_case(case.enforcement_case_id)
    return current_measure(detained, [m.kind for m in lighter])


async def end_measures(
    case: EnforcementCase,
    uow: UnitOfWork,
    *,
    detention_reason: DetentionEndReason,
    measure_reason: LighterMeasureEndReason,
) -> None:
    """End every measure in force on the case (after removal or when enforcement ends)."""
    now = uow.clock.now()
    detentions = DetentionRepository(uow.session)
    for detention in await detentions.active_for_case(case.enforcement_case_id):
        ended = detention.end(reason=detention_reason, now=now)
        await detentions.save(detention)
        await uow.publish(ended)
    lighter = LighterMeasureRepository(uow.session)
    for measure in await lighter.active_for_case(case.enforcement_case_id):
        measure.end(reason=measure_reason, now=now)
        await lighter.save(measure)
        await uow.publish(measure.ended_event(case))


# --------------------------------------------------------------------------- removal plans


@dataclass(frozen=True)
class CreatePlan:
    enforcement_case_id: str
    readmission_basis: ReadmissionBasis
    transport: Transport
    escort_level: EscortLevel
    planned_departure: datetime
    destination_country: str | None = None
    transit_countries: tuple[str, ...] = ()
    responsible_department: str | None = None
    measure: PrecautionaryMeasure | None = None
    vulnerabilities: tuple[Vulnerability, ...] | None = None
    precautions: Mapping[Precaution, PrecautionStatus] = field(default_factory=dict)


async def create_plan(command: CreatePlan, uow: UnitOfWork, rules: PoliceHandoverRules) -> RemovalPlan:
    plans = PlanRepository(uow.session)
    case = await _case_for(command.enforcement_case_id, uow)  # locked: one creation at a time
    active = await plans.active_for_case(case.enforcement_case_id)
    if active:
        raise Conflict(
            f"enforcement case {case.enforcement_case_id} already has an active removal plan "
            f"{active[0].plan_id}: update or cancel it"
        )
    details = PlanDetails(
        destination_country=command.destination_country or case.destination_country,
        readmission_basis=command.readmission_basis,
        transport=command.transport,
        escort_level=command.escort_level,
        planned_departure=command.planned_departure,
        responsible_department=command.responsible_department or case.responsible_department,
        measure=command.measure or await _measure_of(case, uow),
        vulnerabilities=(
            command.vulnerabilities if command.vulnerabilities is not None else case.person.vulnerabilities
        ),
        transit_countries=command.transit_countries,
        precautions=command.precautions,
    )
    plan, event = RemovalPlan.create(case=case, details=details, now=uow.clock.now(), rules=rules)
    await plans.add(plan)
    await uow.publish(event)
    return plan


async def _plan_and_case(plan_id: str, uow: UnitOfWork) -> tuple[RemovalPlan, EnforcementCase]:
    plan = await PlanRepository(uow.session).get(plan_id, for_update=True)
    if plan is None:
        raise NotFound("removal plan", plan_id)
    case = await CaseRepository(uow.session).get(plan.enforcement_case_id, for_update=True)
    assert case is not None  # a plan always belongs to a case
    return plan, case


async def update_plan(
    plan_id: str,
    changes: Mapping[str, Any],
    uow: UnitOfWork,
    rules: PoliceHandoverRules,
    *,
    expected_revision: int | None = None,
) -> RemovalPlan:
    plan, case = await _plan_and_case(plan_id, uow)
    if expected_revision is not None and expected_revision != plan.revision:
        raise Conflict(f"removal plan {plan_id} is at revision {plan.revision}, not {expected_revision}")
    event = plan.update(case=case, changes=changes, now=uow.clock.now(), rules=rules)
    if event is not None:
        await PlanRepository(uow.session).save(plan)
        await uow.publish(event)
    return plan


async def execute_plan(
    plan_id: str,
    uow: UnitOfWork,
    *,
    use_of_force: bool,
    restraints_used: list[Restraint],
    incidents: list[str],
    executed_at: datetime | None = None,
    actual: Actual | None = None,
) -> RemovalPlan:
    """The person was removed: record force, restraints and incidents; measures end; the case closes."""
    plan, case = await _plan_and_case(plan_id, uow)
    event = plan.execute(
        case=case,
        now=uow.clock.now(),
        use_of_force=use_of_force,
        restraints_used=restraints_used,
        incidents=incidents,
        executed_at=executed_at,
        actual=actual,
    )
    await PlanRepository(uow.session).save(plan)
    await uow.publish(event)
    await end_measures(
        case,
        uow,
        detention_reason=DetentionEndReason.REMOVED,
        measure_reason=LighterMeasureEndReason.REMOVED,
    )
    case.close(ClosedReason.REMOVED, uow.clock.now())
    await CaseRepository(uow.session).save(case)
    return plan


async def abort_plan(
    plan_id: str,
    uow: UnitOfWork,
    *,
    reason: AbortReason,
    at_departure: bool,
    note: str | None = None,
    aborted_at: datetime | None = None,
    actual: Actual | None = None,
) -> RemovalPlan:
    plan, _case = await _plan_and_case(plan_id, uow)
    event = plan.abort(
        reason=reason,
        at_departure=at_departure,
        note=note,
        aborted_at=aborted_at,
        now=uow.clock.now(),
        actual=actual,
    )
    await PlanRepository(uow.session).save(plan)
    await uow.publish(event)
    return plan


async def cancel_plan(
    plan_id: str, uow: UnitOfWork, *, reason: CancellationReason, note: str | None = None
) -> RemovalPlan:
    plan, _case = await _plan_and_case(plan_id, uow)
    event = plan.cancel(reason=reason, note=note, now=uow.clock.now())
    await PlanRepository(uow.session).save(plan)
    await uow.publish(event)
    return plan


# --------------------------------------------------------------------------- detention


@dataclass(frozen=True)
class OrderDetention:
    enforcement_case_id: str
    facility: str
    ground: DetentionGround
    ordered_at: datetime | None = None
    unaccompanied_minor_reason: str | None = None


async def order_detention(command: OrderDetention, uow: UnitOfWork, rules: PoliceHandoverRules) -> Detention:
    detentions = DetentionRepository(uow.session)
    case = await _case_for(command.enforcement_case_id, uow)
    rules.capacity_of(command.facility)
    await detentions.lock_facility(command.facility)
    detention, event = Detention.order(
        case=case,
        facility=command.facility,
        ground=command.ground,
        now=uow.clock.now(),
        rules=rules,
        occupied=await detentions.occupied(command.facility),
        case_detained=bool(await detentions.active_for_case(case.enforcement_case_id)),
        ordered_at=command.ordered_at,
        unaccompanied_minor_reason=command.unaccompanied_minor_reason,
    )
    await detentions.add(detention)
    await uow.publish(event)
    return detention


async def _detention(detention_id: str, uow: UnitOfWork) -> Detention:
    detention = await DetentionRepository(uow.session).get(detention_id, for_update=True)
    if detention is None:
        raise NotFound("detention", detention_id)
    return detention


async def review_detention(
    detention_id: str, reviewed_on: date, uow: UnitOfWork, rules: PoliceHandoverRules
) -> Detention:
    detention = await _detention(detention_id, uow)
    detention.review(reviewed_on=reviewed_on, now=uow.clock.now(), rules=rules)
    await DetentionRepository(uow.session).save(detention)
    await uow.publish(detention.reviewed_event())
    return detention


async def end_detention(
    detention_id: str, uow: UnitOfWork, *, reason: DetentionEndReason, ended_at: datetime | None = None
) -> Detention:
    detention = await _detention(detention_id, uow)
    event = detention.end(reason=reason, now=uow.clock.now(), ended_at=ended_at)
    await DetentionRepository(uow.session).save(detention)
    await uow.publish(event)
    return detention


# --------------------------------------------------------------------------- lighter measures


@dataclass(frozen=True)
class OrderLighterMeasure:
    enforcement_case_id: str
    kind: LighterMeasureKind
    ordered_at: datetime | None = None
    note: str | None = None


async def order_lighter_measure(command: OrderLighterMeasure, uow: UnitOfWork) -> LighterMeasure:
    measures = LighterMeasureRepository(uow.session)
    case = await _case_for(command.enforcement_case_id, uow)
    measure = LighterMeasure.order(
        case=case,
        kind=command.kind,
        now=uow.clock.now(),
        active_kinds={m.kind for m in await measures.active_for_case(case.enforcement_case_id)},
        ordered_at=command.ordered_at,
        note=command.note,
    )
    await measures.add(measure)
    await uow.publish(measure.ordered_event(case))
    return measure


async def end_lighter_measure(
    measure_id: str, uow: UnitOfWork, *, reason: LighterMeasureEndReason, ended_at: datetime | None = None
) -> LighterMeasure:
    measures = LighterMeasureRepository(uow.session)
    measure = await measures.get(measure_id, for_update=True)
    if measure is None:
        raise NotFound("lighter measure", measure_id)
    measure.end(reason=reason, now=uow.clock.now(), ended_at=ended_at)
    await measures.save(measure)
    case = await CaseRepository(uow.session).get(measure.enforcement_case_id)
    assert case is not None  # a measure always belongs to a case
    await uow.publish(measure.ended_event(case))
    return measure
