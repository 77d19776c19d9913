"""The unit of work: one database transaction that rolls back unless committed.

State changes and the events they cause are committed together: ``publish`` stages an
event for the outbox of the same transaction (the staged rows are written with one
statement just before the commit), and a commit wakes the relay.

An event that belongs to a case (``Event.case_ref()``) is published in the case's trace
(:mod:`handoff_plumbing.case_trace`): just before the rows are written, the cases of the
staged events whose trace is not known yet are looked up with one query; a case seen for
the first time gets the context its first event was published in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff_plumbing import case_trace, db, outbox
from handoff_plumbing.case_trace import CaseTrace
from handoff_plumbing.clock import Clock
from handoff_schemas import Event


class UnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox_table: Table,
        *,
        source: str,
        clock: Clock,
        topic_name: Callable[[str], str],
        on_commit: Callable[[], None] | None = None,
        max_message_bytes: int = 1_000_000,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox_table
        self._source = source
        self._topic_name = topic_name
        self._on_commit = on_commit
        self._max_message_bytes = max_message_bytes
        self.clock = clock
        self._session: AsyncSession | None = None
        self._staged: list[dict[str, Any]] = []
        self.published: list[str] = []
        self._case_traces = outbox_table.metadata.tables.get("case_traces")
        self._case_rows: list[tuple[dict[str, Any], str]] = []
        self._cases: dict[str, CaseTrace] = {}

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use 'async with uow:'")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        await self._session.connection(execution_options=db.WRITE)
        self._staged = []
        self.published = []
        self._case_rows = []
        self._cases = {}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            await session.rollback()
        finally:
            await session.close()
            # Hand the connection over fairly: the pool wakes the task waiting longest for it,
            # but a task that opens its next unit of work without awaiting anything in between
            # (a busy consumer, back-to-back requests) would take it back first, and on SQLite's
            # one connection the relay could wait for seconds. Yielding once lets the woken
            # waiter run first.
            await asyncio.sleep(0)

    async def publish(self, event: Event) -> str:
        """Stage ``event`` for this transaction's outbox; returns its CloudEvent id."""
        row = outbox.event_row(
            event, source=self._source, now=self.clock.now(), topic=self._topic_name(event.topic.name)
        )
        self._stage(row)
        case_ref = event.case_ref() if self._case_traces is not None else None
        if case_ref is not None:
            self._case_rows.append((row, case_ref))
        return str(row["event_id"])

    def know_cases(self, cases: Mapping[str, CaseTrace]) -> None:
        """Cases whose stored trace the caller already has (the consumer, for its batch)."""
        self._cases.update(cases)

    async def publish_raw(
        self,
        *,
        event_id: str,
        topic: str,
        aggregate_type: str,
        aggregate_id: str,
        event_type: str,
        payload: bytes,
        headers: Mapping[str, bytes],
    ) -> None:
        """Stage already-encoded bytes (a dead letter keeps the original message as it came)."""
        self._stage(
            outbox.raw_row(
                event_id=event_id,
                topic=topic,
                aggregate_type=aggregate_type,
                aggregate_id=aggregate_id,
                event_type=event_type,
                payload=payload,
                headers=headers,
                now=self.clock.now(),
            )
        )

    def _stage(self, row: dict[str, Any]) -> None:
        self.session  # noqa: B018  (staging outside ``async with`` is a mistake: raise now)
        size = outbox.message_size(row["payload"], row["headers"], row["aggregate_id"])
        if size > self._max_message_bytes:
            # Refused here, with the transaction, rather than parked by the relay later.
            limit = self._max_message_bytes
            raise outbox.MessageTooLarge(
                f"{row['event_type']}: {size} bytes, more than a Kafka message may be ({limit})"
            )
        self._staged.append(row)
        self.published.append(str(row["event_id"]))

    async def flush(self) -> None:
        """Write the staged outbox rows now (``commit`` does it anyway)."""
        staged, self._staged = self._staged, []
        case_rows, self._case_rows = self._case_rows, []
        if case_rows:
            await self._in_case_traces(case_rows)
        await outbox.write(self.session, self._outbox, staged)

    async def _in_case_traces(self, case_rows: list[tuple[dict[str, Any], str]]) -> None:
        """Put each case's rows in the case's trace; remember the cases seen for the first time."""
        assert self._case_traces is not None
        unknown = {ref for _, ref in case_rows if ref not in self._cases}
        if unknown:
            self._cases.update(await case_trace.recall(self.session, self._case_traces, unknown))
        first_seen: dict[str, CaseTrace] = {}
        for row, ref in case_rows:
            own = outbox.row_trace(row)
            case = self._cases.get(ref)
            if case is None:
                if own is not None:  # the case starts here: its trace is this one
                    self._cases[ref] = first_seen[ref] = own
                continue
            joined = case_trace.continue_case(case, own, name=f"case {row['event_type']}")
            if joined is not None:
                outbox.set_row_trace(row, joined)
        if first_seen:
            await case_trace.remember(self.session, self._case_traces, first_seen, now=self.clock.now())

    async def commit(self) -> None:
        await self.flush()
        await self.session.commit()
        if self.published and self._on_commit is not None:
            self._on_commit()
        self.published = []
