"""Returns' domain driven through its handlers: events through the consumers (inbox and all),
commands each in its unit of work, committed as the HTTP edge does, on a real database (SQLite
and PostgreSQL), no broker."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.audit import Accessor
from handoff_plumbing.consumer import Result
from handoff_plumbing.errors import Conflict
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.intake import DecisionMadeV1, DecisionOutcome, PermitType, Vulnerability
from handoff_schemas.events.returns import HandoverGround, ReturnStance, TravelDocumentKind
from returns import commands, queries
from returns.adapters.return_cases import ReturnCaseRepository
from returns.domain.case_state import CaseStatus
from returns.domain.counselling import CounsellingMeeting
from returns.domain.errors import ConcurrentChange, IncompletePackage
from returns.domain.targets import Target
from returns.domain.travel import TravelDocumentOutcome
from returns.domain.whereabouts import Address

pytestmark = pytest.mark.db
CASEWORKER = Accessor("caseworker-3", "agency")

ADDRESS = Address(street_address="Storgatan 12 B", municipality_code="1280", known_on=date(2026, 11, 1))
PERSONAL = ("Amina", "X0000001", "1991-04-02", "Storgatan", "the person cried")


async def run(
    command: Callable[..., Awaitable[commands.Outcome]], uow: UnitOfWork, *args: Any
) -> commands.Outcome:
    """One command in its own unit of work, committed."""
    return await committed(uow, lambda open_uow: command(open_uow, *args))


def meeting(number: int, held_on: date, **kw: object) -> commands.RecordCounselling:
    return commands.RecordCounselling(
        CounsellingMeeting(
            meeting_number=number,
            held_on=held_on,
            language="ar",
            interpreter_used=True,
            stance=ReturnStance.UNDECIDED,
            **kw,  # type: ignore[arg-type]
        )
    )


async def test_an_enforceable_refusal_opens_one_case_with_its_deadlines(returns_db, story) -> None:
    person = story()
    await returns_db.deliver_all([person.registered(Vulnerability.UNACCOMPANIED_MINOR), person.refused()])
    enforceable = person.enforceable(date(2026, 11, 2), RemovalOrderKind.REFUSAL_OF_ENTRY)
    assert await returns_db.deliver(enforceable, event_id="ev-1") is Result.PROCESSED
    assert await returns_db.deliver(enforceable, event_id="ev-1") is Result.DUPLICATE  # redelivery: inbox
    assert await returns_db.deliver(enforceable) is Result.PROCESSED  # same decision again: state guard

    [opened] = await returns_db.published("return-case-opened.v1")
    assert opened["application_id"] == person.application_id
    assert opened["unaccompanied_minor"] is True
    assert opened["first_counselling_due"] == "2026-11-16"
    assert opened["case_due"] == "2027-04-02"  # five months for an unaccompanied minor
    assert opened["departure_due"] == "2026-11-16"  # two weeks for a refusal of entry
    view = await queries.get_case(returns_db.runtime.uow(), returns_db.rules, opened["return_case_id"])
    assert view.case.unit == "unassigned"
    assert [d.decision_id for d in view.dossier.decisions] == [person.decision_id]


async def test_a_stay_blocks_the_handover_until_lifted_and_an_impediment_application_blocks_nothing(
    returns_db, story
) -> None:
    person = story()
    await returns_db.deliver_all(
        [person.inhibition(on=date(2026, 10, 20)), *person.upstream()]
    )  # before opening
    case_id = await returns_db.case_id_for(person.application_id)
    uow, rules = returns_db.runtime.uow, returns_db.rules

    await run(
        commands.record_impediment_application,
        uow(),
        rules,
        case_id,
        commands.RecordImpedimentApplication(lodged_on=date(2026, 11, 20)),
    )
    await run(
        commands.record_absconding,
        uow(),
        rules,
        case_id,
        commands.RecordAbsconding(noticed_on=date(2026, 11, 18), last_known_address=ADDRESS),
    )
    with pytest.raises(Conflict) as stayed:
        await run(
            commands.hand_over,
            uow(),
            rules,
            case_id,
            commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
        )
    assert stayed.value.reason == "inhibition_in_force"

    await returns_db.deliver(person.lifted(on=date(2026, 11, 21)))
    handed = await run(
        commands.hand_over,
        uow(),
        rules,
        case_id,
        commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
    )
    [package] = await returns_db.published("case-handed-over-to-police.v1")
    assert package["handover_id"] == handed.item_ref
    assert package["inhibitions"] == [
        {
            "inhibition_id": "INH-1",
            "court": "MIGD-MALMO",
            "ordered_on": "2026-10-20",
            "lifted_on": "2026-11-21",
        }
    ]
    assert handed.case.status is CaseStatus.AWAITING_POLICE


async def test_the_handover_carries_the_complete_package_and_nothing_personal_goes_elsewhere(
    returns_db, story
) -> None:
    person = story()
    await returns_db.deliver_all(person.upstream())
    case_id = await returns_db.case_id_for(person.application_id)
    uow, rules = returns_db.runtime.uow, returns_db.rules
    await run(commands.record_counselling, uow(), rules, case_id, meeting(1, date(2026, 11, 10)))
    await run(
        commands.record_counselling,
        uow(),
        rules,
        case_id,
        meeting(2, date(2026, 11, 17), notes="the person cried", is_last_meeting=True),
    )
    request = await run(
        commands.request_travel_document,
        uow(),
        rules,
        case_id,
        commands.RequestTravelDocument(TravelDocumentKind.EMERGENCY_TRAVEL_DOCUMENT, date(2026, 11, 18)),
    )
    await run(
        commands.handle_travel_document,
        uow(),
        rules,
        case_id,
        commands.HandleTravelDocument(request.item_ref, date(2026, 11, 20), TravelDocumentOutcome.ISSUED),
    )
    await run(
        commands.hand_over,
        uow(),
        rules,
        case_id,
        commands.HandOver(
            grounds=HandoverGround.COERCION_NEEDED, handed_over_by=CASEWORKER, last_known_address=ADDRESS
        ),
    )

    [package] = await returns_db.published("case-handed-over-to-police.v1")
    assert package["identity"]["full_name"] == "Amina Testperson"
    assert package["identity"]["documents"][0]["document_number"] == "X0000001"
    assert package["destination_country"] == "IRQ"
    assert package["decisions"] == [
        {"decision_id": person.decision_id, "decided_by": "MIGRATIONSVERKET", "decided_on": "2026-10-01"}
    ]
    assert [m["meeting_number"] for m in package["counselling_history"]] == [1, 2]
    assert package["counselling_history"][1]["conversation_notes"] == "the person cried"
    assert package["travel_document_status"] == "issued"
    assert package["last_known_address"]["street_address"] == "Storgatan 12 B"
    assert package["vulnerabilities"] == []
    for topic, event_type, payload in await returns_db.outbox():
        if "handover" not in topic:
            text = json.dumps(payload)
            assert not [p for p in PERSONAL if p in text], event_type
    assert {t for t, *_ in await returns_db.outbox()} == {
        "handoff.returns.return-case.v1",
        "handoff.returns.handover.v1",
    }


async def test_an_incomplete_package_is_never_sent(returns_db, story) -> None:
    person = story()
    await returns_db.deliver_all([person.refused(), person.enforceable()])  # no registration, no identity
    case_id = await returns_db.case_id_for(person.application_id)
    await run(
        commands.record_absconding,
        returns_db.runtime.uow(),
        returns_db.rules,
        case_id,
        commands.RecordAbsconding(noticed_on=date(2026, 11, 20)),
    )
    with pytest.raises(IncompletePackage) as incomplete:
        await run(
            commands.hand_over,
            returns_db.runtime.uow(),
            returns_db.rules,
            case_id,
            commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
        )
    assert [m.item for m in incomplete.value.missing] == ["identity", "vulnerabilities"]
    assert await returns_db.published("case-handed-over-to-police.v1") == []
    await returns_db.deliver_all([person.registered(), person.identity()])
    await run(
        commands.hand_over,
        returns_db.runtime.uow(),
        returns_db.rules,
        case_id,
        commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
    )
    [package] = await returns_db.published("case-handed-over-to-police.v1")
    assert package["travel_document_status"] == "valid_document_held"  # an unexpired passport
    assert package["last_known_address"] is None


async def test_the_polices_answers_reopen_or_close_the_case(returns_db, story) -> None:
    person = story()
    await returns_db.deliver_all(person.upstream())
    case_id = await returns_db.case_id_for(person.application_id)
    uow, rules = returns_db.runtime.uow, returns_db.rules
    await run(
        commands.record_absconding,
        uow(),
        rules,
        case_id,
        commands.RecordAbsconding(noticed_on=date(2026, 11, 20)),
    )
    first = await run(
        commands.hand_over,
        uow(),
        rules,
        case_id,
        commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
    )

    await returns_db.deliver(story.rejected(case_id, first.item_ref))
    view = await queries.get_case(uow(), rules, case_id)
    assert view.case.status is CaseStatus.OPEN
    assert [(m.item, m.problem) for m in view.case.police_missing] == [("identity.documents", "invalid")]

    second = await run(
        commands.hand_over,
        uow(),
        rules,
        case_id,
        commands.HandOver(grounds=HandoverGround.ABSCONDED, handed_over_by=CASEWORKER),
    )
    assert second.item_ref != first.item_ref
    await returns_db.deliver(story.accepted(case_id, first.item_ref))  # an answer to the old handover
    assert (await queries.get_case(uow(), rules, case_id)).case.status is CaseStatus.AWAITING_POLICE
    await returns_db.deliver(story.accepted(case_id, second.item_ref))
    view = await queries.get_case(uow(), rules, case_id)
    assert view.case.status is CaseStatus.HANDED_OVER
    assert view.case.latest_handover is not None
    assert view.case.latest_handover.enforcement_case_id == "EC-1"
    assert len(await returns_db.published("case-handed-over-to-police.v1")) == 2


async def test_a_later_grant_of_protection_cancels_the_case(returns_db, story) -> None:
    person = story()
    await returns_db.deliver_all(person.upstream())
    case_id = await returns_db.case_id_for(person.application_id)
    await returns_db.deliver(
        DecisionMadeV1(
            application_id=person.application_id,
            decision_id="DEC-GRANT",
            person_ref=person.person_ref,
            decided_on=date(2026, 11, 20),
            outcome=DecisionOutcome.GRANTED,
            permit_type=PermitType.PERMANENT,
        )
    )
    view = await queries.get_case(returns_db.runtime.uow(), returns_db.rules, case_id)
    assert view.case.status is CaseStatus.CANCELLED
    with pytest.raises(Conflict) as refused:
        await run(
            commands.hand_over,
            returns_db.runtime.uow(),
            returns_db.rules,
            case_id,
            commands.HandOver(grounds=HandoverGround.COERCION_NEEDED, handed_over_by=CASEWORKER),
        )
    assert refused.value.reason == "not_enforceable"


async def test_a_lost_update_is_refused(returns_db, story) -> None:
    person = story()
    await returns_db.deliver_all(person.upstream())
    case_id = await returns_db.case_id_for(person.application_id)
    async with returns_db.runtime.sessions() as session:
        cases = ReturnCaseRepository(session)
        one, other = await cases.get(case_id), await cases.get(case_id)
        assert one is not None
        assert other is not None
        one.assign_unit("U1")
        await cases.save(one)
        other.assign_unit("U2")
        with pytest.raises(ConcurrentChange):
            await cases.save(other)


async def test_the_list_and_the_follow_up_count_what_is_overdue(
    returns_db, story: Callable[[], object], clock
) -> None:
    uow, rules = returns_db.runtime.uow, returns_db.rules
    early, late, minor = story(), story(), story()  # type: ignore[misc]
    await returns_db.deliver_all([*early.upstream()])  # enforceable 2 Nov: counselling due 16 Nov
    await returns_db.deliver_all(
        [late.registered(), late.refused(), late.enforceable(date(2026, 11, 16))]  # due 30 Nov
    )
    await returns_db.deliver_all(
        [
            minor.registered(Vulnerability.UNACCOMPANIED_MINOR),
            minor.refused(),
            minor.enforceable(date(2026, 11, 2)),
        ]
    )
    early_id, late_id, minor_id = [
        await returns_db.case_id_for(p.application_id)  # type: ignore[attr-defined]
        for p in (early, late, minor)
    ]
    await run(commands.assign_unit, uow(), rules, early_id, "SYD")
    await run(commands.assign_unit, uow(), rules, minor_id, "SYD")
    await run(
        commands.record_counselling, uow(), rules, minor_id, meeting(1, date(2026, 11, 19))
    )  # 3 days late

    clock.set(clock.now() + timedelta(days=10))  # 3 December
    page = await queries.list_cases(uow(), rules, Paging(limit=1), overdue=Target.FIRST_COUNSELLING)
    assert page.total == 2  # early (16 Nov) and late (30 Nov); minor was counselled
    assert len(page.cases) == 1
    assert page.cases[0].return_case_id == early_id  # ordered by enforceability
    second = await queries.list_cases(
        uow(), rules, Paging(limit=1, offset=1), overdue=Target.FIRST_COUNSELLING
    )
    assert second.cases[0].return_case_id == late_id
    assert (await queries.list_cases(uow(), rules, Paging(), unit="SYD")).total == 2

    report = await queries.follow_up_report(
        uow(),
        rules,
        first_month=date(2026, 11, 1),
        last_month=date(2026, 12, 1),
        target=Target.FIRST_COUNSELLING,
    )
    lines = {(line.unit, line.month): line for line in report.lines}
    syd = lines[("SYD", "2026-11")]
    assert (syd.due, syd.met_late, syd.overdue) == (2, 1, 1)
    assert syd.person_days_past_target == 3 + 17  # minor: 16 -> 19 Nov; early: 16 Nov -> 3 Dec
    assert syd.cost_of_delay == 20 * 380
    unassigned = lines[("unassigned", "2026-11")]
    assert (unassigned.due, unassigned.overdue, unassigned.person_days_past_target) == (1, 1, 3)
    assert report.as_of == date(2026, 12, 3)
