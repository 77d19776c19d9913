"""Returns' test fixtures: a clock that stands still, the upstream events of one person's story,
returns on a real database driven through its consumers without Kafka, and Kafka messages."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import produce
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_plumbing.clock import FixedClock
from handoff_plumbing.consumer import Result
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas import Event, attributes_for, encode
from handoff_schemas.events.common import IdentityCategory, IdentityDocumentKind, RemovalOrderKind, Sex
from handoff_schemas.events.identity import IdentityDocument, PersonIdentity
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionEnforceableV1,
    DecisionMadeV1,
    DecisionOutcome,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
    Vulnerability,
)
from handoff_schemas.events.police import (
    HandoverAcceptedV1,
    HandoverRejectedV1,
    MissingItem,
    MissingItemProblem,
)
from returns.adapters import orm
from returns.bootstrap import ReturnsSettings, build

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
TODAY = NOW.date()
NAME = "Amina Testperson"
DOCUMENT_NUMBER = "X0000001"
STREET = "Storgatan 12 B"


@dataclass
class Story:
    """The upstream events of one person's case: intake's, then the Police's answers."""

    application_id: str = field(default_factory=lambda: f"APP-{uuid.uuid4().hex[:8]}")
    person_ref: str = field(default_factory=lambda: f"P-{uuid.uuid4().hex[:8]}")
    decision_id: str = field(default_factory=lambda: f"DEC-{uuid.uuid4().hex[:8]}")

    def registered(self, *vulnerabilities: Vulnerability) -> ApplicationRegisteredV1:
        return ApplicationRegisteredV1(
            application_id=self.application_id,
            person_ref=self.person_ref,
            lodged_on=date(2026, 6, 1),
            dublin_case=False,
            identity_category=IdentityCategory.DOCUMENTED,
            vulnerabilities=list(vulnerabilities),
        )

    def identity(self, *, expires_on: date | None = date(2029, 5, 31)) -> ApplicantIdentityRecordedV1:
        return ApplicantIdentityRecordedV1(
            application_id=self.application_id,
            person_ref=self.person_ref,
            identity=PersonIdentity(
                full_name=NAME,
                date_of_birth=date(1991, 4, 2),
                sex=Sex.FEMALE,
                nationality="IRQ",
                identity_category=IdentityCategory.DOCUMENTED,
                documents=[
                    IdentityDocument(
                        kind=IdentityDocumentKind.PASSPORT,
                        document_number=DOCUMENT_NUMBER,
                        issuing_country="IRQ",
                        expires_on=expires_on,
                        original_held_by_agency=True,
                    )
                ],
            ),
            recorded_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        )

    def refused(self, decided_on: date = date(2026, 10, 1)) -> DecisionMadeV1:
        return DecisionMadeV1(
            application_id=self.application_id,
            decision_id=self.decision_id,
            person_ref=self.person_ref,
            decided_on=decided_on,
            outcome=DecisionOutcome.REFUSED,
            removal_order=RemovalOrderKind.EXPULSION,
            immediate_enforcement=False,
            destination_country="IRQ",
        )

    def enforceable(
        self, on: date = date(2026, 11, 2), order: RemovalOrderKind = RemovalOrderKind.EXPULSION
    ) -> DecisionEnforceableV1:
        return DecisionEnforceableV1(
            application_id=self.application_id,
            decision_id=self.decision_id,
            person_ref=self.person_ref,
            enforceable_on=on,
            removal_order=order,
            immediate_enforcement=False,
            destination_country="IRQ",
        )

    def upstream(self) -> list[Event]:
        """Everything intake says before any return work: registered, identity, refused, enforceable."""
        return [self.registered(), self.identity(), self.refused(), self.enforceable()]

    def inhibition(self, inhibition_id: str = "INH-1", on: date = date(2026, 11, 10)) -> InhibitionOrderedV1:
        return InhibitionOrderedV1(
            application_id=self.application_id,
            inhibition_id=inhibition_id,
            decision_id=self.decision_id,
            court="MIGD-MALMO",
            ordered_on=on,
        )

    def lifted(self, inhibition_id: str = "INH-1", on: date = date(2026, 11, 20)) -> InhibitionLiftedV1:
        return InhibitionLiftedV1(
            application_id=self.application_id, inhibition_id=inhibition_id, court="MIGD-MALMO", lifted_on=on
        )

    @staticmethod
    def accepted(return_case_id: str, handover_id: str) -> HandoverAcceptedV1:
        return HandoverAcceptedV1(
            return_case_id=return_case_id,
            handover_id=handover_id,
            enforcement_case_id="EC-1",
            accepted_at=NOW,
            responsible_department="POL-SYD",
        )

    @staticmethod
    def rejected(return_case_id: str, handover_id: str) -> HandoverRejectedV1:
        return HandoverRejectedV1(
            return_case_id=return_case_id,
            handover_id=handover_id,
            rejected_at=NOW,
            missing=[
                MissingItem(
                    item="identity.documents",
                    problem=MissingItemProblem.INVALID,
                    detail="the passport's copy is unreadable",
                )
            ],
        )


