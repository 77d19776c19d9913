"""The inbox: which events a consumer has already taken, recorded in its own transaction."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession


class Outcome(StrEnum):
    PROCESSED = "processed"
    DEAD_LETTERED = "dead_lettered"


async def seen(session: AsyncSession, inbox: Table, *, consumer: str, event_id: str) -> bool:
    row = await session.execute(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id == event_id)
    )
    return row.first() is not None


async def record(
    session: AsyncSession,
    inbox: Table,
    *,
    consumer: str,
    event_id: str,
    event_type: str,
    topic: str,
    outcome: Outcome,
    now: datetime,
) -> None:
    """Record the event as taken; a second insert of the same id fails the transaction."""
    await session.execute(
        insert(inbox).values(
            consumer=consumer,
            event_id=event_id,
            event_type=event_type,
            topic=topic,
            outcome=outcome.value,
            received_at=now,
        )
    )
