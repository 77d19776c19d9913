"""Travel for the return: travel documents (handled within three working days) and bookings
(booked no later than the working day after travel was ordered)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from handoff_plumbing.errors import Conflict
from handoff_schemas.events.common import IdentityDocumentKind
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.returns import TravelDocumentKind, TravelDocumentRequestedV1, TravelDocumentStatus
from handoff_schemas.events.returns_steps import (
    TravelBookedV1,
    TravelBookingCancelledV1,
    TravelCancellationReason,
)
from returns.domain.case_state import CaseBase, new_reference, not_before, not_in_the_future
from returns.domain.errors import unknown
from returns.domain.rules import ReturnsRules


class TravelDocumentOutcome(StrEnum):
    ISSUED = "issued"
    REFUSED = "refused"


@dataclass
class TravelDocumentRequest:
    """A travel document request, to be handled within three working days."""

    travel_document_request_id: str
    document_kind: TravelDocumentKind
    requested_on: date
    due_on: date
    handled_on: date | None = None
    outcome: TravelDocumentOutcome | None = None


@dataclass
class TravelBooking:
    """Travel ordered for the return, to be booked no later than the next working day."""

    booking_id: str
    ordered_on: date
    due_on: date
    booked_on: date | None = None
    departure_on: date | None = None
    cancelled_on: date | None = None
    cancellation_reason: TravelCancellationReason | None = None


class Travel(CaseBase):
    """The travel part of a return case."""

    def request_travel_document(
        self, *, document_kind: TravelDocumentKind, requested_on: date, today: date, rules: ReturnsRules
    ) -> tuple[TravelDocumentRequest, TravelDocumentRequestedV1]:
        self._require_active("a travel document request")
        not_in_the_future("requested_on", requested_on, today)
        for earlier in self.travel_documents:
            if earlier.handled_on is None:
                raise Conflict(
                    reason="travel_document_pending",
                    message=f"travel document request {earlier.travel_document_request_id} is not handled "
                    "yet",
                )
            if earlier.outcome is TravelDocumentOutcome.ISSUED:
                raise Conflict(
                    reason="travel_document_issued",
                    message=f"a travel document was issued on request {earlier.travel_document_request_id}",
                )
        request = TravelDocumentRequest(
            travel_document_request_id=new_reference("TD"),
            document_kind=document_kind,
            requested_on=requested_on,
            due_on=rules.travel_document_due(requested_on),
        )
        self.travel_documents.append(request)
        return request, TravelDocumentRequestedV1(
            return_case_id=self.return_case_id,
            request_id=request.travel_document_request_id,
            document_kind=document_kind,
            requested_on=requested_on,
            due_on=request.due_on,
            destination_country=self.destination_country,
        )

    def travel_document(self, travel_document_request_id: str) -> TravelDocumentRequest:
        for request in self.travel_documents:
            if request.travel_document_request_id == travel_document_request_id:
                return request
        raise unknown(
            "travel document request", travel_document_request_id, field="travel_document_request_id"
        )

    def handle_travel_document(
        self,
        travel_document_request_id: str,
        *,
        handled_on: date,
        outcome: TravelDocumentOutcome,
        today: date,
    ) -> TravelDocumentRequest:
        self._require_active("a travel document")
        request = self.travel_document(travel_document_request_id)
        if request.handled_on is not None:
            raise Conflict(
                reason="travel_document_already_handled",
                message=f"travel document request {travel_document_request_id} was handled on "
                f"{request.handled_on.isoformat()}",
            )
        not_in_the_future("handled_on", handled_on, today)
        not_before("handled_on", handled_on, request.requested_on, "the request")
        request.handled_on = handled_on
        request.outcome = outcome
        return request

    def travel_document_status(self, today: date, identity: PersonIdentity | None) -> TravelDocumentStatus:
        if self.travel_documents:
            latest = self.travel_documents[-1]
            if latest.outcome is TravelDocumentOutcome.ISSUED:
                return TravelDocumentStatus.ISSUED
            if latest.outcome is TravelDocumentOutcome.REFUSED:
                return TravelDocumentStatus.REFUSED
            return TravelDocumentStatus.REQUESTED
        if identity is not None and any(
            document.kind is IdentityDocumentKind.PASSPORT
            and (document.expires_on is None or document.expires_on > today)
            for document in identity.documents
        ):
            return TravelDocumentStatus.VALID_DOCUMENT_HELD
        return TravelDocumentStatus.NOT_REQUESTED

    def order_travel(self, *, ordered_on: date, today: date, rules: ReturnsRules) -> TravelBooking:
        self._require_active("a travel booking")
        not_in_the_future("ordered_on", ordered_on, today)
        for earlier in self.bookings:
            if earlier.booked_on is None and earlier.cancelled_on is None:
                raise Conflict(
                    reason="travel_booking_pending",
                    message=f"travel ordered on {earlier.ordered_on.isoformat()} ({earlier.booking_id}) "
                    "is not booked yet",
                )
        booking = TravelBooking(
            booking_id=new_reference("TB"), ordered_on=ordered_on, due_on=rules.travel_booking_due(ordered_on)
        )
        self.bookings.append(booking)
        return booking

    def booking(self, booking_id: str) -> TravelBooking:
        for booking in self.bookings:
            if booking.booking_id == booking_id:
                return booking
        raise unknown("travel booking", booking_id, field="booking_id")

    def book_travel(
        self, booking_id: str | None, *, booked_on: date, departure_on: date | None, today: date
    ) -> tuple[TravelBooking, TravelBookedV1]:
        self._require_active("a travel booking")
        if booking_id is not None:
            booking = self.booking(booking_id)
        else:
            unbooked = [b for b in self.bookings if b.booked_on is None and b.cancelled_on is None]
            if not unbooked:
                raise Conflict(
                    reason="no_travel_ordered",
                    message=f"no travel is ordered and unbooked on {self.return_case_id}",
                )
            booking = unbooked[-1]
        if booking.booked_on is not None:
            raise Conflict(
                reason="travel_already_booked",
                message=f"travel {booking.booking_id} was booked on {booking.booked_on.isoformat()}",
            )
        self._require_not_cancelled(booking)
        not_in_the_future("booked_on", booked_on, today)
        not_before("booked_on", booked_on, booking.ordered_on, "the order")
        if departure_on is not None:
            not_before("departure_on", departure_on, booked_on, "the booking")
        booking.booked_on = booked_on
        booking.departure_on = departure_on
        return booking, TravelBookedV1(
            return_case_id=self.return_case_id,
            booking_id=booking.booking_id,
            ordered_on=booking.ordered_on,
            due_on=booking.due_on,
            booked_on=booked_on,
            departure_on=departure_on,
            destination_country=self.destination_country,
        )

    def cancel_travel(
        self, booking_id: str, *, cancelled_on: date, reason: TravelCancellationReason, today: date
    ) -> TravelBookingCancelledV1:
        """Cancel travel ordered or booked, with the reason (a closed case's travel is moot already)."""
        self._require_active("a travel cancellation")
        booking = self.booking(booking_id)
        self._require_not_cancelled(booking)
        not_in_the_future("cancelled_on", cancelled_on, today)
        not_before("cancelled_on", cancelled_on, booking.ordered_on, "the order")
        booking.cancelled_on, booking.cancellation_reason = cancelled_on, reason
        return TravelBookingCancelledV1(
            return_case_id=self.return_case_id,
            booking_id=booking_id,
            cancelled_on=cancelled_on,
            reason=reason,
        )

    @staticmethod
    def _require_not_cancelled(booking: TravelBooking) -> None:
        if booking.cancelled_on is not None:
            raise Conflict(
                reason="travel_cancelled",
                message=f"travel {booking.booking_id} was cancelled on {booking.cancelled_on.isoformat()}",
            )
