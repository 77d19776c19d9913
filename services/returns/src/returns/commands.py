"""Command handlers: load the case, call one domain method, stage its events, commit.

Every command that creates something takes an optional client ``request_id``: the first
use is remembered with what it created, in the same transaction; a repetition returns that
first result and creates and publishes nothing. A repeated command without a request id
meets the case's state guards instead (a second departure, meeting 1 again, ...).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.returns import HandoverGround, TravelDocumentKind
from returns.adapters.repository import CommandRequest, CommandRequestRepository, load_dossier
from returns.adapters.return_cases import ReturnCaseRepository
from returns.domain.errors import Conflict, UnknownItem
from returns.domain.return_case import Address, CounsellingMeeting, ReturnCase, TravelDocumentOutcome
from returns.domain.rules import ReturnRules


@dataclass(frozen=True)
class Outcome:
    """The case after the command, the reference of what it created, and whether it did."""

    case: ReturnCase
    item_ref: str
    created: bool


@dataclass(frozen=True)
class Moment:
    now: datetime
    today: date


Step = Callable[[ReturnCase, Moment, AsyncSession], Awaitable[tuple[str, list[Event]]]]


async def _execute(
    uow: UnitOfWork,
    rules: ReturnRules,
    *,
    return_case_id: str,
    command: str,
    request_id: str | None,
    step: Step,
) -> Outcome:
    try:
        return await _execute_once(uow, rules, return_case_id, command, request_id, step)
    except IntegrityError:
        if request_id is None:
            raise
        # The same request id raced us and won: answer as its repetition.
        async with uow:
            replay = await _replay(uow, return_case_id, command, request_id)
        if replay is None:
            raise
        return replay


async def _execute_once(
    uow: UnitOfWork,
    rules: ReturnRules,
    return_case_id: str,
    command: str,
    request_id: str | None,
    step: Step,
) -> Outcome:
    async with uow:
        if request_id is not None:
            replay = await _replay(uow, return_case_id, command, request_id)
            if replay is not None:
                return replay
        cases = ReturnCaseRepository(uow.session)
        case = await cases.get(return_case_id)
        if case is None:
            raise UnknownItem("return case", return_case_id)
        now = uow.clock.now()
        item_ref, events = await step(case, Moment(now=now, today=rules.today(now)), uow.session)
        await cases.save(case)
        for event in events:
            await uow.publish(event)
        if request_id is not None:
            await CommandRequestRepository(uow.session).add(
                CommandRequest(
                    request_id=request_id,
                    return_case_id=return_case_id,
                    command=command,
                    item_ref=item_ref,
                    created_at=now,
                )
            )
        await uow.commit()
    return Outcome(case=case, item_ref=item_ref, created=True)


async def _replay(uow: UnitOfWork, return_case_id: str, command: str, request_id: str) -> Outcome | None:
    earlier = await CommandRequestRepository(uow.session).get(request_id)
    if earlier is None:
        return None
    if (earlier.return_case_id, earlier.command) != (return_case_id, command):
        raise Conflict(
            "request_id_reused",
            f"request_id {request_id!r} was already used for {earlier.command} on {earlier.return_case_id}",
        )
    case = await ReturnCaseRepository(uow.session).get(return_case_id)
    if case is None:
        raise UnknownItem("return case", return_case_id)
    return Outcome(case=case, item_ref=earlier.item_ref, created=False)


# ---------------------------------------------------------------------- the commands


@dataclass(frozen=True)
class RecordCounselling:
    meeting: CounsellingMeeting
    request_id: str | None = None


async def record_counselling(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: RecordCounselling
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        event = case.record_counselling(command.meeting, today=at.today)
        return str(command.meeting.meeting_number), [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="counselling",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class ApplyForSupport:
    arrived_on: date
    request_id: str | None = None


async def apply_for_support(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: ApplyForSupport
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        application = case.apply_for_support(arrived_on=command.arrived_on, today=at.today, rules=rules)
        return application.support_application_id, []

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="support-application",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class DecideSupport:
    support_application_id: str
    decided_on: date
    granted: bool
    amount: int | None = None
    currency: str | None = None
    request_id: str | None = None


async def decide_support(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: DecideSupport
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        event = case.decide_support(
            command.support_application_id,
            decided_on=command.decided_on,
            granted=command.granted,
            amount=command.amount,
            currency=command.currency or rules.currency,
            today=at.today,
        )
        return command.support_application_id, [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="support-decision",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class RequestTravelDocument:
    document_kind: TravelDocumentKind
    requested_on: date
    request_id: str | None = None


async def request_travel_document(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: RequestTravelDocument
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        request, event = case.request_travel_document(
            document_kind=command.document_kind,
            requested_on=command.requested_on,
            today=at.today,
            rules=rules,
        )
        return request.travel_document_request_id, [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="travel-document-request",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class HandleTravelDocument:
    travel_document_request_id: str
    handled_on: date
    outcome: TravelDocumentOutcome
    request_id: str | None = None


async def handle_travel_document(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: HandleTravelDocument
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        request = case.handle_travel_document(
            command.travel_document_request_id,
            handled_on=command.handled_on,
            outcome=command.outcome,
            today=at.today,
        )
        return request.travel_document_request_id, []

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="travel-document-handled",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class OrderTravel:
    ordered_on: date
    request_id: str | None = None


async def order_travel(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: OrderTravel
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        return case.order_travel(ordered_on=command.ordered_on, today=at.today, rules=rules).booking_id, []

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="travel-ordered",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class BookTravel:
    booked_on: date
    booking_id: str | None = None
    departure_on: date | None = None
    request_id: str | None = None


async def book_travel(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: BookTravel
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        booking = case.book_travel(
            command.booking_id, booked_on=command.booked_on, departure_on=command.departure_on, today=at.today
        )
        return booking.booking_id, []

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="travel-booked",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class RecordDeparture:
    departed_on: date
    destination_country: str | None = None
    request_id: str | None = None


async def record_departure(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: RecordDeparture
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        event = case.record_departure(
            departed_on=command.departed_on, destination_country=command.destination_country, today=at.today
        )
        return case.return_case_id, [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="departure",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class RecordAbsconding:
    noticed_on: date
    whereabouts_code: str | None = None
    last_known_address: Address | None = None
    request_id: str | None = None


async def record_absconding(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: RecordAbsconding
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        event = case.record_absconding(
            noticed_on=command.noticed_on,
            whereabouts_code=command.whereabouts_code,
            address=command.last_known_address,
            today=at.today,
        )
        return case.return_case_id, [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="absconding",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class RecordImpedimentApplication:
    lodged_on: date
    request_id: str | None = None


async def record_impediment_application(
    uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: RecordImpedimentApplication
) -> Outcome:
    async def step(case: ReturnCase, at: Moment, _session: AsyncSession) -> tuple[str, list[Event]]:
        application = case.record_impediment_application(lodged_on=command.lodged_on, today=at.today)
        return application.impediment_application_id, []

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="impediment-application",
        request_id=command.request_id,
        step=step,
    )


@dataclass(frozen=True)
class HandOver:
    grounds: HandoverGround
    last_known_address: Address | None = None
    request_id: str | None = None


async def hand_over(uow: UnitOfWork, rules: ReturnRules, return_case_id: str, command: HandOver) -> Outcome:
    async def step(case: ReturnCase, at: Moment, session: AsyncSession) -> tuple[str, list[Event]]:
        event = case.hand_over(
            grounds=command.grounds,
            dossier=await load_dossier(session, case.application_id),
            now=at.now,
            today=at.today,
            address=command.last_known_address,
        )
        return event.handover_id, [event]

    return await _execute(
        uow,
        rules,
        return_case_id=return_case_id,
        command="handover",
        request_id=command.request_id,
        step=step,
    )


async def assign_unit(uow: UnitOfWork, return_case_id: str, unit: str) -> ReturnCase:
    """Set the Agency unit handling the case (idempotent by nature; publishes nothing)."""
    async with uow:
        cases = ReturnCaseRepository(uow.session)
        case = await cases.get(return_case_id)
        if case is None:
            raise UnknownItem("return case", return_case_id)
        case.assign_unit(unit)
        await cases.save(case)
        await uow.commit()
    return case
