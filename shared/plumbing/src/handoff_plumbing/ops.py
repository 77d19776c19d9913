"""Operator endpoints every service carries: the state of its outbox and inbox."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from handoff_plumbing.auth import Caller, require_roles

if TYPE_CHECKING:
    from handoff_plumbing.service import ServiceRuntime

router = APIRouter(prefix="/ops", tags=["operations"])
Operator = Annotated[Caller, Depends(require_roles("operator"))]


class OutboxStatus(BaseModel):
    pending: int = Field(description="Events committed but not yet acknowledged by Kafka.")
    published: int = Field(description="Events Kafka has acknowledged.")
    oldest_pending_at: datetime | None = Field(description="When the oldest pending event was written.")
    max_attempts_pending: int = Field(description="Most publish attempts of any pending event.")


class InboxStatus(BaseModel):
    consumer: str
    outcome: str
    count: int


class OpsStatus(BaseModel):
    service: str
    outbox: OutboxStatus
    inbox: list[InboxStatus]
    dead_letter_topic: str


@router.get("/status", summary="Outbox backlog and inbox outcomes (operators)")
async def status(request: Request, _caller: Operator) -> OpsStatus:
    runtime: ServiceRuntime = request.app.state.runtime
    outbox = runtime.definition.outbox
    inbox = runtime.definition.inbox
    async with runtime.sessions() as session:
        pending, oldest, attempts = (
            await session.execute(
                select(func.count(), func.min(outbox.c.created_at), func.max(outbox.c.attempts)).where(
                    outbox.c.published_at.is_(None)
                )
            )
        ).one()
        published = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_not(None))
        )
        outcomes = (
            await session.execute(
                select(inbox.c.consumer, inbox.c.outcome, func.count()).group_by(
                    inbox.c.consumer, inbox.c.outcome
                )
            )
        ).all()
    return OpsStatus(
        service=runtime.definition.name,
        outbox=OutboxStatus(
            pending=pending,
            published=published or 0,
            oldest_pending_at=oldest,
            max_attempts_pending=attempts or 0,
        ),
        inbox=[InboxStatus(consumer=c, outcome=o, count=n) for c, o, n in outcomes],
        dead_letter_topic=runtime.dead_letter_topic,
    )
