"""The commands, driven through the handlers on a real database (SQLite and PostgreSQL), no broker:
what each stages in the outbox, and that repeats meet a guard instead of a second event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from handoff_plumbing.clock import FixedClock
from handoff_plumbing.service import ServiceRuntime
from handoff_schemas.events.common import IdentityDocumentKind, PermitType, RemovalOrderKind, Sex
from intake import handlers
from intake.adapters.repository import ApplicationFilter, ApplicationRepository
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application
from intake.domain.decision import ApplicationStatus, Grant, Household, Refusal
from intake.domain.dublin_status import DublinStatus
from intake.domain.errors import InvalidInput, NotFound, StateConflict
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


async def register(
    runtime: ServiceRuntime, *, lodged_on: date = date(2026, 10, 1), eurodac: bool = False, **extra: Any
) -> Application:
    command = handlers.RegisterApplication(
        applicant=Applicant("A Person", date(1990, 1, 1), "AFG", Sex.FEMALE),
        lodged_on=lodged_on,
        eurodac_hit=eurodac,
        documents=[IdentityDocument(IdentityDocumentKind.PASSPORT, "X1", issuing_country="AFG")],
        vulnerabilities=[],
        **extra,
    )
    application, _ = await handlers.register_application(command, runtime.uow())
    return application


async def refuse(
    runtime: ServiceRuntime, application_id: str, *, decided_on: date, immediate: bool = False
) -> Application:
    order = RemovalOrderKind.REFUSAL_OF_ENTRY if immediate else RemovalOrderKind.EXPULSION
    command = handlers.Decide(application_id, decided_on, Refusal(order, "AFG", immediate))
    application, _ = await handlers.decide(command, runtime.uow())
    return application


async def test_registration_stages_both_events_and_a_repeat_stages_nothing(runtime, outbox) -> None:
    first = await register(runtime, request_id="r-1")
    again = await register(runtime, request_id="r-1")

    assert again.application_id == first.application_id
    assert await outbox.types(runtime) == [REGISTERED, IDENTITY]
    stored = await handlers.get_application(first.application_id, runtime.uow())
    assert stored is not None
    assert stored.applicant.sex is Sex.FEMALE
    assert stored.documents[0].issuing_country == "AFG"


async def test_a_registration_that_loses_a_race_for_its_request_id_answers_with_the_winner(
    runtime, outbox, monkeypatch
) -> None:
    winner = await register(runtime, request_id="r-race")
    looked_up = ApplicationRepository.by_request_id
    calls = 0

    async def not_yet_committed_at_first(self: ApplicationRepository, request_id: str) -> Application | None:
        nonlocal calls
        calls += 1
        return None if calls == 1 else await looked_up(self, request_id)

    monkeypatch.setattr(ApplicationRepository, "by_request_id", not_yet_committed_at_first)
    loser = await register(runtime, request_id="r-race")

    assert loser.application_id == winner.application_id
    assert await outbox.types(runtime) == [REGISTERED, IDENTITY]


async def test_a_decision_is_made_once(runtime, outbox) -> None:
    application = await register(runtime)
    other = await register(runtime)
    grant = Grant(
        PermitType.TEMPORARY, Household(2, needs_municipal_place=True), valid_until=date(2029, 1, 1)
    )
    decide = handlers.Decide(application.application_id, date(2026, 11, 20), grant, request_id="d-1")

    decided, created = await handlers.decide(decide, runtime.uow())
    repeated, created_again = await handlers.decide(decide, runtime.uow())

    assert (created, created_again) == (True, False)
    assert decided.decision is not None
    assert repeated.decision is not None
    assert repeated.decision.decision_id == decided.decision.decision_id
    assert repeated.status is ApplicationStatus.GRANTED
    with pytest.raises(StateConflict, match="already decided"):
        await handlers.decide(
            handlers.Decide(application.application_id, date(2026, 11, 21), grant), runtime.uow()
        )
    with pytest.raises(StateConflict, match="already used for application"):
        await handlers.decide(
            handlers.Decide(other.application_id, date(2026, 11, 21), grant, request_id="d-1"), runtime.uow()
        )
    with pytest.raises(NotFound):
        await handlers.decide(handlers.Decide("APP-none", date(2026, 11, 21), grant), runtime.uow())
    assert (await outbox.types(runtime))[4:] == [DECIDED, PERMIT]


async def test_a_refusal_becomes_enforceable_after_the_appeal_period_once(runtime, outbox) -> None:
    application = await register(runtime)
    await refuse(runtime, application.application_id, decided_on=date(2026, 10, 20))
    enforce = handlers.MakeEnforceable(application.application_id, date(2026, 11, 9))

    with pytest.raises(InvalidInput) as error:
        await handlers.make_enforceable(enforce, runtime.uow(), RULES)
    assert error.value.field == "enforceable_on"
    assert "2026-11-10" in error.value.message

    done = await handlers.make_enforceable(
        handlers.MakeEnforceable(application.application_id, date(2026, 11, 10)), runtime.uow(), RULES
    )
    same = await handlers.make_enforceable(
        handlers.MakeEnforceable(application.application_id, date(2026, 11, 10)), runtime.uow(), RULES
    )
    assert done.status is same.status is ApplicationStatus.ENFORCEABLE
    with pytest.raises(StateConflict, match="only once"):
        await handlers.make_enforceable(
            handlers.MakeEnforceable(application.application_id, date(2026, 11, 11)), runtime.uow(), RULES
        )
    assert (await outbox.types(runtime))[2:] == [DECIDED, ENFORCEABLE]


async def test_a_waived_appeal_or_immediate_enforcement_allows_the_decision_date(runtime) -> None:
    waived = await register(runtime)
    await refuse(runtime, waived.application_id, decided_on=date(2026, 11, 20))
    immediate = await register(runtime)
    await refuse(runtime, immediate.application_id, decided_on=date(2026, 11, 20), immediate=True)

    first = await handlers.make_enforceable(
        handlers.MakeEnforceable(waived.application_id, date(2026, 11, 20), appeal_waived=True),
        runtime.uow(),
        RULES,
    )
    second = await handlers.make_enforceable(
        handlers.MakeEnforceable(immediate.application_id, date(2026, 11, 20)), runtime.uow(), RULES
    )
    assert first.decision is not None
    assert first.decision.appeal_waived is True
    assert second.decision is not None
    assert second.decision.enforceable_on == date(2026, 11, 20)


async def test_inhibitions_are_ordered_and_lifted_once(runtime, outbox) -> None:
    application = await register(runtime)
    with pytest.raises(StateConflict, match="no removal order"):
        await handlers.order_inhibition(
            handlers.OrderInhibition(application.application_id, "MIGD", date(2026, 11, 1)), runtime.uow()
        )
    await refuse(runtime, application.application_id, decided_on=date(2026, 11, 2))
    order = handlers.OrderInhibition(application.application_id, "MIGD", date(2026, 11, 5), request_id="i-1")

    stay, created = await handlers.order_inhibition(order, runtime.uow())
    same, created_again = await handlers.order_inhibition(order, runtime.uow())
    lift = handlers.LiftInhibition(application.application_id, stay.inhibition_id, date(2026, 11, 20))
    lifted = await handlers.lift_inhibition(lift, runtime.uow())
    lifted_again = await handlers.lift_inhibition(lift, runtime.uow())

    assert (created, created_again) == (True, False)
    assert same.inhibition_id == stay.inhibition_id
    assert lifted.lifted_on == lifted_again.lifted_on == date(2026, 11, 20)
    assert lifted.lifted_by == "MIGD"
    with pytest.raises(StateConflict, match="already lifted"):
        await handlers.lift_inhibition(
            handlers.LiftInhibition(application.application_id, stay.inhibition_id, date(2026, 11, 21)),
            runtime.uow(),
        )
    with pytest.raises(NotFound):
        await handlers.lift_inhibition(
            handlers.LiftInhibition(application.application_id, "INH-none", date(2026, 11, 21)), runtime.uow()
        )
    stored = await handlers.get_application(application.application_id, runtime.uow())
    assert stored is not None
    assert stored.inhibition_in_force_on(date(2026, 11, 19))
    assert not stored.inhibition_in_force_on(date(2026, 11, 20))
    assert (await outbox.types(runtime))[2:] == [DECIDED, ORDERED, LIFTED]


async def test_a_dublin_transfer_deadline_is_extended_and_stays_extended(runtime, outbox) -> None:
    application = await register(runtime, eurodac=True)
    not_dublin = await register(runtime)
    record = handlers.record_dublin_transfer
    Record = handlers.RecordDublinTransfer

    with pytest.raises(StateConflict, match="not a Dublin case"):
        await record(Record(not_dublin.application_id, accepted_on=date(2026, 11, 1)), runtime.uow())
    with pytest.raises(StateConflict, match="record accepted_on first"):
        await record(Record(application.application_id, status=DublinStatus.ABSCONDED), runtime.uow())
    accepted = await record(Record(application.application_id, accepted_on=date(2026, 11, 1)), runtime.uow())
    absconded = await record(Record(application.application_id, status=DublinStatus.ABSCONDED), runtime.uow())
    found = await record(Record(application.application_id, status=DublinStatus.NORMAL), runtime.uow())
    with pytest.raises(StateConflict, match="already accepted"):
        await record(Record(application.application_id, accepted_on=date(2026, 11, 2)), runtime.uow())

    assert accepted.transfer_deadline(RULES) == date(2027, 5, 1)
    assert absconded.transfer_deadline(RULES) == date(2028, 5, 1)
    stored = await handlers.get_application(application.application_id, runtime.uow())
    assert stored is not None
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
        await handlers.record_dublin_transfer(
            handlers.RecordDublinTransfer(dublin[name], accepted_on=accepted_on), runtime.uow()
        )
    await handlers.record_dublin_transfer(
        handlers.RecordDublinTransfer(dublin["transfer-absconded"], status=DublinStatus.ABSCONDED),
        runtime.uow(),
    )

    async def listed(
        rules: IntakeRules = RULES, limit: int = 50, offset: int = 0, **wanted: Any
    ) -> list[str]:
        found, _, _ = await handlers.list_applications(
            ApplicationFilter(**wanted), runtime.uow(), rules, limit=limit, offset=offset
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
    page, total, _ = await handlers.list_applications(
        ApplicationFilter(), runtime.uow(), RULES, limit=3, offset=6
    )
    assert total == 8
    assert [a.application_id for a in page] == [ids["due-in-8"], ids["recent"]]

    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # a day later, due-today is overdue
    assert ids["due-today"] in await listed(overdue=True)
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC) + timedelta(days=1000))
    assert await listed(transfer_due_within_days=3650) == []
