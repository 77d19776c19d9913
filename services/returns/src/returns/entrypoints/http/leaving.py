"""Departure, absconding and applications about impediments on a return case (role ``agency``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from returns import commands
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules, recording
from returns.entrypoints.http.models import AbscondingIn, DepartureIn, ImpedimentApplicationIn
from returns.entrypoints.http.views import AbscondingOut, DepartureOut, ImpedimentApplicationOut

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
