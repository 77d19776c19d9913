"""Detention and lighter precautionary measures over HTTP (role ``police``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, RequestId, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Day, Identifier, Moment, Text
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.police import DetentionEndReason, DetentionGround
from police_handover import commands, queries
from police_handover.domain.measures import (
    Detention,
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
)
from police_handover.entrypoints.http.dependencies import CONFLICT, Police, Rules

router = APIRouter(tags=["detention and lighter measures"])

Facility = Annotated[str, Text(max_length=32)]


class OrderDetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    enforcement_case_id: Identifier
    facility: Facility = Field(description="One of the configured detention units.")
    ground: DetentionGround
    ordered_at: Moment | None = Field(default=None, description="Default: now.")
    unaccompanied_minor_reason: Annotated[str, Text(max_length=1000, multiline=True)] | None = Field(
        default=None,
        description="Required for an unaccompanied minor: why no lighter measure suffices. No personal data.",
    )


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reviewed_on: Day


class EndDetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: DetentionEndReason
    ended_at: Moment | None = Field(default=None, description="Default: now.")


class DetentionOut(BaseModel):
    detention_id: Identifier
    enforcement_case_id: str
    return_case_id: str
    facility: str
    ground: DetentionGround
    ordered_at: datetime
    review_due_on: date
    reviews: list[date]
    minor: bool
    unaccompanied_minor_reason: str | None
    active: bool
    ended_at: datetime | None
    end_reason: DetentionEndReason | None

    @classmethod
    def of(cls, d: Detention) -> DetentionOut:
        return cls(
            detention_id=d.detention_id,
            enforcement_case_id=d.enforcement_case_id,
            return_case_id=d.return_case_id,
            facility=d.facility,
            ground=d.ground,
            ordered_at=d.ordered_at,
            review_due_on=d.review_due_on,
            reviews=list(d.reviews),
            minor=d.minor,
            unaccompanied_minor_reason=d.unaccompanied_minor_reason,
            active=d.active,
            ended_at=d.ended_at,
            end_reason=d.end_reason,
        )


class OrderLighterMeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    enforcement_case_id: Identifier
    kind: LighterMeasureKind
    ordered_at: Moment | None = Field(default=None, description="Default: now.")
    note: Annotated[str, Text(max_length=500)] | None = Field(default=None, description="No personal data.")


class EndLighterMeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: LighterMeasureEndReason
    ended_at: Moment | None = Field(default=None, description="Default: now.")


class LighterMeasureOut(BaseModel):
    measure_id: Identifier
    enforcement_case_id: str
    kind: LighterMeasureKind
    ordered_at: datetime
    note: str | None
    active: bool
    ended_at: datetime | None
    end_reason: LighterMeasureEndReason | None

    @classmethod
    def of(cls, m: LighterMeasure) -> LighterMeasureOut:
        return cls(
            measure_id=m.measure_id,
            enforcement_case_id=m.enforcement_case_id,
            kind=m.kind,
            ordered_at=m.ordered_at,
            note=m.note,
            active=m.active,
            ended_at=m.ended_at,
            end_reason=m.end_reason,
        )


# --------------------------------------------------------------------------- detention


@router.post(
    "/detentions",
    status_code=status.HTTP_201_CREATED,
    summary="Order detention (refused over capacity; an unaccompanied minor needs a recorded reason)",
    responses={**replayed(DetentionOut), **CONFLICT},
)
async def order_detention(
    body: OrderDetentionIn, command: Command, _caller: Police, rules: Rules
) -> DetentionOut:
    order = commands.OrderDetention(
        enforcement_case_id=body.enforcement_case_id,
        facility=body.facility,
        ground=body.ground,
        ordered_at=body.ordered_at,
        unaccompanied_minor_reason=body.unaccompanied_minor_reason,
    )

    async def step(uow: UnitOfWork) -> DetentionOut:
        return DetentionOut.of(await commands.order_detention(order, uow, rules))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("/detentions", summary="Detentions, newest first")
async def list_detentions(
    uow: Uow,
    _caller: Police,
    paging: PagingQuery,
    facility: Annotated[Facility | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
    enforcement_case_id: Annotated[Identifier | None, Query()] = None,
) -> Page[DetentionOut]:
    found, total = await queries.detentions(
        uow, paging, facility=facility, active=active, enforcement_case_id=enforcement_case_id
    )
    return Page[DetentionOut].of([DetentionOut.of(d) for d in found], total, paging)


@router.get("/detentions/{detention_id}", summary="One detention")
async def get_detention(detention_id: Identifier, uow: Uow, _caller: Police) -> DetentionOut:
    return DetentionOut.of(await queries.detention(detention_id, uow))


@router.post(
    "/detentions/{detention_id}/reviews",
    summary="Record a review; the next one falls due",
    responses=CONFLICT,
)
async def review_detention(
    detention_id: Identifier, body: ReviewIn, command: Command, _caller: Police, rules: Rules
) -> DetentionOut:
    async def step(uow: UnitOfWork) -> DetentionOut:
        return DetentionOut.of(await commands.review_detention(detention_id, body.reviewed_on, uow, rules))

    return await command.run(step)


@router.post("/detentions/{detention_id}/end", summary="End a detention", responses=CONFLICT)
async def end_detention(
    detention_id: Identifier, body: EndDetentionIn, command: Command, _caller: Police
) -> DetentionOut:
    async def step(uow: UnitOfWork) -> DetentionOut:
        ended = await commands.end_detention(detention_id, uow, reason=body.reason, ended_at=body.ended_at)
        return DetentionOut.of(ended)

    return await command.run(step)


# --------------------------------------------------------------------------- lighter measures


@router.post(
    "/lighter-measures",
    status_code=status.HTTP_201_CREATED,
    summary="Order a lighter measure: reporting duty, passport, residence requirement, guarantee",
    responses={**replayed(LighterMeasureOut), **CONFLICT},
)
async def order_lighter_measure(
    body: OrderLighterMeasureIn, command: Command, _caller: Police
) -> LighterMeasureOut:
    order = commands.OrderLighterMeasure(
        enforcement_case_id=body.enforcement_case_id,
        kind=body.kind,
        ordered_at=body.ordered_at,
        note=body.note,
    )

    async def step(uow: UnitOfWork) -> LighterMeasureOut:
        return LighterMeasureOut.of(await commands.order_lighter_measure(order, uow))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("/lighter-measures", summary="Lighter measures, newest first")
async def list_lighter_measures(
    uow: Uow,
    _caller: Police,
    paging: PagingQuery,
    enforcement_case_id: Annotated[Identifier | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
) -> Page[LighterMeasureOut]:
    found, total = await queries.lighter_measures(
        uow, paging, enforcement_case_id=enforcement_case_id, active=active
    )
    return Page[LighterMeasureOut].of([LighterMeasureOut.of(m) for m in found], total, paging)


@router.get("/lighter-measures/{measure_id}", summary="One lighter measure")
async def get_lighter_measure(measure_id: Identifier, uow: Uow, _caller: Police) -> LighterMeasureOut:
    return LighterMeasureOut.of(await queries.lighter_measure(measure_id, uow))


@router.post("/lighter-measures/{measure_id}/end", summary="End a lighter measure", responses=CONFLICT)
async def end_lighter_measure(
    measure_id: Identifier, body: EndLighterMeasureIn, command: Command, _caller: Police
) -> LighterMeasureOut:
    async def step(uow: UnitOfWork) -> LighterMeasureOut:
        ended = await commands.end_lighter_measure(
            measure_id, uow, reason=body.reason, ended_at=body.ended_at
        )
        return LighterMeasureOut.of(ended)

    return await command.run(step)
