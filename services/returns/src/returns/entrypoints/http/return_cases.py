"""Return cases over HTTP, for the Migration Agency's systems (role ``agency``): reading them and
assigning their unit. What is recorded on a case has a module per seam beside this one.

A POST that creates something answers 201 with what it created; repeated with the same
``request_id`` and body it answers 200 with the first answer and creates and publishes
nothing. Every error is a problem (RFC 9457): a 422 naming the field, a 404 for an unknown
case, a 409 whose ``reason`` names why the case's state does not allow the command.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command
from handoff_plumbing.http.paging import PagingQuery
from handoff_plumbing.http.types import Identifier
from handoff_plumbing.uow import UnitOfWork
from returns import commands, queries
from returns.domain.case_state import CaseStatus
from returns.domain.targets import Target
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules
from returns.entrypoints.http.models import Text64, UnitIn
from returns.entrypoints.http.views import ReturnCaseOut, ReturnCasePageOut, ReturnCaseSummaryOut

router = APIRouter(prefix="/return-cases", tags=["return cases"])


@router.get("", summary="Return cases, a page at a time, with the total")
async def list_cases(
    uow: Uow,
    rules: Rules,
    paging: PagingQuery,
    _caller: Agency,
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    unit: Annotated[Text64 | None, Query()] = None,
    overdue: Annotated[Target | None, Query(description="Only cases overdue for this target today.")] = None,
    application_id: Annotated[Identifier | None, Query()] = None,
) -> ReturnCasePageOut:
    page = await queries.list_cases(
        uow, rules, paging, status=status_, unit=unit, overdue=overdue, application_id=application_id
    )
    return ReturnCasePageOut(
        items=[ReturnCaseSummaryOut.of(case, page.as_of) for case in page.cases],
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        as_of=page.as_of,
    )


@router.get(
    "/{return_case_id}",
    summary="One return case with its deadlines, what is overdue, and everything recorded on it",
    responses={404: {"description": "No such return case"}},
)
async def get_case(return_case_id: CaseId, uow: Uow, rules: Rules, _caller: Agency) -> ReturnCaseOut:
    view = await queries.get_case(uow, rules, return_case_id)
    return ReturnCaseOut.of(view.case, view.dossier, view.today)


@router.patch(
    "/{return_case_id}",
    summary="Set the Agency unit handling the case",
    responses={404: {"description": "No such return case"}},
)
async def assign_unit(
    return_case_id: CaseId, body: UnitIn, command: Command, rules: Rules, _caller: Agency
) -> ReturnCaseOut:
    async def step(uow: UnitOfWork) -> ReturnCaseOut:
        await commands.assign_unit(uow, rules, return_case_id, body.unit)
        view = await queries.case_view(uow, rules, return_case_id)
        return ReturnCaseOut.of(view.case, view.dossier, view.today)

    return await command.run(step)
