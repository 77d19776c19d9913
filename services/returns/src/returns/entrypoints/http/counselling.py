"""Counselling meetings and re-establishment support on a return case (role ``agency``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from returns import commands
from returns.domain.counselling import CounsellingMeeting
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules, recording
from returns.entrypoints.http.models import CounsellingIn, SupportApplicationIn, SupportDecisionIn
from returns.entrypoints.http.views import CounsellingOut, SupportApplicationOut

router = APIRouter(prefix="/return-cases", tags=["return cases"])


@router.post(
    "/{return_case_id}/counselling",
    status_code=status.HTTP_201_CREATED,
    summary="Record a return counselling meeting",
    responses=recording(CounsellingOut),
)
async def record_counselling(
    return_case_id: CaseId, body: CounsellingIn, command: Command, rules: Rules, _caller: Agency
) -> CounsellingOut:
    meeting = CounsellingMeeting(
        meeting_number=body.meeting_number,
        held_on=body.held_on,
        language=body.language,
        interpreter_used=body.interpreter_used,
        stance=body.stance,
        is_last_meeting=body.is_last_meeting,
        evaluation=body.evaluation,
        notes=body.conversation_notes,
    )

    async def step(uow: UnitOfWork) -> CounsellingOut:
        outcome = await commands.record_counselling(
            uow, rules, return_case_id, commands.RecordCounselling(meeting)
        )
        return CounsellingOut.of(outcome.case, outcome.case.meeting(int(outcome.item_ref)))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/support-application",
    status_code=status.HTTP_201_CREATED,
    summary="Record an application for re-establishment support (to be decided within two weeks)",
    responses=recording(SupportApplicationOut),
)
async def apply_for_support(
    return_case_id: CaseId, body: SupportApplicationIn, command: Command, rules: Rules, _caller: Agency
) -> SupportApplicationOut:
    async def step(uow: UnitOfWork) -> SupportApplicationOut:
        outcome = await commands.apply_for_support(
            uow, rules, return_case_id, commands.ApplyForSupport(body.arrived_on)
        )
        return SupportApplicationOut.of(outcome.case, outcome.case.support_application(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/support-decision",
    status_code=status.HTTP_201_CREATED,
    summary="Record the decision on a re-establishment support application",
    responses=recording(SupportApplicationOut),
)
async def decide_support(
    return_case_id: CaseId, body: SupportDecisionIn, command: Command, rules: Rules, _caller: Agency
) -> SupportApplicationOut:
    decision = commands.DecideSupport(
        support_application_id=body.support_application_id,
        decided_on=body.decided_on,
        granted=body.granted,
        amount=body.amount,
        currency=body.currency,
    )

    async def step(uow: UnitOfWork) -> SupportApplicationOut:
        outcome = await commands.decide_support(uow, rules, return_case_id, decision)
        return SupportApplicationOut.of(outcome.case, outcome.case.support_application(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)
