"""The rest of a return case's journey in events, on a real database through the consumers and
commands: travel booked and cancelled, impediment applications decided, every closing and reopening
with its reason, a Dublin transfer closing (or preventing) a case, legal force, an enforced return,
and the handover's disclosure in the audit trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.audit import Access, Accessor, PersonalDataAudit, audit_tables_of, verify
from handoff_plumbing.errors import Conflict, InvalidInput
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import RemovalOrderKind, Transport
from handoff_schemas.events.intake import DecisionOutcome, PermitType
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from handoff_schemas.events.police import EscortLevel, RemovalExecutedV1, RemovalFacts
from handoff_schemas.events.returns import HandoverGround
from handoff_schemas.events.returns_steps import ImpedimentOutcome, ReopeningReason, TravelCancellationReason
from returns import commands, queries
from returns.adapters import orm
from returns.domain.case_state import CaseStatus

pytestmark = pytest.mark.db
CASEWORKER = Accessor("caseworker-3", "agency")


async def run(
    command: Callable[..., Awaitable[commands.Outcome]], uow: UnitOfWork, *args: Any
) -> commands.Outcome:
    return await committed(uow, lambda open_uow: command(open_uow, *args))


async def opened_case(returns_db, person) -> str:  # type: ignore[no-untyped-def]
    await returns_db.deliver_all(person.upstream())
    return str(await returns_db.case_id_for(person.application_id))


async def status_of(returns_db, case_id: str) -> CaseStatus:  # type: ignore[no-untyped-def]
    view = await queries.get_case(returns_db.runtime.uow(), returns_db.rules, case_id)
    return view.case.status


async def test_travel_booked_and_cancelled_is_told_with_the_reason(returns_db, story) -> None:
    case_id = await opened_case(returns_db, story())
    uow, rules = returns_db.runtime.uow, returns_db.rules
    ordered = await run(
        commands.order_travel, uow(), rules, case_id, commands.OrderTravel(date(2026, 11, 19))
    )
    booking_id = ordered.item_ref
    await run(
        commands.book_travel,
        uow(),
        rules,
        case_id,
        commands.BookTravel(booked_on=date(2026, 11, 20), departure_on=date(2026, 12, 1)),
    )
    cancel = commands.CancelTravel(booking_id, date(2026, 11, 23), TravelCancellationReason.PERSON_WITHDREW)
    await run(commands.cancel_travel, uow(), rules, case_id, cancel)
    with pytest.raises(Conflict) as twice:
        await run(commands.cancel_travel, uow(), rules, case_id, cancel)
    assert twice.value.reason == "travel_cancelled"
    with pytest.raises(InvalidInput) as unknown:
        await run(
            commands.cancel_travel,
            uow(),
            rules,
            case_id,
            commands.CancelTravel("TB-none", date(2026, 11, 23), TravelCancellationReason.OTHER),
        )
    assert unknown.value.field == "booking_id"

    [booked] = await returns_db.published("travel-booked.v1")
    assert booked == {
        "return_case_id": case_id,
        "booking_id": booking_id,
        "ordered_on": "2026-11-19",
        "due_on": "2026-11-20",
        "booked_on": "2026-11-20",
        "departure_on": "2026-12-01",
        "destination_country": "IRQ",
    }
    [cancelled] = await returns_db.published("travel-booking-cancelled.v1")
    assert cancelled["reason"] == "person_withdrew"
    again = await run(commands.order_travel, uow(), rules, case_id, commands.OrderTravel(date(2026, 11, 23)))
    assert again.item_ref != booking_id  # a cancelled booking holds back no new order


async def test_a_new_examination_closes_the_case_and_its_refusal_reopens_it(returns_db, story) -> None:
    case_id = await opened_case(returns_db, story())
    uow, rules = returns_db.runtime.uow, returns_db.rules
    lodged = await run(
        commands.record_impediment_application,
        uow(),
        rules,
        case_id,
        commands.RecordImpedimentApplication(date(2026, 11, 10)),
    )
    decide = commands.DecideImpedimentApplication(
        lodged.item_ref, date(2026, 11, 16), ImpedimentOutcome.NEW_EXAMINATION, inhibition_ordered=True
    )
    await run(commands.decide_impediment_application, uow(), rules, case_id, decide)
    assert await status_of(returns_db, case_id) is CaseStatus.CANCELLED
    with pytest.raises(Conflict):
        await run(commands.decide_impediment_application, uow(), rules, case_id, decide)
    with pytest.raises(Conflict) as wrong:
        await run(
            commands.reopen,
            uow(),
            rules,
            case_id,
            commands.Reopen(ReopeningReason.DEPARTURE_NOT_CARRIED_OUT, date(2026, 11, 20)),
        )
    assert wrong.value.reason == "not_reopenable"
    with pytest.raises(InvalidInput) as by_hand:
        await run(
            commands.reopen,
            uow(),
            rules,
            case_id,
            commands.Reopen(ReopeningReason.HANDOVER_REJECTED, date(2026, 11, 20)),
        )
    assert by_hand.value.field == "reason"

    await run(
        commands.reopen,
        uow(),
        rules,
        case_id,
        commands.Reopen(ReopeningReason.NEW_EXAMINATION_REFUSED, date(2026, 11, 20)),
    )
    assert await status_of(returns_db, case_id) is CaseStatus.OPEN

    assert [
        p["impediment_application_id"] for p in await returns_db.published("impediment-application-lodged.v1")
    ] == [lodged.item_ref]
    [decided] = await returns_db.published("impediment-application-decided.v1")
    assert (decided["outcome"], decided["inhibition_ordered"]) == ("new_examination", True)
    [closed] = await returns_db.published("return-case-closed.v1")
    assert (closed["closed_on"], closed["reason"]) == ("2026-11-16", "new_examination_ordered")
    [reopened] = await returns_db.published("return-case-reopened.v1")
    assert (reopened["reopened_on"], reopened["reason"]) == ("2026-11-20", "new_examination_refused")


async def test_every_closing_and_reopening_names_its_reason(returns_db, story) -> None:
    uow, rules = returns_db.runtime.uow, returns_db.rules
    departs, handed, granted = story(), story(), story()
    departed_id = await opened_case(returns_db, departs)
    await run(
        commands.record_departure, uow(), rules, departed_id, commands.RecordDeparture(date(2026, 11, 20))
    )
    await run(
        commands.reopen,
        uow(),
        rules,
        departed_id,
        commands.Reopen(ReopeningReason.DEPARTURE_NOT_CARRIED_OUT, date(2026, 11, 23)),
    )

    handed_id = await opened_case(returns_db, handed)
    await run(
        commands.record_absconding,
        uow(),
        rules,
        handed_id,
        commands.RecordAbsconding(noticed_on=date(2026, 11, 18)),
    )
    first = await run(
        commands.hand_over, uow(), rules, handed_id, commands.HandOver(HandoverGround.ABSCONDED, CASEWORKER)
    )
    await returns_db.deliver(handed.rejected(handed_id, first.item_ref))
    second = await run(
        commands.hand_over, uow(), rules, handed_id, commands.HandOver(HandoverGround.ABSCONDED, CASEWORKER)
    )
    await returns_db.deliver(handed.accepted(handed_id, second.item_ref))

    granted_id = await opened_case(returns_db, granted)
    grant = granted.refused().model_copy(
        update={
            "decision_id": "DEC-later",
            "decided_on": date(2026, 11, 21),
            "outcome": DecisionOutcome.GRANTED,
            "permit_type": PermitType.PERMANENT,
            "removal_order": None,
            "immediate_enforcement": None,
            "destination_country": None,
        }
    )
    await returns_db.deliver(grant)

    closings = [
        (p["return_case_id"], p["reason"]) for p in await returns_db.published("return-case-closed.v1")
    ]
    assert closings == [
        (departed_id, "voluntary_departure"),
        (handed_id, "handed_over_to_police"),
        (granted_id, "protection_granted"),
    ]
    reopenings = [
        (p["return_case_id"], p["reason"]) for p in await returns_db.published("return-case-reopened.v1")
    ]
    assert reopenings == [(departed_id, "departure_not_carried_out"), (handed_id, "handover_rejected")]


async def test_a_dublin_transfer_closes_the_case_and_opens_none_later(returns_db, story) -> None:
    transferred, lapsed = story(), story()
    transferred_id = await opened_case(returns_db, transferred)
    carried_out = DublinTransferCarriedOutV1(
        application_id=transferred.application_id,
        person_ref=transferred.person_ref,
        receiving_state="DEU",
        accepted_on=date(2026, 6, 2),
        transfer_deadline=date(2026, 12, 2),
        transferred_on=date(2026, 11, 19),
    )
    await returns_db.deliver(carried_out)
    later = transferred.enforceable().model_copy(update={"decision_id": "DEC-after-transfer"})
    await returns_db.deliver(later)

    lapsed_id = await opened_case(returns_db, lapsed)
    deadline = DublinTransferDeadlinePassedV1(
        application_id=lapsed.application_id,
        person_ref=lapsed.person_ref,
        accepted_on=date(2026, 5, 4),
        transfer_deadline=date(2026, 11, 4),
        responsible_from=date(2026, 11, 5),
    )
    await returns_db.deliver(deadline)
    national = lapsed.enforceable(date(2026, 11, 20)).model_copy(update={"decision_id": "DEC-national"})
    await returns_db.deliver(national)

    assert await status_of(returns_db, transferred_id) is CaseStatus.CANCELLED
    assert await status_of(returns_db, lapsed_id) is CaseStatus.CANCELLED
    closings = [
        (p["return_case_id"], p["reason"]) for p in await returns_db.published("return-case-closed.v1")
    ]
    assert closings == [(transferred_id, "dublin_transfer"), (lapsed_id, "dublin_deadline_passed")]
    opened = [p["decision_id"] for p in await returns_db.published("return-case-opened.v1")]
    assert opened == [transferred.decision_id, lapsed.decision_id, "DEC-national"]


async def test_the_lapse_counts_from_legal_force_and_the_package_names_the_deciding_court(
    returns_db, story
) -> None:
    person = story()
    enforceable = person.enforceable(date(2026, 11, 2), RemovalOrderKind.REFUSAL_OF_ENTRY).model_copy(
        update={
            "immediate_enforcement": True,
            "legal_force_on": date(2026, 11, 16),
            "decided_by": "MIGD-MALMO",
        }
    )
    await returns_db.deliver_all([person.registered(), person.identity(), person.refused(), enforceable])
    case_id = await returns_db.case_id_for(person.application_id)
    view = await queries.get_case(returns_db.runtime.uow(), returns_db.rules, case_id)
    assert view.case.order_lapses_on == date(2030, 11, 16)
    assert [d.decided_by for d in view.dossier.decisions] == ["MIGD-MALMO"]


async def test_an_enforced_return_is_recorded_on_the_case(returns_db, story) -> None:
    person = story()
    case_id = await opened_case(returns_db, person)
    executed = RemovalExecutedV1(
        plan_id="PL-1",
        return_case_id=case_id,
        executed_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC),  # 23 November in Stockholm
        use_of_force=False,
        carried_out_as=RemovalFacts(
            revision=2,
            transport=Transport.CHARTER,
            escort_level=EscortLevel.ESCORTED_TO_DESTINATION,
            destination_country="TUR",
        ),
    )
    await returns_db.deliver(executed)
    view = await queries.get_case(returns_db.runtime.uow(), returns_db.rules, case_id)
    assert (view.case.removed_on, view.case.removed_to) == (date(2026, 11, 23), "TUR")


async def test_the_handover_to_the_police_is_a_recorded_disclosure(returns_db, story) -> None:
    person = story()
    case_id = await opened_case(returns_db, person)
    uow, rules = returns_db.runtime.uow, returns_db.rules
    await returns_db.deliver(person.identity())
    await run(
        commands.record_absconding,
        uow(),
        rules,
        case_id,
        commands.RecordAbsconding(noticed_on=date(2026, 11, 18)),
    )
    await run(
        commands.hand_over, uow(), rules, case_id, commands.HandOver(HandoverGround.ABSCONDED, CASEWORKER)
    )

    tables = audit_tables_of(orm.metadata)
    async with returns_db.runtime.sessions() as session:
        [entry], total = await PersonalDataAudit(session, tables).search(
            Paging(), person_ref=person.person_ref, subject=None, role=None
        )
        assert (await verify(session, tables)).intact
    assert total == 1
    assert (entry.access, entry.recipient, entry.subject, entry.role) == (
        Access.DISCLOSED,
        "police",
        "caseworker-3",
        "agency",
    )
    assert "identity.full_name" in entry.fields
    assert "last_known_address.street_address" in entry.fields
    assert entry.resource == "handoff.returns.case-handed-over-to-police.v1"
