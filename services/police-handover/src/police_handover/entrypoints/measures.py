"""Detention and lighter precautionary measures over HTTP (role ``police``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow, not_found
from handoff_schemas.events.police import DetentionEndReason, DetentionGround
from police_handover import commands, queries
from police_handover.domain.measures import (
    Detention,
    LighterMeasure,
    LighterMeasureEndReason,
    LighterMeasureKind,
)
from police_handover.entrypoints.common import (
    CONFLICT,
    UNPROCESSABLE,
    Page,
    PagingDep,
    Police,
    PolicyDep,
    handled,
)

router = APIRouter(tags=["detention and lighter measures"])

RequestId = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=128,
        description="Client-chosen id; repeating it returns the first order, creating and publishing "
        "nothing.",
    ),
]


class OrderDetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId = None
    enforcement_case_id: str = Field(min_length=1, max_length=64)
    facility: str = Field(min_length=1, max_length=32, description="One of the configured detention units.")
    ground: DetentionGround
    ordered_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    unaccompanied_minor_reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Required for an unaccompanied minor: why no lighter measure suffices. No personal data.",
    )


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reviewed_on: date


class EndDetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: DetentionEndReason
    ended_at: AwareDatetime | None = Field(default=None, description="Default: now.")


class DetentionOut(BaseModel):
    detention_id: str
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
    request_id: RequestId = None
    enforcement_case_id: str = Field(min_length=1, max_length=64)
    kind: LighterMeasureKind
    ordered_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    note: str | None = Field(default=None, min_length=1, max_length=500, description="No personal data.")


class EndLighterMeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: LighterMeasureEndReason
    ended_at: AwareDatetime | None = Field(default=None, description="Default: now.")


class LighterMeasureOut(BaseModel):
    measure_id: str
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
    responses={
        200: {"description": "Already ordered under this request id", "model": DetentionOut},
        **CONFLICT,
        **UNPROCESSABLE,
    },
)
async def order_detention(
    body: OrderDetentionIn, uow: Uow, _caller: Police, policy: PolicyDep, response: Response
) -> DetentionOut:
    command = commands.OrderDetention(
        enforcement_case_id=body.enforcement_case_id,
        facility=body.facility,
        ground=body.ground,
        ordered_at=body.ordered_at,
        unaccompanied_minor_reason=body.unaccompanied_minor_reason,
        request_id=body.request_id,
    )
    detention, created = await handled(commands.order_detention(command, uow, policy))
    if not created:
        response.status_code = status.HTTP_200_OK
    return DetentionOut.of(detention)


@router.get("/detentions", summary="Detentions, newest first")
async def list_detentions(
    uow: Uow,
    _caller: Police,
    page: PagingDep,
    facility: Annotated[str | None, Query(max_length=32)] = None,
    active: Annotated[bool | None, Query()] = None,
    enforcement_case_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[DetentionOut]:
    found, total = await queries.detentions(
        uow, page, facility=facility, active=active, enforcement_case_id=enforcement_case_id
    )
    return Page(items=[DetentionOut.of(d) for d in found], total=total, limit=page.limit, offset=page.offset)


@router.get("/detentions/{detention_id}", summary="One detention")
async def get_detention(detention_id: str, uow: Uow, _caller: Police) -> DetentionOut:
    detention = await queries.detention(detention_id, uow)
    if detention is None:
        raise not_found("detention", detention_id)
    return DetentionOut.of(detention)


@router.post(
    "/detentions/{detention_id}/reviews",
    summary="Record a review; the next one falls due",
    responses=CONFLICT,
)
async def review_detention(
    detention_id: str, body: ReviewIn, uow: Uow, _caller: Police, policy: PolicyDep
) -> DetentionOut:
    return DetentionOut.of(
        await handled(commands.review_detention(detention_id, body.reviewed_on, uow, policy))
    )


@router.post("/detentions/{detention_id}/end", summary="End a detention", responses=CONFLICT)
async def end_detention(detention_id: str, body: EndDetentionIn, uow: Uow, _caller: Police) -> DetentionOut:
    return DetentionOut.of(
        await handled(commands.end_detention(detention_id, uow, reason=body.reason, ended_at=body.ended_at))
    )


# --------------------------------------------------------------------------- lighter measures


@router.post(
    "/lighter-measures",
    status_code=status.HTTP_201_CREATED,
    summary="Order a lighter measure: reporting duty, passport, residence requirement, guarantee",
    responses={
        200: {"description": "Already ordered under this request id", "model": LighterMeasureOut},
        **CONFLICT,
    },
)
async def order_lighter_measure(
    body: OrderLighterMeasureIn, uow: Uow, _caller: Police, response: Response
) -> LighterMeasureOut:
    command = commands.OrderLighterMeasure(
        enforcement_case_id=body.enforcement_case_id,
        kind=body.kind,
        ordered_at=body.ordered_at,
        note=body.note,
        request_id=body.request_id,
    )
    measure, created = await handled(commands.order_lighter_measure(command, uow))
    if not created:
        response.status_code = status.HTTP_200_OK
    return LighterMeasureOut.of(measure)


@router.get("/lighter-measures", summary="Lighter measures, newest first")
async def list_lighter_measures(
    uow: Uow,
    _caller: Police,
    page: PagingDep,
    enforcement_case_id: Annotated[str | None, Query(max_length=64)] = None,
    active: Annotated[bool | None, Query()] = None,
) -> Page[LighterMeasureOut]:
    found, total = await queries.lighter_measures(
        uow, page, enforcement_case_id=enforcement_case_id, active=active
    )
    return Page(
        items=[LighterMeasureOut.of(m) for m in found], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/lighter-measures/{measure_id}", summary="One lighter measure")
async def get_lighter_measure(measure_id: str, uow: Uow, _caller: Police) -> LighterMeasureOut:
    measure = await queries.lighter_measure(measure_id, uow)
    if measure is None:
        raise not_found("lighter measure", measure_id)
    return LighterMeasureOut.of(measure)


@router.post("/lighter-measures/{measure_id}/end", summary="End a lighter measure", responses=CONFLICT)
async def end_lighter_measure(
    measure_id: str, body: EndLighterMeasureIn, uow: Uow, _caller: Police
) -> LighterMeasureOut:
    return LighterMeasureOut.of(
        await handled(
            commands.end_lighter_measure(measure_id, uow, reason=body.reason, ended_at=body.ended_at)
        )
    )
