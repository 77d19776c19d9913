"""Intake's test fixtures: a clock that stands still, intake on a real database with or without
Kafka, and request bodies."""

from __future__ import annotations

import copy
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from handoff_plumbing.clock import FixedClock
from handoff_plumbing.service import ServiceRuntime
from intake.adapters import orm
from intake.bootstrap import IntakeSettings, build

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

APPLICATION: dict[str, Any] = {
    "applicant": {
        "full_name": "Amina Testperson",
        "date_of_birth": "1991-04-02",
        "nationality": "SOM",
        "sex": "female",
    },
    "lodged_on": "2026-10-01",
    "eurodac_hit": False,
    "identity_documents": [
        {
            "kind": "passport",
            "number": "P1234567",
            "issuing_country": "SOM",
            "expires_on": "2029-05-31",
            "original_held_by_agency": True,
        }
    ],
    "vulnerabilities": ["serious_illness", "child_in_family"],
}

GRANT: dict[str, Any] = {
    "decided_on": "2026-11-20",
    "outcome": "granted",
    "permit_type": "temporary",
    "valid_until": "2029-11-19",
    "household": {"size": 3, "age_bands": ["26_64", "under_12"], "needs_municipal_place": True},
}

REFUSAL: dict[str, Any] = {
    "decided_on": "2026-11-02",
    "outcome": "refused",
    "removal_order": "expulsion",
    "destination_country": "SOM",
}


class Bodies:
    """Request bodies: a valid one, with top-level ``changes``."""

    @staticmethod
    def _of(template: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        copied = copy.deepcopy(template)
        copied.update(changes)
        return copied

    def application(self, **changes: Any) -> dict[str, Any]:
        return self._of(APPLICATION, changes)

    def applicant(self, **changes: Any) -> dict[str, Any]:
        """An application whose applicant has ``changes``."""
        return self._of(APPLICATION, {"applicant": {**APPLICATION["applicant"], **changes}})

    def document(self, **changes: Any) -> dict[str, Any]:
        """An application whose one document has ``changes``."""
        return self._of(
            APPLICATION, {"identity_documents": [{**APPLICATION["identity_documents"][0], **changes}]}
        )

    def grant(self, **changes: Any) -> dict[str, Any]:
        return self._of(GRANT, changes)

    def refusal(self, **changes: Any) -> dict[str, Any]:
        return self._of(REFUSAL, changes)


class Outbox:
    """What intake staged for Kafka, read from its own database."""

    async def count(self, runtime: ServiceRuntime) -> int:
        async with runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(orm.outbox)) or 0)

    async def types(self, runtime: ServiceRuntime) -> list[str]:
        async with runtime.sessions() as session:
            rows = await session.execute(select(orm.outbox.c.event_type).order_by(orm.outbox.c.position))
            return [row[0] for row in rows]


@pytest.fixture
def bodies() -> Bodies:
    return Bodies()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


Intake = tuple[ServiceRuntime, httpx.AsyncClient]


@pytest.fixture
def intake(service: Callable[..., Awaitable[Intake]], clock: FixedClock) -> Callable[..., Awaitable[Intake]]:
    """Start intake (real database, real broker) on the test's clock: its runtime and a client."""

    async def start(**settings: Any) -> Intake:
        return await service(functools.partial(build, clock=clock), IntakeSettings, **settings)

    return start


@pytest.fixture
async def runtime(database_url: str, clock: FixedClock) -> AsyncIterator[ServiceRuntime]:
    """Intake's runtime on a migrated database, without Kafka: for driving the handlers."""
    settings = IntakeSettings(database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1")
    runtime = build(settings, clock=clock)
    await runtime.prepare_database()
    yield runtime
    await runtime.engine.dispose()
