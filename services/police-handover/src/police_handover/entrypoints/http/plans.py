"""Removal plans over HTTP for the Police's systems (role ``police``).

Every change is an event on handoff.police.removal-plan.v1, published through the outbox
in the request's transaction; the request's trace continues through the relay to the monitor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, RequestId, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import CountryCode, Identifier, Moment, Text
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import (
    AgeBand,
    Sex,
    Transport,
    Vulnerability,
)
from handoff_schemas.events.police import (
    AbortReason,
    CancellationReason,
    EscortLevel,
    Precaution,
    PrecautionaryMeasure,
    PrecautionCheck,
    PrecautionStatus,
    ReadmissionBasis,
    RemovalFacts,
    Restraint,
)
from police_handover import commands, queries
from police_handover.adapters.removal_plans import PlanFilter
from police_handover.domain.monitoring import MonitorFeedback
from police_handover.domain.removal_outcome import Actual
from police_handover.domain.removal_plan import TRANSITIONS, PlanStatus, RemovalPlan
from police_handover.entrypoints.http.departments import check_case_reference, listed_department, visible_plan
from police_handover.entrypoints.http.dependencies import CONFLICT, Department, Police, Rules
from police_handover.entrypoints.http.monitor_feedback import MonitoringOut

router = APIRouter(prefix="/removal-plans", tags=["removal plans"])

Note = Annotated[str, Text(max_length=500), Field(description="A short note; never personal data.")]


class CreatePlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    enforcement_case_id: Identifier
    destination_country: CountryCode | None = Field(
        default=None, description="Default: the destination in the handover."
    )
    transit_countries: list[CountryCode] = Field(default_factory=list, max_length=10)
    readmission_basis: ReadmissionBasis
    transport: Transport
    escort_level: EscortLevel
    planned_departure: Moment
    responsible_department: Department | None = Field(
        default=None, description="Default: the case's department."
    )
    measure: PrecautionaryMeasure | None = Field(
        default=None, description="Default: the measure in force on the case (detention first)."
    )
    vulnerabilities: list[Vulnerability] | None = Field(
        default=None,
        max_length=len(Vulnerability),
        description="Default: the vulnerabilities in the handover.",
    )
    precautions: dict[Precaution, PrecautionStatus] = Field(
        default_factory=dict,
        description="Statuses to set; the rest follow from the vulnerabilities and age (pending if they "
        "apply).",
    )


class UpdatePlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_revision: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="If given, the change is refused (409) unless the plan is at it.",
    )
    destination_country: CountryCode | None = None
    transit_countries: list[CountryCode] | None = Field(default=None, max_length=10)
    readmission_basis: ReadmissionBasis | None = None
    transport: Transport | None = None
    escort_level: EscortLevel | None = None
    planned_departure: Moment | None = None
    responsible_department: Department | None = None
    measure: PrecautionaryMeasure | None = None
    vulnerabilities: list[Vulnerability] | None = Field(default=None, max_length=len(Vulnerability))
    precautions: dict[Precaution, PrecautionStatus] | None = None


class AsCarriedOutIn(BaseModel):
    """What was actually used, where it differs from the plan's last revision (left out: as planned).
    The monitor judges anew a removal that departs from its last notice."""

    model_config = ConfigDict(extra="forbid")
    transport: Transport | None = Field(default=None, description="Default: the plan's.")
    escort_level: EscortLevel | None = Field(default=None, description="Default: the plan's.")
    destination_country: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-3; default: the plan's."
    )

    def actual(self) -> Actual:
        return Actual(
            transport=self.transport,
            escort_level=self.escort_level,
            destination_country=self.destination_country,
        )


class ExecuteIn(AsCarriedOutIn):
    executed_at: Moment | None = Field(default=None, description="Default: now.")
    use_of_force: bool
    restraints_used: list[Restraint] = Field(default_factory=list, max_length=len(Restraint))
    incidents: list[Note] = Field(
        default_factory=list, max_length=20, description="Codes or short texts; no personal data."
    )


class AbortIn(AsCarriedOutIn):
    reason: AbortReason
    at_departure: bool
    aborted_at: Moment | None = Field(default=None, description="Default: now.")
    note: Note | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: CancellationReason
    note: Note | None = None


class ExecutionOut(BaseModel):
    executed_at: datetime
    use_of_force: bool
    restraints_used: list[Restraint]
    incidents: list[str]


class EndingOut(BaseModel):
    at: datetime
    reason: str
    at_departure: bool | None
    note: str | None


class PlanOut(BaseModel):
    plan_id: Identifier
    enforcement_case_id: str
    return_case_id: str
    person_ref: str
    status: PlanStatus
    revision: int
    allowed_transitions: list[PlanStatus] = Field(description="What the plan may become next.")
    age_band: AgeBand
    minor: bool
    sex: Sex
    nationality: str
    destination_country: str
    transit_countries: list[str]
    readmission_basis: ReadmissionBasis
    transport: Transport
    escort_level: EscortLevel
    planned_departure: datetime
    responsible_department: str
    measure: PrecautionaryMeasure
    vulnerabilities: list[Vulnerability]
    precautions: list[PrecautionCheck]
    created_at: datetime
    updated_at: datetime
    execution: ExecutionOut | None
    ending: EndingOut | None
    monitoring: MonitoringOut | None
    as_carried_out: RemovalFacts | None = Field(
        description="How the removal was carried out or attempted: the plan's revision, transport, escort "
        "and destination used."
    )

    @classmethod
    def of(cls, plan: RemovalPlan, feedback: MonitorFeedback | None = None) -> PlanOut:
        execution = plan.execution
        ending = plan.ending
        return cls(
            **plan.state(),
            enforcement_case_id=plan.enforcement_case_id,
            status=plan.status,
            revision=plan.revision,
            allowed_transitions=sorted(TRANSITIONS[plan.status]),
            created_at=plan.created_at,
            updated_at=plan.updated_at,
            execution=(
                ExecutionOut(
                    executed_at=execution.executed_at,
                    use_of_force=execution.use_of_force,
                    restraints_used=list(execution.restraints_used),
                    incidents=list(execution.incidents),
                )
                if execution
                else None
            ),
            ending=(
                EndingOut(
                    at=ending.at,
                    reason=ending.reason.value,
                    at_departure=ending.at_departure,
                    note=ending.note,
                )
                if ending
                else None
            ),
            monitoring=MonitoringOut.of(feedback) if feedback else None,
            as_carried_out=plan.as_carried_out,
        )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Draw up a removal plan (the monitor's notice)",
    responses={**replayed(PlanOut), **CONFLICT},
)
async def create(body: CreatePlanIn, command: Command, caller: Police, rules: Rules, uow: Uow) -> PlanOut:
    await check_case_reference(body.enforcement_case_id, caller, uow)
    create_plan = commands.CreatePlan(
        enforcement_case_id=body.enforcement_case_id,
        readmission_basis=body.readmission_basis,
        transport=body.transport,
        escort_level=body.escort_level,
        planned_departure=body.planned_departure,
        destination_country=body.destination_country,
        transit_countries=tuple(body.transit_countries),
        responsible_department=body.responsible_department,
        measure=body.measure,
        vulnerabilities=tuple(body.vulnerabilities) if body.vulnerabilities is not None else None,
        precautions=body.precautions,
    )

    async def step(uow: UnitOfWork) -> PlanOut:
        return PlanOut.of(await commands.create_plan(create_plan, uow, rules))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("", summary="Removal plans, by planned departure")
async def list_plans(
    uow: Uow,
    caller: Police,
    paging: PagingQuery,
    status_: Annotated[PlanStatus | None, Query(alias="status")] = None,
    responsible_department: Annotated[Department | None, Query()] = None,
    enforcement_case_id: Annotated[Identifier | None, Query()] = None,
    return_case_id: Annotated[Identifier | None, Query()] = None,
    transport: Annotated[Transport | None, Query()] = None,
    departure_from: Annotated[Moment | None, Query()] = None,
    departure_until: Annotated[Moment | None, Query()] = None,
) -> Page[PlanOut]:
    department, nothing = listed_department(caller, responsible_department)
    if nothing:
        return Page[PlanOut].of([], 0, paging)
    where = PlanFilter(
        status=status_,
        department=department,
        enforcement_case_id=enforcement_case_id,
        return_case_id=return_case_id,
        transport=transport,
        departure_from=departure_from,
        departure_until=departure_until,
    )
    found, total = await queries.plans(uow, paging, where)
    return Page[PlanOut].of([PlanOut.of(p, f) for p, f in found], total, paging)


@router.get("/{plan_id}", summary="One removal plan, with the monitor's acknowledgement and decision")
async def get(plan_id: Identifier, uow: Uow, caller: Police) -> PlanOut:
    return PlanOut.of(*await visible_plan(plan_id, caller, uow))


Change = Callable[[UnitOfWork], Awaitable[RemovalPlan]]


async def _changed(command: Command, change: Change) -> PlanOut:
    """Run ``change`` on a plan and answer the plan with the monitor's feedback on it."""

    async def step(uow: UnitOfWork) -> PlanOut:
        plan = await change(uow)
        return PlanOut.of(plan, await queries.feedback_on(plan, uow))

    return await command.run(step)


