"""Returns' commands: load the case, call one method of it, store it, stage its events.

Each runs inside the unit of work it is given and does not commit: the HTTP edge
(:data:`handoff_plumbing.http.commands.Command`) commits, together with the answer it
remembers under the caller's ``request_id``. A repeated command without a request id meets
the case's state guards instead (a second departure, meeting 1 again, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from handoff_plumbing.audit import Access, Accessor, PersonalDataAudit, PersonalDataUse, personal_fields_of
from handoff_plumbing.errors import NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, HandoverGround, TravelDocumentKind
from handoff_schemas.events.returns_steps import ImpedimentOutcome, ReopeningReason, TravelCancellationReason
from returns.adapters.dossiers import load_dossier
from returns.adapters.orm import audit_trail
from returns.adapters.return_cases import ReturnCaseRepository
from returns.domain.counselling import CounsellingMeeting
from returns.domain.handover_package import package
from returns.domain.return_case import ReturnCase
from returns.domain.rules import ReturnsRules
from returns.domain.travel import TravelDocumentOutcome
from returns.domain.whereabouts import Address


@dataclass(frozen=True)
class Outcome:
    """The case after the command, and the reference of the item the command made or changed."""

    case: ReturnCase
    item_ref: str


Act = Callable[[ReturnCase, date], tuple[str, list[Event]]]


async def _on_case(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, act: Act) -> Outcome:
    """Load the case, let ``act`` change it on today's date, save it and stage its events."""
    cases = ReturnCaseRepository(uow.session)
    case = await cases.get(return_case_id)
    if case is None:
        raise NotFound("return case", return_case_id)
    was_closed = case.closed
    item_ref, events = act(case, rules.today(uow.clock.now()))
    if case.closed and not was_closed:
        events = [*events, case.closed_event()]
    await cases.save(case)
    for event in events:
        await uow.publish(event)
    return Outcome(case=case, item_ref=item_ref)


# ---------------------------------------------------------------------- counselling, support


@dataclass(frozen=True)
class RecordCounselling:
    meeting: CounsellingMeeting


