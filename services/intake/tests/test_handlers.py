"""The commands, each run in its unit of work and committed as the HTTP edge does, on a real
database (SQLite and PostgreSQL), no broker: what each stages, and that repeats meet a guard."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.audit import Accessor
from handoff_plumbing.clock import FixedClock
from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas.events.common import IdentityDocumentKind, PermitType, RemovalOrderKind, Sex
from intake import commands, queries
from intake.adapters.applications import ApplicationFilter
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application
from intake.domain.decision import ApplicationStatus, Grant, Household, Refusal
from intake.domain.dublin_status import DublinStatus
from intake.domain.rules import IntakeRules

pytestmark = pytest.mark.db

RULES = IntakeRules()
TODAY = date(2026, 11, 23)
REGISTERED = "handoff.intake.application-registered.v1"
IDENTITY = "handoff.intake.applicant-identity-recorded.v1"
DECIDED = "handoff.intake.decision-made.v1"
PERMIT = "handoff.intake.residence-permit-granted.v1"
ENFORCEABLE = "handoff.intake.decision-enforceable.v1"
ORDERED = "handoff.intake.inhibition-ordered.v1"
LIFTED = "handoff.intake.inhibition-lifted.v1"


async def run(runtime: ServiceRuntime, command: Any, *args: Any) -> Any:
    """One command in its own unit of work, committed."""
    return await committed(runtime.uow(), lambda uow: command(args[0], uow, *args[1:]))


async def register(
    runtime: ServiceRuntime, *, lodged_on: date = date(2026, 10, 1), eurodac: bool = False
) -> Application:
    command = commands.RegisterApplication(
        registered_by=Accessor("caseworker-1", "agency"),
        applicant=Applicant("A Person", date(1990, 1, 1), "AFG", Sex.FEMALE),
        lodged_on=lodged_on,
        eurodac_hit=eurodac,
        documents=[IdentityDocument(IdentityDocumentKind.PASSPORT, "X1", issuing_country="AFG")],
        vulnerabilities=[],
    )
    application: Application = await run(runtime, commands.register_application, command)
    return application


async def refuse(
    runtime: ServiceRuntime, application_id: str, *, decided_on: date, immediate: bool = False
) -> Application:
    order = RemovalOrderKind.REFUSAL_OF_ENTRY if immediate else RemovalOrderKind.EXPULSION
    command = commands.Decide(application_id, decided_on, Refusal(order, "AFG", immediate))
    application: Application = await run(runtime, commands.decide, command)
    return application


async def test_registration_stages_both_events(runtime, outbox) -> None:
    first = await register(runtime)

    assert await outbox.types(runtime) == [REGISTERED, IDENTITY]
    stored = await queries.application(first.application_id, runtime.uow())
    assert stored.applicant.sex is Sex.FEMALE
    assert stored.documents[0].issuing_country == "AFG"


async def test_a_decision_is_made_once(runtime, outbox) -> None:
    application = await register(runtime)
    await register(runtime)  # another application: its events come first in the outbox
    grant = Grant(
        PermitType.TEMPORARY, Household(2, needs_municipal_place=True), valid_until=date(2029, 1, 1)
    )
    decide = commands.Decide(application.application_id, date(2026, 11, 20), grant)

    decided = await run(runtime, commands.decide, decide)

    assert decided.decision is not None
    assert decided.status is ApplicationStatus.GRANTED
    with pytest.raises(Conflict, match="already decided"):
        await run(
            runtime, commands.decide, commands.Decide(application.application_id, date(2026, 11, 21), grant)
        )
    with pytest.raises(NotFound):
        await run(runtime, commands.decide, commands.Decide("APP-none", date(2026, 11, 21), grant))
    assert (await outbox.types(runtime))[4:] == [DECIDED, PERMIT]


async def test_a_refusal_becomes_enforceable_after_the_appeal_period_once(runtime, outbox) -> None:
    application = await register(runtime)
    await refuse(runtime, application.application_id, decided_on=date(2026, 10, 20))
    enforce = commands.MakeEnforceable(application.application_id, date(2026, 11, 9))

    with pytest.raises(InvalidInput) as error:
        await run(runtime, commands.make_enforceable, enforce, RULES)
    assert error.value.field == "enforceable_on"
    assert "2026-11-10" in error.value.message

    done = await run(
        runtime,
        commands.make_enforceable,
        commands.MakeEnforceable(application.application_id, date(2026, 11, 10)),
        RULES,
    )
    same = await run(
        runtime,
        commands.make_enforceable,
        commands.MakeEnforceable(application.application_id, date(2026, 11, 10)),
        RULES,
    )
    assert done.status is same.status is ApplicationStatus.ENFORCEABLE
    with pytest.raises(Conflict, match="only once"):
        await run(
            runtime,
            commands.make_enforceable,
            commands.MakeEnforceable(application.application_id, date(2026, 11, 11)),
            RULES,
        )
    assert (await outbox.types(runtime))[2:] == [DECIDED, ENFORCEABLE]


async def test_a_waived_appeal_or_immediate_enforcement_allows_the_decision_date(runtime) -> None:
    waived = await register(runtime)
    await refuse(runtime, waived.application_id, decided_on=date(2026, 11, 20))
    immediate = await register(runtime)
    await refuse(runtime, immediate.application_id, decided_on=date(2026, 11, 20), immediate=True)

    first = await run(
        runtime,
        commands.make_enforceable,
        commands.MakeEnforceable(waived.application_id, date(2026, 11, 20), appeal_waived=True),
        RULES,
    )
    second = await run(
        runtime,
        commands.make_enforceable,
        commands.MakeEnforceable(immediate.application_id, date(2026, 11, 20)),
        RULES,
    )
    assert first.decision is not None
    assert first.decision.appeal_waived is True
    assert second.decision is not None
    assert second.decision.enforceable_on == date(2026, 11, 20)


async def test_inhibitions_are_ordered_and_lifted_once(runtime, outbox) -> None:
    application = await register(runtime)
    with pytest.raises(Conflict, match="no removal order"):
        await run(
            runtime,
            commands.order_inhibition,
            commands.OrderInhibition(application.application_id, "MIGD", date(2026, 11, 1)),
        )
    await refuse(runtime, application.application_id, decided_on=date(2026, 11, 2))
    order = commands.OrderInhibition(application.application_id, "MIGD", date(2026, 11, 5))

    stay = await run(runtime, commands.order_inhibition, order)
    lift = commands.LiftInhibition(application.application_id, stay.inhibition_id, date(2026, 11, 20))
    lifted = await run(runtime, commands.lift_inhibition, lift)
    lifted_again = await run(runtime, commands.lift_inhibition, lift)

    assert lifted.lifted_on == lifted_again.lifted_on == date(2026, 11, 20)
    assert lifted.lifted_by == "MIGD"
    with pytest.raises(Conflict, match="already lifted"):
        await run(
            runtime,
            commands.lift_inhibition,
            commands.LiftInhibition(application.application_id, stay.inhibition_id, date(2026, 11, 21)),
        )
    with pytest.raises(NotFound):
        await run(
            runtime,
            commands.lift_inhibition,
            commands.LiftInhibition(application.application_id, "INH-none", date(2026, 11, 21)),
        )
    stored = await queries.application(application.application_id, runtime.uow())
    assert stored.inhibition_in_force_on(date(2026, 11, 19))
    assert not stored.inhibition_in_force_on(date(2026, 11, 20))
    assert (await outbox.types(runtime))[2:] == [DECIDED, ORDERED, LIFTED]


async def test_a_dublin_transfer_deadline_is_extended_and_stays_extended(runtime, outbox) -> None:
    application = await register(runtime, eurodac=True)
    not_dublin = await register(runtime)
    Record = commands.RecordDublinTransfer

    async def record(transfer: commands.RecordDublinTransfer) -> Application:
        application: Application = await run(runtime, commands.record_dublin_transfer, transfer)
        return application

    with pytest.raises(Conflict, match="not a Dublin case"):
        await record(Record(not_dublin.application_id, accepted_on=date(2026, 11, 1)))
    with pytest.raises(Conflict, match="record accepted_on first"):
        await record(Record(application.application_id, status=DublinStatus.ABSCONDED))
    accepted = await record(Record(application.application_id, accepted_on=date(2026, 11, 1)))
    absconded = await record(Record(application.application_id, status=DublinStatus.ABSCONDED))
    found = await record(Record(application.application_id, status=DublinStatus.NORMAL))
    with pytest.raises(Conflict, match="already accepted"):
        await record(Record(application.application_id, accepted_on=date(2026, 11, 2)))

    assert accepted.transfer_deadline(RULES) == date(2027, 5, 1)
    assert absconded.transfer_deadline(RULES) == date(2028, 5, 1)
    stored = await queries.application(application.application_id, runtime.uow())
    assert stored.dublin_transfer is not None
    assert stored.dublin_transfer.status is DublinStatus.NORMAL
    assert found.transfer_deadline(RULES) == stored.transfer_deadline(RULES) == date(2028, 5, 1)
    assert await outbox.count(runtime) == 4  # two registrations; a transfer publishes nothing


async def test_listings_filter_by_status_and_deadlines_and_page(runtime, clock: FixedClock) -> None:
    lodged = {
        "overdue": date(2026, 5, 22),  # due 2026-11-22, yesterday
        "due-today": date(2026, 5, 23),
        "due-in-8": date(2026, 6, 1),
        "decided": date(2026, 5, 1),
        "recent": date(2026, 11, 1),
    }
    ids = {name: (await register(runtime, lodged_on=day)).application_id for name, day in lodged.items()}
    await refuse(runtime, ids["decided"], decided_on=date(2026, 11, 2))
    dublin = {
        name: (await register(runtime, lodged_on=date(2026, 3, 1), eurodac=True)).application_id
        for name in ("transfer-in-10", "transfer-absconded", "transfer-later")
    }
    for name, accepted_on in [
        ("transfer-in-10", date(2026, 6, 3)),  # deadline 2026-12-03
        ("transfer-absconded", date(2026, 3, 5)),  # 6 months would be 2026-09-05; 18 months: 2027-09-05
        ("transfer-later", date(2026, 11, 1)),  # deadline 2027-05-01
    ]:
        await run(
            runtime,
            commands.record_dublin_transfer,
            commands.RecordDublinTransfer(dublin[name], accepted_on=accepted_on),
        )
    await run(
        runtime,
        commands.record_dublin_transfer,
        commands.RecordDublinTransfer(dublin["transfer-absconded"], status=DublinStatus.ABSCONDED),
    )

    async def listed(
        rules: IntakeRules = RULES, limit: int = 50, offset: int = 0, **wanted: Any
    ) -> list[str]:
        found, _, _ = await queries.applications(
            ApplicationFilter(**wanted), runtime.uow(), rules, Paging(limit=limit, offset=offset)
        )
        return [a.application_id for a in found]

    dublin_cases = sorted(dublin.values())  # lodged 2026-03-01: the oldest, and overdue too
    assert await listed(overdue=True) == [*dublin_cases, ids["overdue"]]
    assert set(await listed(overdue=False)) == {
        ids["due-today"],
        ids["due-in-8"],
        ids["decided"],
        ids["recent"],
    }
    assert await listed(decision_due_within_days=0) == [ids["due-today"]]
    assert await listed(decision_due_within_days=8) == [ids["due-today"], ids["due-in-8"]]
    assert await listed(status=ApplicationStatus.REFUSED) == [ids["decided"]]
    assert await listed(status=ApplicationStatus.GRANTED) == []
    assert len(await listed(status=ApplicationStatus.UNDECIDED)) == 7
    assert await listed(dublin=True) == dublin_cases
    assert await listed(transfer_due_within_days=10) == [dublin["transfer-in-10"]]
    assert await listed(transfer_due_within_days=9) == []
    assert set(await listed(transfer_due_within_days=200)) == {
        dublin["transfer-in-10"],
        dublin["transfer-later"],
    }
    assert len(await listed(transfer_due_within_days=365)) == 3
    assert await listed(transfer_due_within_days=365, dublin=False) == []

    # the periods are configuration: with 3 months for absconders that case's deadline was 2026-06-05
    shorter = IntakeRules(transfer_months_absconded=3)
    assert dublin["transfer-absconded"] not in await listed(shorter, transfer_due_within_days=3650)
    assert await listed(IntakeRules(decision_due_months=7), overdue=True) == dublin_cases

    # paging: stable order, with the total of all that match
    page, total, _ = await queries.applications(
        ApplicationFilter(), runtime.uow(), RULES, Paging(limit=3, offset=6)
    )
    assert total == 8
    assert [a.application_id for a in page] == [ids["due-in-8"], ids["recent"]]

    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # a day later, due-today is overdue
    assert ids["due-today"] in await listed(overdue=True)
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC) + timedelta(days=1000))
    assert await listed(transfer_due_within_days=3650) == []