@router.patch(
    "/{plan_id}",
    summary="Change a removal plan (an update event with the changed fields; none if nothing changed)",
    responses=CONFLICT,
)
async def update(
    plan_id: Identifier, body: UpdatePlanIn, command: Command, caller: Police, rules: Rules, uow: Uow
) -> PlanOut:
    await visible_plan(plan_id, caller, uow)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"expected_revision"})
    for name, value in changes.items():
        if value is None:
            raise InvalidInput(name, "cannot be null; leave it out to keep it")
    if "transit_countries" in changes:
        changes["transit_countries"] = tuple(changes["transit_countries"])
    if "vulnerabilities" in changes:
        changes["vulnerabilities"] = tuple(changes["vulnerabilities"])
    return await _changed(
        command,
        lambda uow: commands.update_plan(
            plan_id, changes, uow, rules, expected_revision=body.expected_revision
        ),
    )


@router.post("/{plan_id}/execution", summary="Record that the removal was carried out", responses=CONFLICT)
async def execute(
    plan_id: Identifier, body: ExecuteIn, command: Command, caller: Police, uow: Uow
) -> PlanOut:
    await visible_plan(plan_id, caller, uow)
    return await _changed(
        command,
        lambda uow: commands.execute_plan(
            plan_id,
            uow,
            use_of_force=body.use_of_force,
            restraints_used=body.restraints_used,
            incidents=body.incidents,
            executed_at=body.executed_at,
            actual=body.actual(),
        ),
    )


@router.post(
    "/{plan_id}/abort", summary="Record that the removal was started but aborted", responses=CONFLICT
)
async def abort(plan_id: Identifier, body: AbortIn, command: Command, caller: Police, uow: Uow) -> PlanOut:
    await visible_plan(plan_id, caller, uow)
    return await _changed(
        command,
        lambda uow: commands.abort_plan(
            plan_id,
            uow,
            reason=body.reason,
            at_departure=body.at_departure,
            note=body.note,
            aborted_at=body.aborted_at,
            actual=body.actual(),
        ),
    )


@router.post(
    "/{plan_id}/cancellation", summary="Cancel a removal plan before it is carried out", responses=CONFLICT
)
async def cancel(plan_id: Identifier, body: CancelIn, command: Command, caller: Police, uow: Uow) -> PlanOut:
    await visible_plan(plan_id, caller, uow)
    return await _changed(
        command, lambda uow: commands.cancel_plan(plan_id, uow, reason=body.reason, note=body.note)
    )
