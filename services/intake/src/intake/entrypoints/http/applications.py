"""Intake's routes for applications (role ``agency``).

Every error is a problem (RFC 9457): a 422 names the field (also for rules the domain
checks, such as dates out of order), an unknown id is a 404, and a command that does not fit
the application's state (deciding twice, enforcing a grant) a 409 saying why. POSTs that
create something take a ``request_id``: repeating the request answers 200 with the first
result and creates and publishes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from handoff_plumbing.http import Uow
from handoff_plumbing.http.audit import accessor
from handoff_plumbing.http.commands import Command, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Day, Identifier, not_after
from handoff_plumbing.uow import UnitOfWork
from intake import commands, queries
from intake.adapters.applications import ApplicationFilter
from intake.domain.decision import ApplicationStatus
from intake.entrypoints.http.dependencies import Agency, Rules
from intake.entrypoints.http.models import (
    ApplicationOut,
    DecisionIn,
    DublinTransferIn,
    EnforceabilityIn,
    InhibitionIn,
    InhibitionOut,
    LiftInhibitionIn,
    RegisterApplicationIn,
    TransferCarriedOutIn,
)

router = APIRouter(prefix="/applications", tags=["applications"])
MAX_DAYS_AHEAD = 3660
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such application"}}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The command does not fit the application's state"}
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an asylum application",
    responses=replayed(ApplicationOut),
)
async def register(
    body: RegisterApplicationIn, command: Command, rules: Rules, caller: Agency
) -> ApplicationOut:
    async def step(uow: UnitOfWork) -> ApplicationOut:
        not_after("applicant.date_of_birth", body.applicant.date_of_birth, uow.clock.now().date())
        application = await commands.register_application(
            commands.RegisterApplication(
                applicant=body.applicant.to_domain(),
                lodged_on=body.lodged_on,
                eurodac_hit=body.eurodac_hit,
                documents=[d.to_domain() for d in body.identity_documents],
                vulnerabilities=body.vulnerabilities,
                registered_by=accessor(caller),
            ),
            uow,
        )
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("", summary="Applications, filtered and paged (oldest lodged first)")
async def list_applications(
    uow: Uow,
    rules: Rules,
    paging: PagingQuery,
    _caller: Agency,
    status_: Annotated[
        ApplicationStatus | None, Query(alias="status", description="Decision status.")
    ] = None,
    dublin: Annotated[bool | None, Query(description="Dublin cases only (true) or none (false).")] = None,
    overdue: Annotated[
        bool | None, Query(description="Undecided after the decision due date (true) or not (false).")
    ] = None,
    decision_due_within_days: Annotated[
        int | None,
        Query(ge=0, le=MAX_DAYS_AHEAD, description="Undecided, decision due from today to N days ahead."),
    ] = None,
    transfer_due_within_days: Annotated[
        int | None,
        Query(ge=0, le=MAX_DAYS_AHEAD, description="Dublin transfer deadline from today to N days ahead."),
    ] = None,
) -> Page[ApplicationOut]:
    wanted = ApplicationFilter(
        status=status_,
        dublin=dublin,
        overdue=overdue,
        decision_due_within_days=decision_due_within_days,
        transfer_due_within_days=transfer_due_within_days,
    )
    found, total, today = await queries.applications(wanted, uow, rules, paging)
    return Page[ApplicationOut].of(
        [ApplicationOut.of(a, day=today, rules=rules) for a in found], total, paging
    )


@router.get("/{application_id}", summary="One application", responses=NOT_FOUND)
async def get(
    application_id: Identifier,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    on: Annotated[
        Day | None, Query(description="Judge overdue and inhibitions in force on this day (default today).")
    ] = None,
) -> ApplicationOut:
    application = await queries.application(application_id, uow)
    return ApplicationOut.of(application, day=on or uow.clock.now().date(), rules=rules)


@router.post(
    "/{application_id}/decision",
    status_code=status.HTTP_201_CREATED,
    summary="Decide: grant a residence permit, or refuse with a removal order",
    responses={**replayed(ApplicationOut), **NOT_FOUND, **CONFLICT},
)
async def decide(
    application_id: Identifier, body: DecisionIn, command: Command, rules: Rules, _caller: Agency
) -> ApplicationOut:
    async def step(uow: UnitOfWork) -> ApplicationOut:
        decide = commands.Decide(
            application_id=application_id, decided_on=body.decided_on, terms=body.terms()
        )
        application = await commands.decide(decide, uow)
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{application_id}/enforceability",
    summary="Record the date a refusal became enforceable (checked against the appeal period)",
    responses={**NOT_FOUND, **CONFLICT},
)
async def enforceability(
    application_id: Identifier, body: EnforceabilityIn, command: Command, rules: Rules, _caller: Agency
) -> ApplicationOut:
    async def step(uow: UnitOfWork) -> ApplicationOut:
        enforce = commands.MakeEnforceable(
            application_id=application_id,
            enforceable_on=body.enforceable_on,
            appeal_waived=body.appeal_waived,
            legal_force_on=body.legal_force_on,
            decided_by=body.decided_by,
        )
        application = await commands.make_enforceable(enforce, uow, rules)
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return await command.run(step)


@router.post(
    "/{application_id}/inhibitions",
    status_code=status.HTTP_201_CREATED,
    summary="Register an inhibition (a court's stay of enforcement)",
    responses={**replayed(InhibitionOut), **NOT_FOUND, **CONFLICT},
)
async def order_inhibition(
    application_id: Identifier, body: InhibitionIn, command: Command, _caller: Agency
) -> InhibitionOut:
    async def step(uow: UnitOfWork) -> InhibitionOut:
        order = commands.OrderInhibition(
            application_id=application_id, court=body.court, ordered_on=body.ordered_on
        )
        inhibition = await commands.order_inhibition(order, uow)
        return InhibitionOut.of(application_id, inhibition, uow.clock.now().date())

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{application_id}/inhibitions/{inhibition_id}/lift",
    summary="Lift an inhibition",
    responses={**NOT_FOUND, **CONFLICT},
)
async def lift_inhibition(
    application_id: Identifier,
    inhibition_id: Identifier,
    body: LiftInhibitionIn,
    command: Command,
    _caller: Agency,
) -> InhibitionOut:
    async def step(uow: UnitOfWork) -> InhibitionOut:
        lift = commands.LiftInhibition(
            application_id=application_id,
            inhibition_id=inhibition_id,
            lifted_on=body.lifted_on,
            court=body.court,
        )
        inhibition = await commands.lift_inhibition(lift, uow)
        return InhibitionOut.of(application_id, inhibition, uow.clock.now().date())

    return await command.run(step)


@router.post(
    "/{application_id}/dublin-transfer",
    summary="Record a Dublin transfer's acceptance, the receiving state and the person's status",
    responses={**NOT_FOUND, **CONFLICT},
)
async def dublin_transfer(
    application_id: Identifier, body: DublinTransferIn, command: Command, rules: Rules, _caller: Agency
) -> ApplicationOut:
    body.check()

    async def step(uow: UnitOfWork) -> ApplicationOut:
        record = commands.RecordDublinTransfer(
            application_id=application_id,
            accepted_on=body.accepted_on,
            status=body.status,
            receiving_state=body.receiving_state,
        )
        application = await commands.record_dublin_transfer(record, uow)
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return await command.run(step)


@router.post(
    "/{application_id}/dublin-transfer/carried-out",
    summary="The person was transferred: the receiving Member State is responsible from now on",
    responses={**NOT_FOUND, **CONFLICT},
)
async def transfer_carried_out(
    application_id: Identifier, body: TransferCarriedOutIn, command: Command, rules: Rules, _caller: Agency
) -> ApplicationOut:
    async def step(uow: UnitOfWork) -> ApplicationOut:
        carried_out = commands.CarryOutTransfer(
            application_id=application_id,
            transferred_on=body.transferred_on,
            receiving_state=body.receiving_state,
        )
        application = await commands.carry_out_transfer(carried_out, uow, rules)
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return await command.run(step)
