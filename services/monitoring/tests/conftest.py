"""Monitoring's test fixtures: Police events built from the committed examples, a way to feed
them through the real consumer (with or without the broker), and the service itself."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from handoff_devtools.testing import direct
from handoff_devtools.testing.helpers import auth, produce
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_plumbing.clock import Clock, FixedClock
from handoff_plumbing.consumer import Result
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas import Event
from handoff_schemas.events.police import (
    DetentionEndedV1,
    DetentionOrderedV1,
    HandoverAcceptedV1,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
    RemovalPlanUpdatedV1,
)
from monitoring.adapters.notices import NoticeRepository
from monitoring.bootstrap import MonitoringRuntime, MonitoringSettings, build

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "examples"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, noon in Helsinki
IN_GOOD_TIME = "2026-12-15T06:40:00+02:00"  # 16 working days after NOW

POLICE_SOURCE = "urn:police:test"
FAST = {
    "webhook_poll_seconds": 0.05,
    "webhook_backoff_initial_seconds": 0.05,
    "webhook_backoff_max_seconds": 0.2,
    "webhook_timeout_seconds": 2.0,
}


def example(event_type: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / f"{event_type}.json").read_text(encoding="utf-8"))
    data: dict[str, Any] = document["data"]
    return data


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Police:
    """Builds the Police's events from the committed examples, with fresh ids unless told."""

    def __init__(self) -> None:
        self.latest: dict[str, RemovalPlanCreatedV1 | RemovalPlanUpdatedV1] = {}

    def plan(self, **changes: Any) -> RemovalPlanCreatedV1:
        data = example(RemovalPlanCreatedV1.event_type)
        # The example's departure lies before NOW; by default a plan departs in good time.
        data.update(plan_id=unique("PL"), return_case_id=unique("RC"), planned_departure=IN_GOOD_TIME)
        data.update(changes)
        plan = RemovalPlanCreatedV1.model_validate(data)
        self.latest[plan.plan_id] = plan
        return plan

    def revision(
        self, plan: RemovalPlanCreatedV1 | RemovalPlanUpdatedV1, **changes: Any
    ) -> RemovalPlanUpdatedV1:
        data = plan.model_dump(mode="json")
        data["revision"] = getattr(plan, "revision", 1) + 1
        data["changed_fields"] = sorted(k for k in changes if k != "revision")
        data.update(changes)
        revised = RemovalPlanUpdatedV1.model_validate(data)
        self.latest[revised.plan_id] = revised
        return revised

    def _as_planned(self, plan_id: str, moment: str) -> dict[str, Any]:
        """A removal of a plan built here happens as its latest revision says, unless told otherwise;
        one of a plan never built here says nothing of how it was carried out."""
        plan = self.latest.get(plan_id)
        if plan is None:
            return {"carried_out_as": None, "attempted_as": None}
        facts = {
            "revision": getattr(plan, "revision", 1),
            "transport": plan.transport.value,
            "escort_level": plan.escort_level.value,
            "destination_country": plan.destination_country,
        }
        return {moment: plan.planned_departure.isoformat(), "carried_out_as": facts, "attempted_as": facts}

    def executed(
        self, plan_id: str | None = None, return_case_id: str | None = None, **changes: Any
    ) -> RemovalExecutedV1:
        data = example(RemovalExecutedV1.event_type)
        data.update(plan_id=plan_id or unique("PL"), return_case_id=return_case_id or unique("RC"))
        planned = self._as_planned(data["plan_id"], "executed_at")
        planned.pop("attempted_as")
        data.update(planned)
        data.update(changes)
        return RemovalExecutedV1.model_validate(data)

    def aborted(
        self, plan_id: str | None = None, return_case_id: str | None = None, **changes: Any
    ) -> RemovalAbortedV1:
        data = example(RemovalAbortedV1.event_type)
        data.update(plan_id=plan_id or unique("PL"), return_case_id=return_case_id or unique("RC"))
        planned = self._as_planned(data["plan_id"], "aborted_at")
        planned.pop("carried_out_as")
        data.update(planned)
        data.update(changes)
        return RemovalAbortedV1.model_validate(data)

    def cancelled(self, plan_id: str, return_case_id: str, **changes: Any) -> RemovalPlanCancelledV1:
        data = example(RemovalPlanCancelledV1.event_type)
        data.update(plan_id=plan_id, return_case_id=return_case_id, **changes)
        return RemovalPlanCancelledV1.model_validate(data)

    def accepted(self, return_case_id: str, department: str) -> HandoverAcceptedV1:
        data = example(HandoverAcceptedV1.event_type)
        data.update(return_case_id=return_case_id, responsible_department=department)
        return HandoverAcceptedV1.model_validate(data)

    def detained(self, return_case_id: str, **changes: Any) -> DetentionOrderedV1:
        data = example(DetentionOrderedV1.event_type)
        data.update(return_case_id=return_case_id, detention_id=unique("DET"), **changes)
        return DetentionOrderedV1.model_validate(data)

    def released(self, detention: DetentionOrderedV1, **changes: Any) -> DetentionEndedV1:
        data = example(DetentionEndedV1.event_type)
        data.update(return_case_id=detention.return_case_id, detention_id=detention.detention_id, **changes)
        return DetentionEndedV1.model_validate(data)