def message(event: Event, *, event_id: str | None = None) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """``event`` as its producer would put it on Kafka: a CloudEvent in binary mode."""
    attributes = attributes_for(event, source="urn:test", now=datetime.now(UTC))
    headers = {**attributes.to_headers(), **({"ce_id": event_id} if event_id else {})}
    return event.aggregate_id().encode(), encode(event), [(k, v.encode()) for k, v in headers.items()]


@dataclass
class FakeRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


class Returns:
    """Returns on a real database, its consumers fed directly (no broker): the handler tier."""

    def __init__(self, runtime: ServiceRuntime, clock: FixedClock) -> None:
        self.runtime = runtime
        self.clock = clock
        assert isinstance(runtime.settings, ReturnsSettings)
        self.rules = runtime.settings.rules()
        self._offset = 0

    async def deliver(self, event: Event, *, event_id: str | None = None) -> Result:
        """Hand ``event`` to the consumer subscribed to its topic, inbox and all."""
        key, value, headers = message(event, event_id=event_id)
        consumer = next(c for c in self.runtime.consumers if event.topic.name in c.subscription.topics)
        self._offset += 1
        return await consumer.process(
            FakeRecord(event.topic.name, 0, self._offset, key, value, headers)  # type: ignore[arg-type]
        )

    async def deliver_all(self, events: list[Event]) -> None:
        for event in events:
            assert await self.deliver(event) is Result.PROCESSED

    async def case_id_for(self, application_id: str) -> str:
        async with self.runtime.sessions() as session:
            found = await session.scalar(
                select(orm.return_cases.c.return_case_id).where(
                    orm.return_cases.c.application_id == application_id
                )
            )
        assert found is not None, f"no return case for {application_id}"
        return str(found)

    async def outbox(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(topic, event type, payload) of every staged event, in order."""
        async with self.runtime.sessions() as session:
            rows = await session.execute(
                select(orm.outbox.c.topic, orm.outbox.c.event_type, orm.outbox.c.payload).order_by(
                    orm.outbox.c.position
                )
            )
            return [(topic, event_type, json.loads(payload)) for topic, event_type, payload in rows]

    async def published(self, event_type_suffix: str) -> list[dict[str, Any]]:
        return [payload for _, t, payload in await self.outbox() if t.endswith(event_type_suffix)]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def returns_db(database_url: str, clock: FixedClock) -> AsyncIterator[Returns]:
    """Returns migrated on a fresh database (SQLite, and PostgreSQL when configured); no broker."""
    settings = ReturnsSettings(database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1")
    runtime = build(settings, clock=clock)
    await runtime.prepare_database()
    try:
        yield Returns(runtime, clock)
    finally:
        await runtime.engine.dispose()


@pytest.fixture
def story() -> Callable[[], Story]:
    return Story


@pytest.fixture
def send(kafka: KafkaAccess, topic_prefix: str) -> Callable[..., Awaitable[None]]:
    """Produce events onto their topics (with this test's prefix), as intake or the Police would."""

    async def send_events(*events: Event, event_id: str | None = None) -> None:
        for event in events:
            await produce(kafka, topic_prefix + event.topic.name, [message(event, event_id=event_id)])

    return send_events


@pytest.fixture
def start_returns(
    service: Callable[..., Awaitable[tuple[ServiceRuntime, httpx.AsyncClient]]], clock: FixedClock
) -> Callable[..., Awaitable[tuple[ServiceRuntime, httpx.AsyncClient]]]:
    """Start returns in-process against the real broker, on the fixed clock."""

    async def start(**overrides: Any) -> tuple[ServiceRuntime, httpx.AsyncClient]:
        return await service(lambda settings: build(settings, clock=clock), ReturnsSettings, **overrides)

    return start
