"""Operator endpoints every service carries: its outbox, inbox, relay, parked rows, dead letters.

Everything here needs the ``operator`` role. What operators may change (release or drop a
parked row, re-drive a dead letter) is explained in :mod:`handoff_plumbing.operator_actions`.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import case, func, select, update

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.types import Identifier, Text
from handoff_plumbing.logs import RedactPersonalData
from handoff_plumbing.operator_actions import RedriveRecord, record_action
from handoff_plumbing.outbox import decode_header_list

if TYPE_CHECKING:
    from handoff_plumbing.service import ServiceRuntime

router = APIRouter(prefix="/ops", tags=["operations"])
Operator = Annotated[Caller, Depends(require_roles("operator"))]
_REDACT = RedactPersonalData()


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


# --------------------------------------------------------------------------- status


class OutboxStatus(BaseModel):
    pending: int = Field(
        description="Events committed but not yet acknowledged by Kafka (parked ones aside)."
    )
    published: int = Field(description="Events Kafka has acknowledged (still within the outbox's retention).")
    parked: int = Field(description="Events Kafka refused for good, each holding back its own aggregate.")
    oldest_pending_at: datetime | None = Field(description="When the oldest pending event was written.")
    max_attempts_pending: int = Field(description="Most publish attempts of any pending event.")
    last_error: str | None = Field(description="The error of the pending or parked event tried most often.")


class RelayStatus(BaseModel):
    leading: bool = Field(description="Whether this replica's relay is the one publishing.")
    published: int = Field(description="Events this replica's relay published since it started.")
    failures: int = Field(description="Relay passes that failed (Kafka or the database away).")
    consecutive_failures: int


class InboxStatus(BaseModel):
    consumer: str
    outcome: str
    count: int


class OpsStatus(BaseModel):
    service: str
    outbox: OutboxStatus
    relay: RelayStatus
    inbox: list[InboxStatus]
    dead_letters: int = Field(description="Dead letters not yet re-driven.")
    dead_letter_topic: str


@router.get("/status", summary="Outbox backlog, relay, inbox outcomes and dead letters (operators)")
async def ops_status(request: Request, _caller: Operator) -> OpsStatus:
    runtime = _runtime(request)
    outbox, inbox, dead = runtime.definition.outbox, runtime.definition.inbox, runtime.dead_letters
    c = outbox.c
    waiting = c.published_at.is_(None) & c.dropped_at.is_(None)
    pending_rows = waiting & c.parked_at.is_(None)

    def count_of(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    async with runtime.sessions() as session:
        # One statement, so the counts are of one moment (the relay marks rows meanwhile).
        pending, published, parked, oldest, attempts = (
            await session.execute(
                select(
                    count_of(pending_rows),
                    count_of(c.published_at.is_not(None)),
                    count_of(waiting & c.parked_at.is_not(None)),
                    func.min(case((pending_rows, c.created_at))),
                    func.max(case((pending_rows, c.attempts))),
                )
            )
        ).one()
        last_error = await session.scalar(
            select(c.last_error)
            .where(waiting, c.last_error.is_not(None))
            .order_by(c.attempts.desc(), c.position)
            .limit(1)
        )
        outcomes = (
            await session.execute(
                select(inbox.c.consumer, inbox.c.outcome, func.count()).group_by(
                    inbox.c.consumer, inbox.c.outcome
                )
            )
        ).all()
        dead_letters = await session.scalar(select(func.count()).where(dead.c.redriven_at.is_(None)))
    stats = runtime.relay.stats
    return OpsStatus(
        service=runtime.definition.name,
        outbox=OutboxStatus(
            pending=pending,
            published=published or 0,
            parked=parked or 0,
            oldest_pending_at=oldest,
            max_attempts_pending=attempts or 0,
            last_error=last_error,
        ),
        relay=RelayStatus(
            leading=stats.leading,
            published=stats.published,
            failures=stats.failures,
            consecutive_failures=stats.consecutive_failures,
        ),
        inbox=[InboxStatus(consumer=c, outcome=o, count=n) for c, o, n in outcomes],
        dead_letters=dead_letters or 0,
        dead_letter_topic=runtime.dead_letter_topic,
    )


# --------------------------------------------------------------------------- parked outbox rows


class ParkedRow(BaseModel):
    event_id: str
    topic: str
    aggregate_id: str = Field(description="The Kafka key: this aggregate's later events wait behind it.")
    event_type: str
    attempts: int
    last_error: str | None
    created_at: datetime
    parked_at: datetime
    held_back: int = Field(description="Later events of the same aggregate waiting behind this one.")


class OperatorAct(BaseModel):
    reason: Annotated[str, Text(min_length=3, max_length=2000, multiline=True)] = Field(
        description="Why: kept with the record of the act."
    )


class ActDone(BaseModel):
    action_id: str
    action: str
    target: str


@router.get("/outbox/parked", summary="Events Kafka refused for good (operators)")
async def parked_rows(request: Request, _caller: Operator) -> list[ParkedRow]:
    runtime = _runtime(request)
    c = runtime.definition.outbox.c
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(runtime.definition.outbox)
                .where(c.parked_at.is_not(None), c.published_at.is_(None), c.dropped_at.is_(None))
                .order_by(c.position)
                .limit(1000)
            )
        ).all()
        found = []
        for row in rows:
            held = await session.scalar(
                select(func.count()).where(
                    c.topic == row.topic,
                    c.aggregate_id == row.aggregate_id,
                    c.position > row.position,
                    c.published_at.is_(None),
                    c.dropped_at.is_(None),
                )
            )
            found.append(
                ParkedRow(
                    event_id=row.event_id,
                    topic=row.topic,
                    aggregate_id=row.aggregate_id,
                    event_type=row.event_type,
                    attempts=row.attempts,
                    last_error=row.last_error,
                    created_at=row.created_at,
                    parked_at=row.parked_at,
                    held_back=held or 0,
                )
            )
    return found


@router.post(
    "/outbox/parked/{event_id}/release", summary="Let the relay try a parked event again (operators)"
)
async def release_parked(
    event_id: Identifier, body: OperatorAct, request: Request, caller: Operator
) -> ActDone:
    return await _unpark(request, caller, event_id, body.reason, action="outbox.release")


@router.post("/outbox/parked/{event_id}/drop", summary="Never publish a parked event (operators)")
async def drop_parked(event_id: Identifier, body: OperatorAct, request: Request, caller: Operator) -> ActDone:
    return await _unpark(request, caller, event_id, body.reason, action="outbox.drop")


async def _unpark(request: Request, caller: Caller, event_id: str, reason: str, *, action: str) -> ActDone:
    runtime = _runtime(request)
    outbox = runtime.definition.outbox
    c = outbox.c
    now = runtime.clock.now()
    values: dict[str, Any] = {"parked_at": None}
    if action == "outbox.drop":
        values["dropped_at"] = now
    async with runtime.uow() as uow:
        row = (
            await uow.session.execute(
                select(c.topic, c.aggregate_id, c.event_type, c.last_error).where(
                    c.event_id == event_id, c.parked_at.is_not(None), c.published_at.is_(None)
                )
            )
        ).first()
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no parked event {event_id!r}")
        await uow.session.execute(update(outbox).where(c.event_id == event_id).values(**values))
        action_id = await record_action(
            uow.session,
            runtime.operator_actions,
            actor=caller.subject,
            action=action,
            target=event_id,
            reason=reason,
            detail={
                "topic": row.topic,
                "key": row.aggregate_id,
                "event_type": row.event_type,
                "error": row.last_error,
            },
            now=now,
        )
        await uow.commit()
    runtime.relay.notify()
    return ActDone(action_id=action_id, action=action, target=event_id)


# --------------------------------------------------------------------------- dead letters


class DeadLetterSummary(BaseModel):
    dead_letter_id: str
    consumer: str
    topic: str
    partition: int
    offset: int
    event_id: str | None
    event_type: str
    error_type: str
    error_message: str
    attempts: int
    dead_lettered_at: datetime
    redriven_at: datetime | None
    redriven_by: str | None
    redrive_outcome: str | None = None


class DeadLetterDetail(DeadLetterSummary):
    key: str | None
    headers: dict[str, str] = Field(description="Original headers; values that are not UTF-8 as 'base64:…'.")
    payload: Any = Field(description="The payload as JSON (personal data redacted), or text, or 'base64:…'.")
    payload_bytes: int
    redrive_reason: str | None


class DeadLetterPage(BaseModel):
    items: list[DeadLetterSummary]
    total: int
    limit: int
    offset: int


@router.get("/dead-letters", summary="Records the service's consumers could not take (operators)")
async def dead_letters(
    request: Request,
    _caller: Operator,
    consumer: str | None = None,
    redriven: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DeadLetterPage:
    runtime = _runtime(request)
    c = runtime.dead_letters.c
    conditions = []
    if consumer is not None:
        conditions.append(c.consumer == consumer)
    if redriven is not None:
        conditions.append(c.redriven_at.is_not(None) if redriven else c.redriven_at.is_(None))
    async with runtime.sessions() as session:
        total = await session.scalar(
            select(func.count()).select_from(runtime.dead_letters).where(*conditions)
        )
        rows = (
            await session.execute(
                select(runtime.dead_letters)
                .where(*conditions)
                .order_by(c.dead_lettered_at.desc(), c.dead_letter_id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
    return DeadLetterPage(items=[_summary(r) for r in rows], total=total or 0, limit=limit, offset=offset)


@router.get("/dead-letters/{dead_letter_id}", summary="One dead letter, whole (operators)")
async def dead_letter(dead_letter_id: Identifier, request: Request, _caller: Operator) -> DeadLetterDetail:
    runtime = _runtime(request)
    row = await _dead_letter_row(runtime, dead_letter_id)
    headers = decode_header_list(row.headers)
    return DeadLetterDetail(
        **_summary(row).model_dump(),
        key=row.key.decode(errors="replace") if row.key is not None else None,
        headers={name: _shown(value) for name, value in headers},
        payload=_payload(row.payload),
        payload_bytes=len(row.payload),
        redrive_reason=row.redrive_reason,
    )


@router.post(
    "/dead-letters/{dead_letter_id}/redrive",
    summary="Hand a dead letter to its consumer again, once its cause is fixed (operators)",
)
async def redrive(
    dead_letter_id: Identifier, body: OperatorAct, request: Request, caller: Operator
) -> DeadLetterSummary:
    runtime = _runtime(request)
    row = await _dead_letter_row(runtime, dead_letter_id)
    if row.redriven_at is not None:
        when, who = row.redriven_at.isoformat(), row.redriven_by
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"dead letter {dead_letter_id!r} was re-driven at {when} by {who}",
        )
    consumer = next((c for c in runtime.consumers if c.name == row.consumer), None)
    if consumer is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"this service has no consumer {row.consumer!r} now"
        )
    record = RedriveRecord(
        topic=row.topic,
        partition=row.partition,
        offset=row.offset,
        key=row.key,
        value=row.payload,
        headers=decode_header_list(row.headers),
        position_id=f"redrive:{dead_letter_id}",
    )
    [outcome] = await consumer.process_batch([record])
    table = runtime.dead_letters
    now = runtime.clock.now()
    async with runtime.uow() as uow:
        done = await uow.session.execute(
            update(table)
            .where(table.c.dead_letter_id == dead_letter_id, table.c.redriven_at.is_(None))
            .values(redriven_at=now, redriven_by=caller.subject, redrive_reason=body.reason)
        )
        if getattr(done, "rowcount", 1) == 0:
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail=f"dead letter {dead_letter_id!r} was re-driven meanwhile"
            )
        await record_action(
            uow.session,
            runtime.operator_actions,
            actor=caller.subject,
            action="dead-letter.redrive",
            target=dead_letter_id,
            reason=body.reason,
            detail={"consumer": row.consumer, "event_id": row.event_id, "outcome": outcome.value},
            now=now,
        )
        await uow.commit()
    return _summary(await _dead_letter_row(runtime, dead_letter_id)).model_copy(
        update={"redrive_outcome": outcome.value}
    )


async def _dead_letter_row(runtime: ServiceRuntime, dead_letter_id: str) -> Any:
    async with runtime.sessions() as session:
        row = (
            await session.execute(
                select(runtime.dead_letters).where(runtime.dead_letters.c.dead_letter_id == dead_letter_id)
            )
        ).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no dead letter {dead_letter_id!r}")
    return row


def _summary(row: Any) -> DeadLetterSummary:
    return DeadLetterSummary(
        dead_letter_id=row.dead_letter_id,
        consumer=row.consumer,
        topic=row.topic,
        partition=row.partition,
        offset=row.offset,
        event_id=row.event_id,
        event_type=row.event_type,
        error_type=row.error_type,
        error_message=row.error_message,
        attempts=row.attempts,
        dead_lettered_at=row.dead_lettered_at,
        redriven_at=row.redriven_at,
        redriven_by=row.redriven_by,
    )


def _shown(value: bytes) -> str:
    try:
        return value.decode()
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(value).decode("ascii")


def _payload(payload: bytes) -> Any:
    """JSON with every personal-data field redacted; otherwise text or base64."""
    try:
        return _REDACT._clean("", json.loads(payload))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _shown(payload)
