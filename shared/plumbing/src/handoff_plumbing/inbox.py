"""The inbox: which events a consumer has already taken, recorded in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

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


async def seen_any(
    session: AsyncSession, inbox: Table, *, consumer: str, event_ids: Sequence[str]
) -> set[str]:
    """Which of ``event_ids`` the consumer has taken already: one query for a whole batch."""
    if not event_ids:
        return set()
    rows = await session.execute(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id.in_(set(event_ids)))
    )
    return set(rows.scalars())


async def record_many(session: AsyncSession, inbox: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Record a batch's events as taken with one statement (``executemany``)."""
    if rows:
        await session.execute(insert(inbox), list(rows))
