"""Handlers and commands against the real database (SQLite and PostgreSQL), without the broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.audit import Accessor
from handoff_plumbing.errors import Conflict
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas.events.common import PermitType, Transport
from handoff_schemas.events.intake import InhibitionLiftedV1, InhibitionOrderedV1, ResidencePermitGrantedV1
from handoff_schemas.events.police import DetentionGround, EscortLevel, ReadmissionBasis
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, VoluntaryReturnCompletedV1
from police_handover import commands, queries
from police_handover import event_handlers as handlers
from police_handover.adapters.enforcement_cases import CaseRepository
from police_handover.adapters.handovers import HandoverRepository
from police_handover.bootstrap import PoliceHandoverSettings, build
from police_handover.domain.enforcement_case import HandoverOutcome
from police_handover.domain.measures import LighterMeasureKind

pytestmark = pytest.mark.db
READER = Accessor("POL-SYD-0042", "police")
Package = Callable[..., CaseHandedOverToPoliceV1]


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[ServiceRuntime]:
    settings = PoliceHandoverSettings(
        database_url=database_url,
        kafka_bootstrap_servers="127.0.0.1:1",
        detention_facilities={"FV-A": 1, "FV-B": 2},
    )
    service = build(settings)
    await service.prepare_database()
    yield service
    await service.engine.dispose()


async def deliver(runtime: ServiceRuntime, handler: Any, event: Any) -> None:
    """What the consumer does, minus the broker: the handler in a unit of work that commits."""
    async with runtime.uow() as uow:
        await handler(event, None, uow)
        await uow.commit()


async def published(runtime: ServiceRuntime) -> list[tuple[str, str]]:
    outbox = runtime.definition.outbox
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(outbox.c.event_type, outbox.c.aggregate_id).order_by(outbox.c.position)
            )
        ).all()
    return [(event_type.split(".")[2], key) for event_type, key in rows]


def handover(runtime: ServiceRuntime) -> Any:
    return handlers.handover_received(runtime.settings.rules())  # type: ignore[attr-defined]


async def run(runtime: ServiceRuntime, command: Any, *args: Any) -> Any:
    """One command in its own unit of work, committed."""
    return await committed(runtime.uow(), lambda uow: command(args[0], uow, *args[1:]))


def plan_command(case_id: str) -> commands.CreatePlan:
    return commands.CreatePlan(
        enforcement_case_id=case_id,
        readmission_basis=ReadmissionBasis.OWN_NATIONAL,
        transport=Transport.SCHEDULED_FLIGHT,
        escort_level=EscortLevel.ESCORTED_TO_DEPARTURE,
        planned_departure=datetime.now(UTC) + timedelta(days=5),
    )


async def test_an_inhibition_known_before_the_handover_rejects_it_until_lifted(
    runtime: ServiceRuntime, package_at: Package
) -> None:
    now = datetime.now(UTC)
    package = package_at(now)
    today = now.date()
    ordered = InhibitionOrderedV1(
        application_id=package.application_id, inhibition_id="INH-1", court="MIGD-MALMO", ordered_on=today
    )
    await deliver(runtime, handlers.inhibition_ordered, ordered)
    await deliver(runtime, handover(runtime), package)
    lifted = InhibitionLiftedV1(
        application_id=package.application_id, inhibition_id="INH-1", court="MIGD-MALMO", lifted_on=today
    )
    await deliver(runtime, handlers.inhibition_lifted, lifted)
    await deliver(runtime, handlers.inhibition_ordered, ordered)  # a late repeat does not undo the lift
    await deliver(runtime, handover(runtime), package.model_copy(update={"handover_id": "HO-second"}))

    async with runtime.uow() as uow:
        first = await HandoverRepository(uow.session).get(package.handover_id)
        second = await HandoverRepository(uow.session).get("HO-second")
        case = await CaseRepository(uow.session).by_return_case(package.return_case_id)
    assert first is not None
    assert first.outcome is HandoverOutcome.REJECTED
    assert [item.item for item in first.missing] == ["inhibitions"]
    assert second is not None
    assert second.outcome is HandoverOutcome.ACCEPTED
    assert case is not None
    assert case.status.value == "open"
    assert await published(runtime) == [
        ("handover-rejected", package.return_case_id),
        ("handover-accepted", package.return_case_id),
    ]


async def test_a_residence_permit_or_a_voluntary_return_ends_enforcement(
    runtime: ServiceRuntime, package_at: Package, accept: Any
) -> None:
    package = package_at(datetime.now(UTC))
    case_id = await accept(runtime, package)
    rules = runtime.settings.rules()  # type: ignore[attr-defined]
    plan = await run(runtime, commands.create_plan, plan_command(case_id), rules)
    await run(
        runtime,
        commands.order_detention,
        commands.OrderDetention(enforcement_case_id=case_id, facility="FV-A", ground=DetentionGround.OTHER),
        rules,
    )
    await run(
        runtime,
        commands.order_lighter_measure,
        commands.OrderLighterMeasure(
            enforcement_case_id=case_id, kind=LighterMeasureKind.PASSPORT_SURRENDERED
        ),
    )
    permit = ResidencePermitGrantedV1(
        application_id=package.application_id,
        permit_id="UT-1",
        person_ref=package.person_ref,
        permit_type=PermitType.TEMPORARY,
        valid_from=date.today(),
        valid_until=date.today() + timedelta(days=365),
        household_size=1,
        needs_municipal_place=False,
    )
    await deliver(runtime, handlers.residence_permit_granted, permit)
    await deliver(runtime, handlers.residence_permit_granted, permit)  # a repeat changes nothing

    found = await queries.plan(plan.plan_id, runtime.uow())
    assert found[0].status.value == "cancelled"
    assert found[0].ending is not None
    assert found[0].ending.reason.value == "residence_permit_granted"
    case = (await queries.case(case_id, runtime.uow(), READER)).case
    assert (case.status.value, case.closed_reason) == ("closed", "residence_permit_granted")
    counts = await queries.measure_counts(runtime.uow(), runtime.settings.rules())  # type: ignore[attr-defined]
    assert (counts.persons_under_measures, counts.lighter_measures) == (0, {})
    assert [t for t, _ in await published(runtime)] == [
        "handover-accepted",
        "removal-plan-created",
        "detention-ordered",
        "lighter-measure-ordered",
        "removal-plan-cancelled",
        "detention-ended",
        "lighter-measure-ended",
    ]
    with pytest.raises(Conflict, match="closed"):
        await run(runtime, commands.create_plan, plan_command(case_id), rules)

    # A voluntary departure after the handover ends enforcement too.
    other = package_at(datetime.now(UTC))
    other_id = await accept(runtime, other)
    departed = VoluntaryReturnCompletedV1(
        return_case_id=other.return_case_id, departed_on=date.today(), destination_country="IRQ"
    )
    await deliver(runtime, handlers.voluntary_return_completed, departed)
    closed = (await queries.case(other_id, runtime.uow(), READER)).case
    assert closed.closed_reason is not None
    assert closed.closed_reason.value == "voluntary_departure"


async def test_concurrent_requests_neither_duplicate_a_plan_nor_overfill_a_facility(
    runtime: ServiceRuntime, package_at: Package, accept: Any
) -> None:
    rules = runtime.settings.rules()  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    first, second = [await accept(runtime, package_at(now)) for _ in range(2)]

    plans = await asyncio.gather(
        *(run(runtime, commands.create_plan, plan_command(first), rules) for _ in range(3)),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in plans) == ["Conflict", "Conflict", "RemovalPlan"]

    orders = await asyncio.gather(
        *(
            run(
                runtime,
                commands.order_detention,
                commands.OrderDetention(
                    enforcement_case_id=case_id, facility="FV-A", ground=DetentionGround.OTHER
                ),
                rules,
            )
            for case_id in (first, second)
        ),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in orders) == ["Conflict", "Detention"]
    counts = await queries.measure_counts(runtime.uow(), rules)
    assert [(f.facility, f.occupied) for f in counts.facilities] == [("FV-A", 1), ("FV-B", 0)]
