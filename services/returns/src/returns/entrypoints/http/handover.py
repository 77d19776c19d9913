"""The handover of a return case to the Police (role ``agency``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from handoff_plumbing.http.audit import accessor
from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from returns import commands
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules, recording
from returns.entrypoints.http.models import HandoverIn
from returns.entrypoints.http.views import HandoverOut

router = APIRouter(prefix="/return-cases", tags=["return cases"])


@router.post(
    "/{return_case_id}/handover",
    status_code=status.HTTP_201_CREATED,
    summary="Hand the case over to the Police with its complete package",
    description="Refused with 409 naming the reason when the order is not enforceable, has lapsed, an "
    "inhibition is in force, or the package would be incomplete (`missing` lists what is missing). "
    "The package, with the person's identity, is published on handoff.returns.handover.v1 only, and "
    "the disclosure is recorded in the personal-data audit trail.",
    responses=recording(HandoverOut),
)
async def hand_over(
    return_case_id: CaseId, body: HandoverIn, command: Command, rules: Rules, caller: Agency
) -> HandoverOut:
    address = body.last_known_address.to_domain() if body.last_known_address else None

    async def step(uow: UnitOfWork) -> HandoverOut:
        outcome = await commands.hand_over(
            uow, rules, return_case_id, commands.HandOver(body.grounds, accessor(caller), address)
        )
        return HandoverOut.of(outcome.case, outcome.case.handover(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)