@pytest.fixture
def police() -> Police:
    return Police()


def message(event: Event, *, key: str | None = None) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """An event as the Police's relay would put it on Kafka: a binary-mode CloudEvent."""
    return direct.message(event, source=POLICE_SOURCE, key=key)


Send = Callable[..., Awaitable[None]]


@pytest.fixture
def send(kafka: KafkaAccess, topic_prefix: str) -> Send:
    """Produce events onto their topics (with the test's prefix), in order, as the Police would."""

    async def produce_all(*events: Event, key: str | None = None) -> None:
        for event in events:
            await produce(kafka, topic_prefix + event.topic.name, [message(event, key=key)])

    return produce_all


async def feed_events(runtime: ServiceRuntime, *events: Event) -> list[Result]:
    """Hand events straight to the service's own consumers (inbox, handlers, outbox): no broker."""
    return await direct.feed_events(runtime, *events, source=POLICE_SOURCE)


Feed = Callable[..., Awaitable[list[Result]]]


@pytest.fixture
def feed() -> Feed:
    """Feed events through the real consumer code path without the broker (fast, deterministic)."""
    return feed_events


StartMonitoring = Callable[..., Awaitable[tuple[MonitoringRuntime, httpx.AsyncClient]]]


@pytest.fixture
def monitoring(service: Any) -> StartMonitoring:
    """Start monitoring (real broker, fresh database); ``clock`` stands still if given."""

    async def start(
        clock: Clock | None = None, **overrides: Any
    ) -> tuple[MonitoringRuntime, httpx.AsyncClient]:
        runtime, client = await service(
            lambda settings: build(settings, clock=clock), MonitoringSettings, **{**FAST, **overrides}
        )
        assert isinstance(runtime, MonitoringRuntime)
        return runtime, client

    return start


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def offline(database_url: str) -> Any:
    """Monitoring on a migrated database with no broker and nothing started: feed it events."""
    settings = MonitoringSettings(database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1")
    runtime = build(settings, clock=FixedClock(NOW))
    await runtime.prepare_database()
    yield runtime
    await runtime.engine.dispose()


# --------------------------------------------------------------------------- the ombudsman's pages

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """A client on the pages as a browser is: it keeps the session cookie and sends forms."""

    client: httpx.AsyncClient
    runtime: MonitoringRuntime
    app: Any
    csrf: str | None = None

    async def sign_in(self, role: str = "monitor", subject: str = "MON-07") -> httpx.Response:
        login = await self.client.get("/ui/login")
        token = auth(role, subject)["Authorization"].removeprefix("Bearer ")
        answer = await self.client.post(
            "/ui/login", data={"csrf_token": csrf_in(login.text), "token": token, "next": "/ui/upcoming"}
        )
        if answer.status_code == 303:
            self.csrf = csrf_in((await self.client.get("/ui/upcoming")).text)
        return answer

    async def submit(self, path: str, **fields: Any) -> httpx.Response:
        """Send a form of the pages, with the session's CSRF token."""
        return await self.client.post(path, data={"csrf_token": self.csrf, **fields})

    async def notice_id(self, plan_id: str) -> str:
        async with self.runtime.uow() as uow:
            notice = await NoticeRepository(uow.session).by_plan(plan_id)
        assert notice is not None, plan_id
        return notice.notice_id


def csrf_in(html: str) -> str:
    found = CSRF.search(html)
    assert found, html
    return found.group(1)


@pytest.fixture
async def browser(offline: MonitoringRuntime) -> AsyncIterator[Browser]:
    """The pages of a monitor on a migrated database (feed it events), over HTTPS as in production."""
    app = offline.create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://monitoring") as client:
        yield Browser(client, offline, app)
