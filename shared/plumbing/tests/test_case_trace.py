"""Case traces: what a service publishes for a case it knows goes out in the case's one trace,
whichever request or timer caused it; the consumer remembers a case it learns with one
statement per batch (on SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from opentelemetry import trace
from pydantic import Field
from sqlalchemy import MetaData, event, select

from handoff_plumbing import db
from handoff_plumbing.case_trace import CaseTrace
from handoff_plumbing.clock import SystemClock
from handoff_plumbing.consumer import EventConsumer, EventContext, Result, RetryPolicy, Subscription
from handoff_plumbing.tables import define_plumbing_tables
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import attributes_for, encode
from handoff_schemas.base import Event
from handoff_schemas.topics import Topic

pytestmark = pytest.mark.db

CASE_TOPIC = Topic(
    name="handoff.test.case-step.v1",
    aggregate="step",
    key="step_id",
    producers=("ledger",),
    consumers=("ledger",),
    personal_data=False,
    readers=frozenset({"operator"}),
    description="Test-only topic: steps of a case.",
)


class CaseStepV1(Event):
    """Test-only event: one step of a case (the case is its ``person_ref``)."""

    event_type: ClassVar[str] = "handoff.test.case-step.v1"
    topic: ClassVar[Topic] = CASE_TOPIC
    key_field: ClassVar[str] = "step_id"

    step_id: str = Field(min_length=1)
    person_ref: str = Field(min_length=1)


class CaseFollowUpV1(Event):
    """Test-only event: what a consumer publishes when it takes a step (same case)."""

    event_type: ClassVar[str] = "handoff.test.case-follow-up.v1"
    topic: ClassVar[Topic] = CASE_TOPIC
    key_field: ClassVar[str] = "step_id"

    step_id: str = Field(min_length=1)
    person_ref: str = Field(min_length=1)


METADATA = MetaData()
OUTBOX, INBOX = define_plumbing_tables(METADATA)
CASES = METADATA.tables["case_traces"]
tracer = trace.get_tracer("test.case_trace")


def step(person_ref: str) -> CaseStepV1:
    return CaseStepV1(step_id=uuid.uuid4().hex, person_ref=person_ref)


@dataclass
class Plumbing:
    engine: Any
    sessions: Any
    statements: list[str] = field(default_factory=list)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, OUTBOX, source="ledger", clock=SystemClock(), topic_name=str)

    async def traceparents(self) -> dict[str, str]:
        """Each outbox row's traceparent, by its event's step id."""
        async with self.sessions() as session:
            rows = (await session.execute(select(OUTBOX.c.aggregate_id, OUTBOX.c.headers))).all()
        return {key: base64.b64decode(headers["traceparent"]).decode() for key, headers in rows}

    async def case_traces(self) -> dict[str, str]:
        async with self.sessions() as session:
            rows = (await session.execute(select(CASES.c.case_ref, CASES.c.traceparent))).all()
        return dict(rows)  # type: ignore[arg-type]

    def case_statements(self) -> list[str]:
        return [s for s in self.statements if "case_traces" in s]


@pytest.fixture
async def plumbing(database_url: str) -> AsyncIterator[Plumbing]:
    engine = db.create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    found = Plumbing(engine, db.session_factory(engine))

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    yield found
    await engine.dispose()


def trace_id(traceparent: str) -> str:
    return traceparent.split("-")[1]


def hex_trace(span: trace.Span) -> str:
    return format(span.get_span_context().trace_id, "032x")


async def publish(plumbing: Plumbing, *events: Event) -> None:
    async with plumbing.uow() as uow:
        for one in events:
            await uow.publish(one)
        await uow.commit()


async def test_an_event_for_a_known_case_goes_out_in_the_case_trace(plumbing: Plumbing, spans) -> None:
    lodged, later, other = step("P-1"), step("P-1"), step("P-2")
    with tracer.start_as_current_span("POST /applications") as agency:  # the case starts here
        await publish(plumbing, lodged)
    with tracer.start_as_current_span("POST /removal-plans") as officer:  # another person, later
        await publish(plumbing, later, other)
    timer = step("P-1")
    await publish(plumbing, timer)  # no span at all: a timer, say

    parents = await plumbing.traceparents()
    assert trace_id(parents[lodged.step_id]) == hex_trace(agency)
    assert trace_id(parents[later.step_id]) == hex_trace(agency)  # the case's trace, not the officer's
    assert trace_id(parents[timer.step_id]) == hex_trace(agency)
    assert trace_id(parents[other.step_id]) == hex_trace(officer)  # P-2 starts with the officer
    stored = await plumbing.case_traces()
    assert {ref: trace_id(parent) for ref, parent in stored.items()} == {
        "P-1": hex_trace(agency),
        "P-2": hex_trace(officer),
    }
    for parent in parents.values():  # valid W3C, as the relay and every consumer read it
        assert CaseTrace.parse({"traceparent": parent}) is not None

    # The case span sits in the case's trace and links to the officer's request.
    case_spans = [s for s in spans.get_finished_spans() if s.name == "case handoff.test.case-step.v1"]
    assert len(case_spans) == 2  # the officer's event and the timer's; none for the first
    joined = next(s for s in case_spans if s.links)
    assert joined.context.trace_id == agency.get_span_context().trace_id
    assert joined.parent is not None
    assert [link.context.trace_id for link in joined.links] == [officer.get_span_context().trace_id]
    # ... and both traces name each other in tags (Zipkin keeps tags, not links).
    assert joined.attributes["handoff.linked.trace_id"] == hex_trace(officer)
    assert officer.attributes["handoff.case.trace_id"] == hex_trace(agency)  # type: ignore[attr-defined]
    joined_id = format(joined.context.span_id, "016x")
    assert parents[later.step_id].startswith(f"00-{hex_trace(agency)}-{joined_id}-")


@dataclass
class Record:
    """A Kafka record as the consumer reads it."""

    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    topic: str = CASE_TOPIC.name
    partition: int = 0


def record(event: Event, *, traceparent: str, offset: int) -> Record:
    attributes = attributes_for(event, source="intake", now=datetime.now(UTC))
    headers = [(k, v.encode()) for k, v in attributes.to_headers().items()]
    headers.append(("traceparent", traceparent.encode()))
    return Record(offset, event.aggregate_id().encode(), encode(event), headers)


async def test_the_consumer_remembers_a_case_with_one_statement_and_continues_its_trace(
    plumbing: Plumbing, spans
) -> None:
    async def follow_up(event: CaseStepV1, _context: EventContext, uow: UnitOfWork) -> None:
        await uow.publish(CaseFollowUpV1(step_id=f"follow-{event.step_id}", person_ref=event.person_ref))

    consumer = EventConsumer(
        Subscription(name="steps", topics=[CASE_TOPIC.name], handlers={CaseStepV1: follow_up}),
        uow_factory=plumbing.uow,
        inbox_table=INBOX,
        dead_letter_topic="dead",
        retry=RetryPolicy(max_attempts=1),
        consumer_group="steps",
        dead_letters_table=METADATA.tables["dead_letters"],
        service="ledger",
    )
    upstream = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"  # another service's trace of the case
    other = "00-" + "c" * 32 + "-" + "d" * 16 + "-01"
    first, second, third = step("P-9"), step("P-9"), step("P-8")
    plumbing.statements.clear()
    results = await consumer.process_batch(
        [
            record(first, traceparent=upstream, offset=1),
            record(second, traceparent=upstream, offset=2),
            record(third, traceparent=other, offset=3),
        ]
    )
    assert results == [Result.PROCESSED] * 3
    # Two cases learned, three events published for them: one statement on case_traces.
    assert len(plumbing.case_statements()) == 1, plumbing.case_statements()
    assert await plumbing.case_traces() == {"P-9": upstream, "P-8": other}
    parents = await plumbing.traceparents()
    assert trace_id(parents[f"follow-{first.step_id}"]) == "a" * 32
    assert trace_id(parents[f"follow-{third.step_id}"]) == "c" * 32

    # A later event of a known case in another trace (a redelivered step's sibling, say)
    # still goes out in the case's trace; the batch of one costs one insert and one lookup.
    late = "00-" + "e" * 32 + "-" + "f" * 16 + "-01"
    fourth = step("P-9")
    plumbing.statements.clear()
    await consumer.process_batch([record(fourth, traceparent=late, offset=4)])
    assert len(plumbing.case_statements()) == 2
    assert trace_id((await plumbing.traceparents())[f"follow-{fourth.step_id}"]) == "a" * 32
    assert (await plumbing.case_traces())["P-9"] == upstream  # the first context stays

    # A request at this service about the case goes out in the case's trace too.
    with tracer.start_as_current_span("POST /return-cases/{id}/handover"):
        fifth = step("P-8")
        await publish(plumbing, fifth)
    assert trace_id((await plumbing.traceparents())[fifth.step_id]) == "c" * 32
