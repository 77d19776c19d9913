"""Travel documents and travel bookings on a return case (role ``agency``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from returns import commands
from returns.entrypoints.http.dependencies import Agency, CaseId, Rules, recording
from returns.entrypoints.http.models import (
    TravelBookedIn,
    TravelBookingIn,
    TravelCancellationIn,
    TravelDocumentHandledIn,
    TravelDocumentRequestIn,
)
from returns.entrypoints.http.views import TravelBookingOut, TravelDocumentOut

router = APIRouter(prefix="/return-cases", tags=["return cases"])


@router.post(
    "/{return_case_id}/travel-document-request",
    status_code=status.HTTP_201_CREATED,
    summary="Record a travel document request (to be handled within three working days)",
    responses=recording(TravelDocumentOut),
)
async def request_travel_document(
    return_case_id: CaseId, body: TravelDocumentRequestIn, command: Command, rules: Rules, _caller: Agency
) -> TravelDocumentOut:
    async def step(uow: UnitOfWork) -> TravelDocumentOut:
        outcome = await commands.request_travel_document(
            uow, rules, return_case_id, commands.RequestTravelDocument(body.document_kind, body.requested_on)
        )
        return TravelDocumentOut.of(outcome.case, outcome.case.travel_document(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/travel-document-handled",
    status_code=status.HTTP_201_CREATED,
    summary="Record that a travel document request was handled (issued or refused)",
    responses=recording(TravelDocumentOut),
)
async def handle_travel_document(
    return_case_id: CaseId, body: TravelDocumentHandledIn, command: Command, rules: Rules, _caller: Agency
) -> TravelDocumentOut:
    handled = commands.HandleTravelDocument(
        travel_document_request_id=body.travel_document_request_id,
        handled_on=body.handled_on,
        outcome=body.outcome,
    )

    async def step(uow: UnitOfWork) -> TravelDocumentOut:
        outcome = await commands.handle_travel_document(uow, rules, return_case_id, handled)
        return TravelDocumentOut.of(outcome.case, outcome.case.travel_document(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/travel-booking",
    status_code=status.HTTP_201_CREATED,
    summary="Record that travel was ordered (stage 'ordered') or booked (stage 'booked')",
    description="Travel is to be booked no later than the working day after it was ordered.",
    responses=recording(TravelBookingOut),
)
async def travel_booking(
    return_case_id: CaseId, body: TravelBookingIn, command: Command, rules: Rules, _caller: Agency
) -> TravelBookingOut:
    async def step(uow: UnitOfWork) -> TravelBookingOut:
        if isinstance(body, TravelBookedIn):
            booked = commands.BookTravel(
                booked_on=body.booked_on, booking_id=body.booking_id, departure_on=body.departure_on
            )
            outcome = await commands.book_travel(uow, rules, return_case_id, booked)
        else:
            outcome = await commands.order_travel(
                uow, rules, return_case_id, commands.OrderTravel(body.ordered_on)
            )
        return TravelBookingOut.of(outcome.case, outcome.case.booking(outcome.item_ref))

    return await command.run(step, request_id=body.request_id, body=body)


@router.post(
    "/{return_case_id}/travel-bookings/{booking_id}/cancellation",
    summary="Cancel travel ordered or booked, with the reason",
    responses=recording(TravelBookingOut),
)
async def cancel_travel(
    return_case_id: CaseId,
    booking_id: Annotated[str, Path(max_length=64)],
    body: TravelCancellationIn,
    command: Command,
    rules: Rules,
    _caller: Agency,
) -> TravelBookingOut:
    cancelled = commands.CancelTravel(
        booking_id=booking_id, cancelled_on=body.cancelled_on, reason=body.reason
    )

    async def step(uow: UnitOfWork) -> TravelBookingOut:
        outcome = await commands.cancel_travel(uow, rules, return_case_id, cancelled)
        return TravelBookingOut.of(outcome.case, outcome.case.booking(outcome.item_ref))

    return await command.run(step)
