"""Fixtures of police-handover's tests: handover packages, rules, service helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from handoff_devtools.testing.examples import handover_document
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas import Event, attributes_for, encode
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from police_handover import event_handlers as handlers
from police_handover.adapters.enforcement_cases import CaseRepository
from police_handover.domain.rules import PoliceHandoverRules

FULL_NAME = "Testi Testinen"
DATE_OF_BIRTH = "1989-04-01"
DOCUMENT_NUMBER = "TEST00001"


def package_document(now: datetime, **changes: Any) -> dict[str, Any]:
    """The committed example package, with fresh ids and dates that make it complete at ``now``."""
    return handover_document(now, **changes)


def make_package(now: datetime, **changes: Any) -> CaseHandedOverToPoliceV1:
    return CaseHandedOverToPoliceV1.model_validate(package_document(now, **changes))


def make_policy(**changes: Any) -> PoliceHandoverRules:
    options: dict[str, Any] = {
        "departments": ("POL-SYD", "POL-STOCKHOLM"),
        "default_department": "POL-STOCKHOLM",
        "department_by_area": {"12": "POL-SYD"},
        "facilities": {"FV-A": 2, "FV-B": 3},
        "review_intervals_days": (4, 14),
        "lapse_years": 4,
    }
    options.update(changes)
    return PoliceHandoverRules(**options)


def cloud_event(event: Event, *, source: str) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """``(key, value, headers)`` of ``event`` as a binary-mode CloudEvent, as another service sends it."""
    attributes = attributes_for(event, source=source, now=datetime.now(UTC))
    headers = [(name, value.encode()) for name, value in attributes.to_headers().items()]
    return event.aggregate_id().encode(), encode(event), headers


async def accept_directly(runtime: ServiceRuntime, package: CaseHandedOverToPoliceV1) -> str:
    """Take a handover through the service's own handler and database, without the broker."""
    handle = handlers.handover_received(runtime.settings.rules())  # type: ignore[attr-defined]
    async with runtime.uow() as uow:
        await handle(package, None, uow)  # type: ignore[arg-type]
        await uow.commit()
    async with runtime.uow() as uow:
        case = await CaseRepository(uow.session).by_return_case(package.return_case_id)
    assert case is not None, "the package was rejected"
    return case.enforcement_case_id


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def package_at() -> Callable[..., CaseHandedOverToPoliceV1]:
    return make_package


@pytest.fixture
def rules() -> PoliceHandoverRules:
    return make_policy()


@pytest.fixture
def accept() -> Callable[[ServiceRuntime, CaseHandedOverToPoliceV1], Awaitable[str]]:
    return accept_directly


@pytest.fixture
def as_cloud_event() -> Callable[..., tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    return cloud_event


@pytest.fixture
def package_doc() -> Callable[..., dict[str, Any]]:
    return package_document


@pytest.fixture
def born() -> date:
    return date.fromisoformat(DATE_OF_BIRTH)


@pytest.fixture
def policy_with() -> Callable[..., PoliceHandoverRules]:
    return make_policy


def plan_body(enforcement_case_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "enforcement_case_id": enforcement_case_id,
        "readmission_basis": "bilateral_readmission_agreement",
        "transport": "scheduled_flight",
        "escort_level": "escorted_to_destination",
        "planned_departure": (datetime.now(UTC) + timedelta(days=10)).isoformat(),
        "transit_countries": ["TUR"],
    }
    body.update(changes)
    return body


@pytest.fixture
def plan_for() -> Callable[..., dict[str, Any]]:
    return plan_body
