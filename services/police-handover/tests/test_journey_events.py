"""The Police's part of the journey in events, on a real database without the broker: lighter measures
and detention reviews published, a removal as carried out, what the Agency tells (travel,
impediments), Dublin outcomes, the monitor's judgements counted per department, and each read of a
handover package recorded in an append-only, tamper-evident trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.audit import Accessor, PersonalDataAudit, audit_tables_of, verify
from handoff_plumbing.paging import Paging
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas.events.common import Transport
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1
from handoff_schemas.events.monitoring import (
    FactChange,
    NoticeAcknowledgedV1,
    NoticeFact,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeRevisionMissingV1,
    NoticeTimeliness,
    RemovalHappening,
)
from handoff_schemas.events.police import DetentionGround, EscortLevel, ReadmissionBasis
from handoff_schemas.events.returns_steps import (
    ImpedimentApplicationDecidedV1,
    ImpedimentApplicationLodgedV1,
    ImpedimentOutcome,
    TravelBookedV1,
)
from police_handover import commands, queries
from police_handover import event_handlers as handlers
from police_handover.adapters.orm import metadata
from police_handover.bootstrap import PoliceHandoverSettings, build
from police_handover.domain.measures import LighterMeasureEndReason, LighterMeasureKind
from police_handover.domain.removal_outcome import Actual

pytestmark = pytest.mark.db
OFFICER = Accessor("POL-SYD-0042", "police")


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[ServiceRuntime]:
    settings = PoliceHandoverSettings(database_url=database_url, kafka_bootstrap_servers="127.0.0.1:1")
    service = build(settings)
    await service.prepare_database()
    yield service
    await service.engine.dispose()


async def deliver(runtime: ServiceRuntime, handler: Any, event: Any) -> None:
    async with runtime.uow() as uow:
        await handler(event, None, uow)
        await uow.commit()


async def payloads(runtime: ServiceRuntime, suffix: str) -> list[dict[str, Any]]:
    import json

    outbox = runtime.definition.outbox
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload).order_by(outbox.c.position)
        )
    return [json.loads(payload) for event_type, payload in rows if event_type.endswith(suffix)]


async def planned(runtime: ServiceRuntime, case_id: str, department: str = "POL-SYD", days: int = 10) -> Any:
    command = commands.CreatePlan(
        enforcement_case_id=case_id,
        readmission_basis=ReadmissionBasis.OWN_NATIONAL,
        transport=Transport.SCHEDULED_FLIGHT,
        escort_level=EscortLevel.ESCORTED_TO_DEPARTURE,
        planned_departure=datetime.now(UTC) + timedelta(days=days),
        responsible_department=department,
        vulnerabilities=(),  # no precaution pending: the plan can be carried out at once
    )
    return await committed(
        runtime.uow(), lambda uow: commands.create_plan(command, uow, runtime.settings.rules())
    )  # type: ignore[attr-defined]


async def test_lighter_measures_and_detention_reviews_are_published(runtime, package_at, accept) -> None:
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    rules = runtime.settings.rules()
    measure = await committed(
        runtime.uow(),
        lambda uow: commands.order_lighter_measure(
            commands.OrderLighterMeasure(enforcement_case_id=case_id, kind=LighterMeasureKind.REPORTING_DUTY),
            uow,
        ),
    )
    await committed(
        runtime.uow(),
        lambda uow: commands.end_lighter_measure(
            measure.measure_id, uow, reason=LighterMeasureEndReason.LIFTED
        ),
    )
    detention = await committed(
        runtime.uow(),
        lambda uow: commands.order_detention(
            commands.OrderDetention(case_id, "FV-HELSINKI", DetentionGround.RISK_OF_ABSCONDING), uow, rules
        ),
    )
    reviewed_on = detention.ordered_at.date() + timedelta(days=0)
    await committed(
        runtime.uow(), lambda uow: commands.review_detention(detention.detention_id, reviewed_on, uow, rules)
    )

    [ordered] = await payloads(runtime, "lighter-measure-ordered.v1")
    [ended] = await payloads(runtime, "lighter-measure-ended.v1")
    [review] = await payloads(runtime, "detention-reviewed.v1")
    assert (ordered["measure_id"], ordered["kind"]) == (measure.measure_id, "reporting_duty")
    assert (ended["measure_id"], ended["reason"]) == (measure.measure_id, "lifted")
    assert review["detention_id"] == detention.detention_id
    assert review["review_number"] == 1
    assert review["next_review_due_on"] == (reviewed_on + timedelta(days=14)).isoformat()


async def test_a_removal_says_how_it_was_carried_out(runtime, package_at, accept) -> None:
    first = await planned(runtime, await accept(runtime, package_at(datetime.now(UTC))))
    second = await planned(runtime, await accept(runtime, package_at(datetime.now(UTC))))
    await committed(
        runtime.uow(),
        lambda uow: commands.execute_plan(
            first.plan_id, uow, use_of_force=False, restraints_used=[], incidents=[]
        ),
    )
    await committed(
        runtime.uow(),
        lambda uow: commands.execute_plan(
            second.plan_id,
            uow,
            use_of_force=False,
            restraints_used=[],
            incidents=[],
            actual=Actual(transport=Transport.CHARTER, escort_level=EscortLevel.ESCORTED_TO_DESTINATION),
        ),
    )
    as_planned, changed = await payloads(runtime, "removal-executed.v1")
    assert as_planned["carried_out_as"] == {
        "revision": 1,
        "transport": "scheduled_flight",
        "escort_level": "escorted_to_departure",
        "destination_country": first.details.destination_country,
    }
    assert (changed["carried_out_as"]["transport"], changed["carried_out_as"]["escort_level"]) == (
        "charter",
        "escorted_to_destination",
    )
    plan, _ = await queries.plan(second.plan_id, runtime.uow())
    assert plan.as_carried_out is not None
    assert plan.as_carried_out.transport is Transport.CHARTER


async def test_what_the_agency_tells_is_kept_and_a_permit_on_an_impediment_ends_enforcement(
    runtime, package_at, accept
) -> None:
    package = package_at(datetime.now(UTC))
    case_id = await accept(runtime, package)
    plan = await planned(runtime, case_id)
    booked = TravelBookedV1(
        return_case_id=package.return_case_id,
        booking_id="TB-1",
        ordered_on=date(2026, 11, 2),
        due_on=date(2026, 11, 3),
        booked_on=date(2026, 11, 3),
        destination_country="IRQ",
    )
    lodged = ImpedimentApplicationLodgedV1(
        return_case_id=package.return_case_id, impediment_application_id="IMP-1", lodged_on=date(2026, 11, 4)
    )
    await deliver(runtime, handlers.agency_told, booked)
    await deliver(runtime, handlers.agency_told, lodged)
    file = await queries.case(case_id, runtime.uow(), OFFICER)
    assert file.case.status.value == "open"  # nothing stops enforcement yet
    assert [(n.reference, n.kind.value) for n in file.agency_notes] == [
        ("TB-1", "travel_booking"),
        ("IMP-1", "impediment_application"),
    ]

    decided = ImpedimentApplicationDecidedV1(
        return_case_id=package.return_case_id,
        impediment_application_id="IMP-1",
        lodged_on=date(2026, 11, 4),
        decided_on=date(2026, 11, 6),
        outcome=ImpedimentOutcome.RESIDENCE_PERMIT,
        inhibition_ordered=False,
    )
    await deliver(runtime, handlers.agency_told, decided)
    file = await queries.case(case_id, runtime.uow(), OFFICER)
    assert (file.case.status.value, file.case.closed_reason) == ("closed", "residence_permit_granted")
    assert file.agency_notes[1].facts["outcome"] == "residence_permit"
    [cancelled] = await payloads(runtime, "removal-plan-cancelled.v1")
    assert (cancelled["plan_id"], cancelled["reason"]) == (plan.plan_id, "residence_permit_granted")


async def test_a_dublin_transfer_closes_the_enforcement_case(runtime, package_at, accept) -> None:
    package = package_at(datetime.now(UTC))
    case_id = await accept(runtime, package)
    plan = await planned(runtime, case_id)
    transferred = DublinTransferCarriedOutV1(
        application_id=package.application_id,
        person_ref=package.person_ref,
        receiving_state="DEU",
        accepted_on=date(2026, 6, 1),
        transfer_deadline=date(2026, 12, 1),
        transferred_on=date(2026, 11, 20),
    )
    await deliver(runtime, handlers.dublin_transfer_carried_out, transferred)
    await deliver(runtime, handlers.dublin_transfer_carried_out, transferred)
    file = await queries.case(case_id, runtime.uow(), OFFICER)
    assert file.case.closed_reason == "dublin_transfer"
    [cancelled] = await payloads(runtime, "removal-plan-cancelled.v1")
    assert (cancelled["plan_id"], cancelled["reason"]) == (plan.plan_id, "other")
    assert "DEU" in cancelled["note"]


async def test_the_notice_figures_count_the_monitors_judgements_per_department(
    runtime, package_at, accept
) -> None:
    on_time, late, changed, missing = [
        await planned(runtime, await accept(runtime, package_at(datetime.now(UTC))), department, days)
        for department, days in (("POL-SYD", 10), ("POL-SYD", 11), ("POL-SYD", 12), ("POL-STOCKHOLM", 13))
    ]
    now = datetime.now(UTC)

    def ack(plan: Any, timeliness: NoticeTimeliness) -> NoticeAcknowledgedV1:
        return NoticeAcknowledgedV1(
            notice_id=f"N-{plan.plan_id}",
            plan_id=plan.plan_id,
            received_at=now,
            acknowledged_at=now,
            revision=1,
            timeliness=timeliness,
        )

    await deliver(runtime, handlers.notice_acknowledged, ack(on_time, NoticeTimeliness.ON_TIME))
    await deliver(runtime, handlers.notice_acknowledged, ack(late, NoticeTimeliness.LATE))
    await deliver(
        runtime,
        handlers.notice_late,
        NoticeLateV1(
            notice_id=f"N-{late.plan_id}",
            plan_id=late.plan_id,
            responsible_department="POL-SYD",
            transport=Transport.SCHEDULED_FLIGHT,
            received_at=now,
            planned_departure=late.details.planned_departure,
            lead_time_working_days=2,
            required_working_days=5,
        ),
    )
    await deliver(runtime, handlers.notice_acknowledged, ack(changed, NoticeTimeliness.ON_TIME))
    await deliver(
        runtime,
        handlers.notice_revision_missing,
        NoticeRevisionMissingV1(
            notice_id=f"N-{changed.plan_id}",
            plan_id=changed.plan_id,
            responsible_department="POL-SYD",
            happened=RemovalHappening.EXECUTED,
            happened_at=now,
            notified_revision=1,
            missing_revision=2,
            changes=[FactChange(fact=NoticeFact.TRANSPORT, notified="scheduled_flight", actual="charter")],
            lead_time_working_days=-1,
            required_working_days=10,
        ),
    )
    await deliver(
        runtime,
        handlers.notice_missing,
        NoticeMissingV1(
            plan_id=missing.plan_id,
            responsible_department="POL-STOCKHOLM",
            executed_or_aborted_at=now,
            first_seen_event_type="handoff.police.removal-executed.v1",
        ),
    )

    rows = await queries.notice_figures(
        runtime.uow(), runtime.settings.rules(), department=None, from_month=None, to_month=None
    )
    by_department: dict[str, list[int]] = {}
    for row in rows:
        counts = by_department.setdefault(row.department, [0, 0, 0, 0, 0])
        for i, n in enumerate((row.notices, row.on_time, row.late, row.missing, row.unannounced_changes)):
            counts[i] += n
    assert by_department == {"POL-SYD": [3, 1, 2, 0, 1], "POL-STOCKHOLM": [0, 0, 0, 1, 0]}
    _, feedback = await queries.plan(changed.plan_id, runtime.uow())
    assert feedback is not None
    assert feedback.revision_missing is not None
    assert feedback.revision_missing.missing_revision == 2


async def test_every_read_of_a_package_is_recorded_and_the_trail_is_append_only(
    runtime, package_at, accept
) -> None:
    package = package_at(datetime.now(UTC))
    case_id = await accept(runtime, package)
    for _ in range(3):
        await queries.case(case_id, runtime.uow(), OFFICER)
    tables = audit_tables_of(metadata)
    async with runtime.sessions() as session:
        entries, total = await PersonalDataAudit(session, tables).search(
            Paging(), person_ref=package.person_ref, subject=None, role=None
        )
    assert total == 3
    assert {(e.subject, e.role, e.purpose) for e in entries} == {
        ("POL-SYD-0042", "police", "enforcement of the removal order")
    }
    assert {"package.identity.full_name", "package.identity.documents[].document_number"} <= set(
        entries[0].fields
    )
    assert all(package.identity.full_name not in str(e) for e in entries)

    entry_table = tables.entries
    with pytest.raises(DBAPIError, match="append-only"):
        async with runtime.engine.begin() as connection:
            await connection.execute(
                update(entry_table).where(entry_table.c.sequence == 2).values(purpose="x")
            )
    with pytest.raises(DBAPIError, match="append-only"):
        async with runtime.engine.begin() as connection:
            await connection.execute(entry_table.delete().where(entry_table.c.sequence == 2))

    # Someone with the rights to drop the triggers rewrites history: the chain still tells.
    async with runtime.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("DROP TRIGGER personal_data_audit_append_only ON personal_data_audit")
            )
        else:
            await connection.execute(text("DROP TRIGGER personal_data_audit_no_update"))
            await connection.execute(text("DROP TRIGGER personal_data_audit_no_delete"))
        await connection.execute(
            update(entry_table).where(entry_table.c.sequence == 2).values(subject="nobody")
        )
    async with runtime.engine.connect() as connection:
        assert (await verify(connection, tables)).problems == ["entry 2 does not match its hash (edited)"]
    async with runtime.engine.begin() as connection:
        await connection.execute(entry_table.delete().where(entry_table.c.sequence == 2))
    async with runtime.engine.connect() as connection:
        assert (await verify(connection, tables)).problems == [
            "entry 2 is missing (deleted): the trail jumps to 3"
        ]
