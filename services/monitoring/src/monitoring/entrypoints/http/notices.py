"""Notices of planned removals, upcoming removals by priority, and the monitor's decisions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, RequestId, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Day, Identifier, Text
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import Transport
from handoff_schemas.events.monitoring import MonitoringDecision, MonitoringDecisionReason
from monitoring import commands, queries
from monitoring.adapters.notice_document import NoticeOut
from monitoring.adapters.notices import NoticeFilter
from monitoring.domain.notice import NoticeStatus, Timeliness
from monitoring.domain.rules import MonitoringRules
from monitoring.entrypoints.http.dependencies import DepartmentQuery, Monitor, Rules
from monitoring.entrypoints.http.views import DecisionOut

router = APIRouter()


def _day_start(day: date, rules: MonitoringRules) -> datetime:
    return datetime.combine(day, time(0), tzinfo=rules.lead_time.zone)


@router.get("/notices", tags=["notices"], summary="Notices of planned removals, newest first")
async def list_notices(
    uow: Uow,
    _caller: Monitor,
    rules: Rules,
    paging: PagingQuery,
    department: DepartmentQuery = None,
    status_: Annotated[NoticeStatus | None, Query(alias="status")] = None,
    timeliness: Timeliness | None = None,
    transport: Transport | None = None,
    departure_from: Annotated[
        Day | None, Query(description="Planned departure on or after (local date).")
    ] = None,
    departure_to: Annotated[
        Day | None, Query(description="Planned departure on or before (local date).")
    ] = None,
) -> Page[NoticeOut]:
    where = NoticeFilter(
        department=department,
        status=status_,
        timeliness=timeliness,
        transport=transport,
        departure_from=_day_start(departure_from, rules) if departure_from else None,
        departure_before=_day_start(departure_to + timedelta(days=1), rules) if departure_to else None,
    )
    files, total = await queries.notices(uow, where, rules, paging)
    return Page[NoticeOut].of([NoticeOut.of(f) for f in files], total, paging)


@router.get("/notices/{notice_id}", tags=["notices"], summary="One notice")
async def get_notice(notice_id: Identifier, uow: Uow, _caller: Monitor, rules: Rules) -> NoticeOut:
    return NoticeOut.of(await queries.notice(uow, notice_id, rules))


@router.get(
    "/upcoming-removals", tags=["notices"], summary="Planned removals not yet departed, by priority then date"
)
async def upcoming_removals(
    uow: Uow,
    _caller: Monitor,
    rules: Rules,
    paging: PagingQuery,
    department: DepartmentQuery = None,
    decided: Annotated[
        bool | None, Query(description="Only removals with (true) or without (false) a decision.")
    ] = None,
) -> Page[NoticeOut]:
    files, total = await queries.upcoming(uow, rules, paging, decided=decided, department=department)
    return Page[NoticeOut].of([NoticeOut.of(f) for f in files], total, paging)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    decision: MonitoringDecision
    monitors: list[Annotated[str, Text(max_length=32)]] = Field(
        default_factory=list, max_length=20, description="Staff codes (e.g. MON-07); none if not monitored."
    )
    reason: MonitoringDecisionReason


@router.post(
    "/notices/{notice_id}/decisions",
    tags=["decisions"],
    status_code=status.HTTP_201_CREATED,
    summary="Decide whether to monitor a planned removal, and who monitors (sent to the Police)",
    responses={
        **replayed(DecisionOut),
        404: {"description": "No such notice"},
        409: {"description": "The removal is no longer planned"},
    },
)
async def decide(notice_id: Identifier, body: DecisionIn, command: Command, caller: Monitor) -> DecisionOut:
    decide = commands.Decide(
        notice_id=notice_id,
        decision=body.decision,
        monitors=body.monitors,
        reason=body.reason,
        decided_by=caller.subject,
    )

    async def step(uow: UnitOfWork) -> DecisionOut:
        return DecisionOut.of(await commands.decide(uow, decide))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("/decisions", tags=["decisions"], summary="The monitor's decisions, newest first")
async def list_decisions(
    uow: Uow,
    _caller: Monitor,
    paging: PagingQuery,
    notice_id: Annotated[Identifier | None, Query()] = None,
) -> Page[DecisionOut]:
    items, total = await queries.decisions(uow, paging, notice_id=notice_id)
    return Page[DecisionOut].of([DecisionOut.of(d) for d in items], total, paging)


@router.get("/decisions/{decision_id}", tags=["decisions"], summary="One decision")
async def get_decision(decision_id: Identifier, uow: Uow, _caller: Monitor) -> DecisionOut:
    return DecisionOut.of(await queries.decision(uow, decision_id))