async def record_counselling(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: RecordCounselling
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        meeting = command.meeting
        return str(meeting.meeting_number), [case.record_counselling(meeting, today=today)]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class ApplyForSupport:
    arrived_on: date


async def apply_for_support(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: ApplyForSupport
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        application = case.apply_for_support(arrived_on=command.arrived_on, today=today, rules=rules)
        return application.support_application_id, []

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class DecideSupport:
    support_application_id: str
    decided_on: date
    granted: bool
    amount: int | None = None
    currency: str | None = None


async def decide_support(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: DecideSupport
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.decide_support(
            command.support_application_id,
            decided_on=command.decided_on,
            granted=command.granted,
            amount=command.amount,
            currency=command.currency or rules.currency,
            today=today,
        )
        return command.support_application_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


# ---------------------------------------------------------------------- travel


@dataclass(frozen=True)
class RequestTravelDocument:
    document_kind: TravelDocumentKind
    requested_on: date


async def request_travel_document(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: RequestTravelDocument
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        request, event = case.request_travel_document(
            document_kind=command.document_kind, requested_on=command.requested_on, today=today, rules=rules
        )
        return request.travel_document_request_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class HandleTravelDocument:
    travel_document_request_id: str
    handled_on: date
    outcome: TravelDocumentOutcome


async def handle_travel_document(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: HandleTravelDocument
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        request = case.handle_travel_document(
            command.travel_document_request_id,
            handled_on=command.handled_on,
            outcome=command.outcome,
            today=today,
        )
        return request.travel_document_request_id, []

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class OrderTravel:
    ordered_on: date


async def order_travel(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: OrderTravel
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        return case.order_travel(ordered_on=command.ordered_on, today=today, rules=rules).booking_id, []

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class BookTravel:
    booked_on: date
    booking_id: str | None = None
    departure_on: date | None = None


async def book_travel(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: BookTravel
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        booking, event = case.book_travel(
            command.booking_id, booked_on=command.booked_on, departure_on=command.departure_on, today=today
        )
        return booking.booking_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class CancelTravel:
    booking_id: str
    cancelled_on: date
    reason: TravelCancellationReason


async def cancel_travel(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: CancelTravel
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.cancel_travel(
            command.booking_id, cancelled_on=command.cancelled_on, reason=command.reason, today=today
        )
        return command.booking_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


# ---------------------------------------------------------------------- leaving


@dataclass(frozen=True)
class RecordDeparture:
    departed_on: date
    destination_country: str | None = None


async def record_departure(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: RecordDeparture
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.record_departure(
            departed_on=command.departed_on, destination_country=command.destination_country, today=today
        )
        return case.return_case_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class RecordAbsconding:
    noticed_on: date
    whereabouts_code: str | None = None
    last_known_address: Address | None = None


async def record_absconding(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: RecordAbsconding
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.record_absconding(
            noticed_on=command.noticed_on,
            whereabouts_code=command.whereabouts_code,
            address=command.last_known_address,
            today=today,
        )
        return case.return_case_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class RecordImpedimentApplication:
    lodged_on: date


async def record_impediment_application(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: RecordImpedimentApplication
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        application, event = case.record_impediment_application(lodged_on=command.lodged_on, today=today)
        return application.impediment_application_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class DecideImpedimentApplication:
    impediment_application_id: str
    decided_on: date
    outcome: ImpedimentOutcome
    inhibition_ordered: bool = False


async def decide_impediment_application(
    uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: DecideImpedimentApplication
) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.decide_impediment_application(
            command.impediment_application_id,
            decided_on=command.decided_on,
            outcome=command.outcome,
            inhibition_ordered=command.inhibition_ordered,
            today=today,
        )
        return command.impediment_application_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


@dataclass(frozen=True)
class Reopen:
    reason: ReopeningReason
    reopened_on: date


async def reopen(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: Reopen) -> Outcome:
    def act(case: ReturnCase, today: date) -> tuple[str, list[Event]]:
        event = case.reopen(reason=command.reason, reopened_on=command.reopened_on, today=today)
        return case.return_case_id, [event]

    return await _on_case(uow, rules, return_case_id, act)


# ---------------------------------------------------------------------- handover


HANDOVER_PURPOSE = "enforcement of the removal order by the Police"


@dataclass(frozen=True)
class HandOver:
    grounds: HandoverGround
    handed_over_by: Accessor
    last_known_address: Address | None = None


async def hand_over(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, command: HandOver) -> Outcome:
    """Hand the case over with its complete package (checked by the case, built after)."""
    cases = ReturnCaseRepository(uow.session)
    case = await cases.get(return_case_id)
    if case is None:
        raise NotFound("return case", return_case_id)
    dossier = await load_dossier(uow.session, case.application_id)
    now = uow.clock.now()
    handover = case.hand_over(
        grounds=command.grounds,
        dossier=dossier,
        now=now,
        today=rules.today(now),
        address=command.last_known_address,
    )
    await cases.save(case)
    await uow.publish(package(case, handover, dossier))
    await PersonalDataAudit(uow.session, audit_trail).record(
        PersonalDataUse(
            accessor=command.handed_over_by,
            person_ref=case.person_ref,
            fields=personal_fields_of(CaseHandedOverToPoliceV1),
            purpose=HANDOVER_PURPOSE,
            resource=CaseHandedOverToPoliceV1.event_type,
            access=Access.DISCLOSED,
            recipient="police",
        ),
        now=now,
    )
    return Outcome(case=case, item_ref=handover.handover_id)


async def assign_unit(uow: UnitOfWork, rules: ReturnsRules, return_case_id: str, unit: str) -> Outcome:
    """Set the Agency unit handling the case (idempotent by nature; publishes nothing)."""

    def act(case: ReturnCase, _today: date) -> tuple[str, list[Event]]:
        case.assign_unit(unit)
        return case.return_case_id, []

    return await _on_case(uow, rules, return_case_id, act)
