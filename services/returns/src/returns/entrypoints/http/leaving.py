"""Departure, absconding and applications about impediments on a return case (role ``agency``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from returns import commands
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules, recording
from returns.entrypoints.http.models import (
    AbscondingIn,
    DepartureIn,
    ImpedimentApplicationIn,
    ImpedimentDecisionIn,
    ReopeningIn,
)
from returns.entrypoints.http.views import AbscondingOut, DepartureOut, ImpedimentApplicationOut, ReopenedOut

router = APIRouter(prefix="/return-cases", tags=["return cases"])


@router.post(
    "/{return_case_id}/departure",
    status_code=status.HTTP_201_CREATED,
    summary="Record the voluntary departure: the case is completed and closed",
    responses=recording(DepartureOut),
)
async def record_departure(
    return_case_id: CaseId, body: DepartureIn, command: Command, rules: Rules, _caller: Agency
) -> DepartureOut:
    async def step(uow: UnitOfWork) -> DepartureOut:
        outcome = await commands.record_departure(
            uow, rules, return_case_id, commands.RecordDeparture(body.departed_on, body.destination_country)
        )
        case = outcome.case
        assert case.departed_on is not None
        return DepartureOut(
            return_case_id=case.return_case_id,
            status=case.status,
            departed_on=case.departed_on,
            destination_country=body.destination_country or case.destination_country,
        )

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/absconding",
    status_code=status.HTTP_201_CREATED,
    summary="Record that the person absconded (the published event names a coarse code only)",
    responses=recording(AbscondingOut),
)
async def record_absconding(
    return_case_id: CaseId, body: AbscondingIn, command: Command, rules: Rules, _caller: Agency
) -> AbscondingOut:
    absconding = commands.RecordAbsconding(
        noticed_on=body.noticed_on,
        whereabouts_code=body.whereabouts_code,
        last_known_address=body.last_known_address.to_domain() if body.last_known_address else None,
    )

    async def step(uow: UnitOfWork) -> AbscondingOut:
        outcome = await commands.record_absconding(uow, rules, return_case_id, absconding)
        return AbscondingOut.of(outcome.case)

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/impediment-application",
    status_code=status.HTTP_201_CREATED,
    summary="Record an application about impediments to enforcement (it stops nothing)",
    responses=recording(ImpedimentApplicationOut),
)
async def record_impediment_application(
    return_case_id: CaseId, body: ImpedimentApplicationIn, command: Command, rules: Rules, _caller: Agency
) -> ImpedimentApplicationOut:
    async def step(uow: UnitOfWork) -> ImpedimentApplicationOut:
        outcome = await commands.record_impediment_application(
            uow, rules, return_case_id, commands.RecordImpedimentApplication(body.lodged_on)
        )
        return ImpedimentApplicationOut.of(
            outcome.case, outcome.case.impediment_application(outcome.item_ref)
        )

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/impediment-applications/{impediment_application_id}/decision",
    summary="Record the decision on an impediment application (a permit or new examination closes the case)",
    responses=recording(ImpedimentApplicationOut),
)
async def decide_impediment_application(
    return_case_id: CaseId,
    impediment_application_id: Annotated[str, Path(max_length=64)],
    body: ImpedimentDecisionIn,
    command: Command,
    rules: Rules,
    _caller: Agency,
) -> ImpedimentApplicationOut:
    decision = commands.DecideImpedimentApplication(
        impediment_application_id=impediment_application_id,
        decided_on=body.decided_on,
        outcome=body.outcome,
        inhibition_ordered=body.inhibition_ordered,
    )

    async def step(uow: UnitOfWork) -> ImpedimentApplicationOut:
        outcome = await commands.decide_impediment_application(uow, rules, return_case_id, decision)
        return ImpedimentApplicationOut.of(
            outcome.case, outcome.case.impediment_application(outcome.item_ref)
        )

    return await command.run(step)


@router.post(
    "/{return_case_id}/reopening",
    summary="Open a closed case again, with the reason (409 unless it was closed for that reason)",
    responses=recording(ReopenedOut),
)
async def reopen(
    return_case_id: CaseId, body: ReopeningIn, command: Command, rules: Rules, _caller: Agency
) -> ReopenedOut:
    async def step(uow: UnitOfWork) -> ReopenedOut:
        outcome = await commands.reopen(
            uow, rules, return_case_id, commands.Reopen(reason=body.reason, reopened_on=body.reopened_on)
        )
        return ReopenedOut(
            return_case_id=outcome.case.return_case_id,
            status=outcome.case.status,
            reopened_on=body.reopened_on,
            reason=body.reason,
        )

    return await command.run(step)
