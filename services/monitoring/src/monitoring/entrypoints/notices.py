"""Notices of planned removals, upcoming removals by priority, and the monitor's decisions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from handoff_schemas.events.common import Transport
from handoff_schemas.events.monitoring import MonitoringDecision, MonitoringDecisionReason
from monitoring import commands
from monitoring.adapters.repository import NoticeFilter
from monitoring.domain.notice import NoticeStatus, Timeliness
from monitoring.entrypoints.common import (
    DOMAIN_ERRORS,
    REQUEST_ID_DESCRIPTION,
    Limit,
    Monitor,
    Offset,
    Policy,
    http_error,
)
from monitoring.policy import MonitoringPolicy
from monitoring.views import DecisionOut, NoticeOut, Page

router = APIRouter()
Department = Annotated[str | None, Query(min_length=1, max_length=32, description="Police department code.")]


def _day_start(day: date, policy: MonitoringPolicy) -> datetime:
    return datetime.combine(day, time(0), tzinfo=policy.lead_time.zone)


@router.get("/notices", tags=["notices"], summary="Notices of planned removals, newest first")
async def list_notices(
    uow: Uow,
    _caller: Monitor,
    policy: Policy,
    department: Department = None,
    status_: Annotated[NoticeStatus | None, Query(alias="status")] = None,
    timeliness: Timeliness | None = None,
    transport: Transport | None = None,
    departure_from: Annotated[
        date | None, Query(description="Planned departure on or after (local date).")
    ] = None,
    departure_to: Annotated[
        date | None, Query(description="Planned departure on or before (local date).")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[NoticeOut]:
    where = NoticeFilter(
        department=department,
        status=status_,
        timeliness=timeliness,
        transport=transport,
        departure_from=_day_start(departure_from, policy) if departure_from else None,
        departure_before=_day_start(departure_to + timedelta(days=1), policy) if departure_to else None,
    )
    items, total = await commands.list_notices(uow, where, policy, limit=limit, offset=offset)
    return Page[NoticeOut](items=items, total=total, limit=limit, offset=offset)


@router.get("/notices/{notice_id}", tags=["notices"], summary="One notice")
async def get_notice(notice_id: str, uow: Uow, _caller: Monitor, policy: Policy) -> NoticeOut:
    try:
        return await commands.get_notice(uow, notice_id, policy)
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc


@router.get(
    "/upcoming-removals", tags=["notices"], summary="Planned removals not yet departed, by priority then date"
)
async def upcoming_removals(
    uow: Uow,
    _caller: Monitor,
    policy: Policy,
    department: Department = None,
    decided: Annotated[
        bool | None, Query(description="Only removals with (true) or without (false) a decision.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[NoticeOut]:
    items, total = await commands.upcoming(
        uow, policy, decided=decided, department=department, limit=limit, offset=offset
    )
    return Page[NoticeOut](items=items, total=total, limit=limit, offset=offset)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: str | None = Field(
        default=None, min_length=1, max_length=128, description=REQUEST_ID_DESCRIPTION
    )
    decision: MonitoringDecision
    monitors: list[str] = Field(
        default_factory=list, max_length=20, description="Staff codes (e.g. MON-07); none if not monitored."
    )
    reason: MonitoringDecisionReason


@router.post(
    "/notices/{notice_id}/decisions",
    tags=["decisions"],
    status_code=status.HTTP_201_CREATED,
    summary="Decide whether to monitor a planned removal, and who monitors (sent to the Police)",
    responses={
        200: {"description": "Already decided under this request id", "model": DecisionOut},
        404: {"description": "No such notice"},
        409: {"description": "The removal is no longer planned"},
    },
)
async def decide(
    notice_id: str, body: DecisionIn, uow: Uow, caller: Monitor, response: Response
) -> DecisionOut:
    command = commands.Decide(
        notice_id=notice_id,
        decision=body.decision,
        monitors=body.monitors,
        reason=body.reason,
        decided_by=caller.subject,
        request_id=body.request_id,
    )
    try:
        decision, created = await commands.decide(uow, command)
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
    if not created:
        response.status_code = status.HTTP_200_OK
    return DecisionOut.of(decision)


@router.get("/decisions", tags=["decisions"], summary="The monitor's decisions, newest first")
async def list_decisions(
    uow: Uow,
    _caller: Monitor,
    notice_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DecisionOut]:
    items, total = await commands.list_decisions(uow, notice_id=notice_id, limit=limit, offset=offset)
    return Page[DecisionOut](
        items=[DecisionOut.of(d) for d in items], total=total, limit=limit, offset=offset
    )


@router.get("/decisions/{decision_id}", tags=["decisions"], summary="One decision")
async def get_decision(decision_id: str, uow: Uow, _caller: Monitor) -> DecisionOut:
    try:
        return DecisionOut.of(await commands.get_decision(uow, decision_id))
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
