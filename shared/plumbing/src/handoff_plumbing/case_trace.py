"""Case traces: one trace per case, from the agency's first request to the monitor's notice.

A case's events are caused by several people's requests at several services: the agency
lodges the application at intake, a returns officer hands the case over, a Police officer
plans the removal, the monitor is noticed of the plan. Left alone, each request starts a
trace of its own, and no trace runs from the application to the notice.

So every service keeps, per case (the event's ``case_ref()``, the pseudonymous
``person_ref``: see ``handoff_schemas.base.CASE_FIELD``), the trace context it first
learned the case under, in its ``case_traces`` table:

* the consumer records the context of every handled event's record for a case it did not
  know (one insert-if-absent statement for the batch);
* the unit of work records the context of the first event it publishes for a case it did
  not know (the agency's ``POST /applications`` creates the case: its request's trace is
  the case's trace).

When the unit of work publishes an event for a case whose trace is known and the event is
being published in another trace (an officer's later request, a timer), the outbox row's
``traceparent`` is a short ``case <event type>`` span started as a child of the case's
stored context, with an OpenTelemetry *link* to the span that published it: the relay
publishes the event in the case's trace, every consumer continues it, and the officer's
request stays findable through the link. An event published in the case's trace already
(a consumer reacting to the case's own events) is left as it is: no extra span.

Zipkin drops links, so the two traces also name each other in tags: the case span's
``handoff.linked.trace_id`` (and ``.span_id``) is the publishing span's, and the publishing
request's current span gets ``handoff.case.trace_id``.

The headers stay valid W3C trace context: only a context that the W3C propagator accepts
is stored, and the rewritten ``traceparent`` is injected from a span of this process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanContext, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

tracer = trace.get_tracer("handoff.case_trace")
# Tags that join the two traces both ways, for backends without links (Zipkin): the case
# span names the trace it was published from, the publishing request's span the case's trace.
LINKED_TRACE = "handoff.linked.trace_id"
LINKED_SPAN = "handoff.linked.span_id"
CASE_TRACE = "handoff.case.trace_id"
MAX_TRACESTATE = 512  # W3C: vendors must propagate at least 512 characters; the column holds that
_W3C = TraceContextTextMapPropagator()


@dataclass(frozen=True)
class CaseTrace:
    """A W3C trace context, as headers carry it.

    Built with :meth:`parse` from what came from elsewhere (a record's headers), which the
    W3C propagator must accept; directly from what is valid already (a context this
    process injected, or one stored after parsing), which costs nothing on the hot path.
    """

    traceparent: str
    tracestate: str | None = None

    @property
    def trace_hex(self) -> str:
        """The trace id as the ``traceparent`` writes it (``version-trace-span-flags``)."""
        return self.traceparent.split("-", 2)[1]

    @classmethod
    def parse(cls, carrier: Mapping[str, str]) -> CaseTrace | None:
        """The context in ``carrier`` if the W3C propagator accepts it, else None."""
        traceparent = carrier.get("traceparent")
        if not traceparent:
            return None
        context = span_context(_W3C.extract(carrier))
        if context is None:
            return None
        state = carrier.get("tracestate")
        keep = state and context.trace_state and len(state) <= MAX_TRACESTATE
        return cls(traceparent, state if keep else None)

    def carrier(self) -> dict[str, str]:
        carried = {"traceparent": self.traceparent}
        if self.tracestate:
            carried["tracestate"] = self.tracestate
        return carried

    def span_context(self) -> SpanContext | None:
        return span_context(_W3C.extract(self.carrier()))


def span_context(context: Context) -> SpanContext | None:
    found = trace.get_current_span(context).get_span_context()
    return found if found.is_valid else None


def continue_case(case: CaseTrace, own: CaseTrace | None, *, name: str) -> CaseTrace | None:
    """The context to publish in: a short span of the case's trace, linked to ``own``.

    None when ``own`` is in the case's trace already (nothing to change), or when the
    stored context is not valid any more (the event then goes out in its own trace).
    """
    if own is not None and own.trace_hex == case.trace_hex:
        return None  # the common case, decided without parsing anything
    parent = case.span_context()
    if parent is None:
        return None
    here = own.span_context() if own is not None else None
    attributes: dict[str, str] = {}
    if here is not None:  # kept as tags by backends that drop links (Zipkin)
        attributes = {LINKED_TRACE: format(here.trace_id, "032x"), LINKED_SPAN: format(here.span_id, "016x")}
    span = tracer.start_span(
        name,
        context=trace.set_span_in_context(trace.NonRecordingSpan(parent)),
        kind=SpanKind.INTERNAL,
        attributes=attributes,
        links=[Link(here)] if here is not None else None,
    )
    span.end()
    current = trace.get_current_span()  # the request publishing it, when it is current
    if here is not None and current.is_recording() and current.get_span_context().trace_id == here.trace_id:
        current.set_attribute(CASE_TRACE, format(parent.trace_id, "032x"))
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=trace.set_span_in_context(span, Context()))
    return CaseTrace.parse(carrier)


async def recall(session: AsyncSession, table: Table, refs: Iterable[str]) -> dict[str, CaseTrace]:
    """The stored context of each of ``refs`` that has one: one query."""
    wanted = set(refs)
    if not wanted:
        return {}
    rows = await session.execute(
        select(table.c.case_ref, table.c.traceparent, table.c.tracestate).where(table.c.case_ref.in_(wanted))
    )
    return {ref: CaseTrace(parent, state) for ref, parent, state in rows}


async def remember(
    session: AsyncSession, table: Table, cases: Mapping[str, CaseTrace], *, now: datetime
) -> set[str]:
    """Store each case's context unless the case has one already: one statement.

    Returns the cases stored now (a case stored before, or by a concurrent transaction,
    keeps the context it has).
    """
    if not cases:
        return set()
    rows: list[dict[str, Any]] = [
        {"case_ref": ref, "traceparent": case.traceparent, "tracestate": case.tracestate, "first_seen": now}
        for ref, case in cases.items()
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).on_conflict_do_nothing(index_elements=["case_ref"]).returning(table.c.case_ref)
    # One statement, compiled once and cached: SQLAlchemy sends the rows as one multi-row
    # INSERT ("insertmanyvalues", in pages of a thousand) and gathers what each returned.
    result = await session.execute(statement, rows)
    return set(result.scalars())
