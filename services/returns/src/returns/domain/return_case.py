"""The return case: the Migration Agency's work towards a return once a removal order is enforceable.

Plain Python with no framework imports. The case opens when a refusal with a removal order
becomes enforceable and computes its deadlines then (first counselling, closure, departure,
the order's lapse); every later fact (a counselling meeting, a support application, a travel
document request, a booking, a voluntary departure, an absconding) is checked against the
case's state and, where a target applies, gets its own deadline. Every method takes "today"
(or "now") from its caller, who reads it from the injected clock.

The case is handed over to the Police when the person absconds or coercion is assumed to be
needed: only with an enforceable, unlapsed order, no inhibition in force, and a complete
package. The Police's rejection reopens the case with the list of what they found missing.
Events leave the case without personal data, except the handover package itself.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from handoff_schemas.events.common import COUNTRY_CODE, LANGUAGE_CODE, IdentityDocumentKind, RemovalOrderKind
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.returns import (
    CaseHandedOverToPoliceV1,
    CounsellingHeldV1,
    CounsellingSummary,
    DecisionReference,
    DignifiedReturnEvaluation,
    HandoverGround,
    InhibitionRecord,
    LastKnownAddress,
    PersonAbscondedV1,
    ReEstablishmentSupportDecidedV1,
    ReturnCaseOpenedV1,
    ReturnStance,
    TravelDocumentKind,
    TravelDocumentRequestedV1,
    TravelDocumentStatus,
    VoluntaryReturnCompletedV1,
)
from returns.domain.applicant import Dossier, KnownApplication
from returns.domain.errors import Conflict, IncompletePackage, InvalidInput, Missing, UnknownItem
from returns.domain.inhibitions import InhibitionRegister
from returns.domain.rules import ReturnRules
from returns.domain.targets import Target, TargetItem

DEFAULT_UNIT = "unassigned"
WHEREABOUTS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def new_reference(prefix: str) -> str:
    """A random reference that reveals nothing about the person."""
    return f"{prefix}-{secrets.token_hex(6)}"


class CaseStatus(StrEnum):
    OPEN = "open"
    AWAITING_POLICE = "awaiting_police"
    HANDED_OVER = "handed_over"
    DEPARTED = "departed"
    CANCELLED = "cancelled"


CLOSED = frozenset({CaseStatus.HANDED_OVER, CaseStatus.DEPARTED, CaseStatus.CANCELLED})


class TravelDocumentOutcome(StrEnum):
    ISSUED = "issued"
    REFUSED = "refused"


class HandoverOutcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class CounsellingMeeting:
    meeting_number: int
    held_on: date
    language: str
    interpreter_used: bool
    stance: ReturnStance
    is_last_meeting: bool = False
    evaluation: DignifiedReturnEvaluation | None = None
    notes: str | None = None  # the counsellor's summary: personal data, for the Police's package only


@dataclass
class SupportApplication:
    """An application for re-establishment support, to be decided within two weeks of its arrival."""

    support_application_id: str
    arrived_on: date
    due_on: date
    decided_on: date | None = None
    granted: bool | None = None
    amount: int | None = None
    currency: str | None = None

    @property
    def decided(self) -> bool:
        return self.decided_on is not None


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


@dataclass(frozen=True)
class ImpedimentApplication:
    """An application about impediments to enforcement: recorded, and it stops nothing."""

    impediment_application_id: str
    lodged_on: date


@dataclass(frozen=True)
class Address:
    """Where the person was last known to live or stay (personal data)."""

    street_address: str
    municipality_code: str
    known_on: date
    postal_code: str | None = None


@dataclass(frozen=True)
class Absconding:
    noticed_on: date
    whereabouts_code: str | None = None  # coarse: a municipality or reception centre code


@dataclass
class Handover:
    handover_id: str
    grounds: HandoverGround
    handed_over_at: datetime
    handed_over_on: date
    outcome: HandoverOutcome = HandoverOutcome.PENDING
    answered_at: datetime | None = None
    enforcement_case_id: str | None = None
    responsible_department: str | None = None
    missing: tuple[Missing, ...] = ()


def _not_in_the_future(name: str, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput(name, f"{day.isoformat()} is in the future (today is {today.isoformat()})")


def _not_before(name: str, day: date, earlier: date, what: str) -> None:
    if day < earlier:
        raise InvalidInput(name, f"{day.isoformat()} is before {what} ({earlier.isoformat()})")


@dataclass
class ReturnCase:
    return_case_id: str
    application_id: str
    decision_id: str
    person_ref: str
    removal_order: RemovalOrderKind
    immediate_enforcement: bool
    enforceable_on: date
    destination_country: str
    unaccompanied_minor: bool
    opened_at: datetime
    first_counselling_due: date
    case_closure_due: date
    departure_due: date
    order_lapses_on: date
    unit: str = DEFAULT_UNIT
    status: CaseStatus = CaseStatus.OPEN
    closed_on: date | None = None
    departed_on: date | None = None
    superseded_by: str | None = None
    absconding: Absconding | None = None
    last_known_address: Address | None = None
    meetings: list[CounsellingMeeting] = field(default_factory=list)
    support_applications: list[SupportApplication] = field(default_factory=list)
    travel_documents: list[TravelDocumentRequest] = field(default_factory=list)
    bookings: list[TravelBooking] = field(default_factory=list)
    impediment_applications: list[ImpedimentApplication] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    inhibitions: InhibitionRegister = field(default_factory=lambda: InhibitionRegister(""))
    version: int = 0

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        *,
        application_id: str,
        decision_id: str,
        person_ref: str,
        removal_order: RemovalOrderKind,
        immediate_enforcement: bool,
        enforceable_on: date,
        destination_country: str,
        application: KnownApplication | None,
        inhibitions: InhibitionRegister,
        rules: ReturnRules,
        now: datetime,
        unit: str = DEFAULT_UNIT,
    ) -> tuple[ReturnCase, ReturnCaseOpenedV1]:
        """Open the case for an enforceable removal order; its deadlines count from ``enforceable_on``.

        The order's lapse counts from the same day: the contract gives no separate date of
        legal force, and under immediate enforcement this is the earlier day, so the case
        never hands over an order that might have lapsed.
        """
        unaccompanied_minor = application is not None and application.unaccompanied_minor
        case = cls(
            return_case_id=new_reference("RC"),
            application_id=application_id,
            decision_id=decision_id,
            person_ref=person_ref,
            removal_order=removal_order,
            immediate_enforcement=immediate_enforcement,
            enforceable_on=enforceable_on,
            destination_country=destination_country,
            unaccompanied_minor=unaccompanied_minor,
            opened_at=now,
            first_counselling_due=rules.first_counselling_due(enforceable_on),
            case_closure_due=rules.case_closure_due(enforceable_on, unaccompanied_minor=unaccompanied_minor),
            departure_due=rules.departure_due(enforceable_on, removal_order),
            order_lapses_on=rules.order_lapses_on(enforceable_on),
            unit=unit,
            inhibitions=inhibitions,
        )
        return case, case.opened_event()

    def opened_event(self) -> ReturnCaseOpenedV1:
        return ReturnCaseOpenedV1(
            return_case_id=self.return_case_id,
            application_id=self.application_id,
            decision_id=self.decision_id,
            person_ref=self.person_ref,
            enforceable_on=self.enforceable_on,
            removal_order=self.removal_order,
            destination_country=self.destination_country,
            unaccompanied_minor=self.unaccompanied_minor,
            first_counselling_due=self.first_counselling_due,
            case_due=self.case_closure_due,
            departure_due=self.departure_due,
        )

    # ------------------------------------------------------------------ state

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def enforceable(self, today: date) -> bool:
        return self.superseded_by is None and self.enforceable_on <= today

    def order_lapsed(self, today: date) -> bool:
        return today >= self.order_lapses_on

    @property
    def reception_ended_on(self) -> date | None:
        """The day the person left reception: departed, or absconded."""
        ends = [d for d in (self.departed_on, self.absconding.noticed_on if self.absconding else None) if d]
        return min(ends) if ends else None

    @property
    def latest_handover(self) -> Handover | None:
        return self.handovers[-1] if self.handovers else None

    @property
    def police_missing(self) -> tuple[Missing, ...]:
        """What the Police found missing, while the case is reopened after their rejection."""
        latest = self.latest_handover
        if self.status is CaseStatus.OPEN and latest and latest.outcome is HandoverOutcome.REJECTED:
            return latest.missing
        return ()

    def _require_active(self, action: str) -> None:
        if self.closed:
            when = f" on {self.closed_on.isoformat()}" if self.closed_on else ""
            raise Conflict(
                "case_closed",
                f"return case {self.return_case_id} was closed ({self.status.value}){when}: "
                f"{action} can no longer be recorded",
            )

    # ------------------------------------------------------------------ counselling

    def record_counselling(self, meeting: CounsellingMeeting, *, today: date) -> CounsellingHeldV1:
        self._require_active("counselling")
        if self.meetings and self.meetings[-1].is_last_meeting:
            last = self.meetings[-1]
            raise Conflict(
                "last_meeting_held",
                f"meeting {last.meeting_number} on {last.held_on.isoformat()} was recorded as the last one",
            )
        expected = len(self.meetings) + 1
        if meeting.meeting_number < expected:
            raise Conflict(
                "meeting_already_recorded",
                f"counselling meeting {meeting.meeting_number} is already recorded on {self.return_case_id}",
            )
        if meeting.meeting_number > expected:
            raise InvalidInput("meeting_number", f"the next meeting of this case is number {expected}")
        _not_in_the_future("held_on", meeting.held_on, today)
        if self.meetings:
            _not_before("held_on", meeting.held_on, self.meetings[-1].held_on, f"meeting {expected - 1}")
        if not re.fullmatch(LANGUAGE_CODE, meeting.language):
            raise InvalidInput("language", "an ISO 639-1 or 639-3 code in lower case, e.g. 'ar' or 'prs'")
        if meeting.evaluation is not None and not meeting.is_last_meeting:
            raise InvalidInput(
                "evaluation", "the dignified-return evaluation is asked at the last meeting only"
            )
        self.meetings.append(meeting)
        return CounsellingHeldV1(
            return_case_id=self.return_case_id,
            meeting_number=meeting.meeting_number,
            held_on=meeting.held_on,
            language=meeting.language,
            interpreter_used=meeting.interpreter_used,
            stance=meeting.stance,
            is_last_meeting=meeting.is_last_meeting,
            evaluation=meeting.evaluation,
        )

    def meeting(self, meeting_number: int) -> CounsellingMeeting:
        for meeting in self.meetings:
            if meeting.meeting_number == meeting_number:
                return meeting
        raise UnknownItem("counselling meeting", str(meeting_number))

    # ------------------------------------------------------------------ re-establishment support

    def apply_for_support(self, *, arrived_on: date, today: date, rules: ReturnRules) -> SupportApplication:
        self._require_active("a support application")
        _not_in_the_future("arrived_on", arrived_on, today)
        for earlier in self.support_applications:
            if not earlier.decided:
                raise Conflict(
                    "support_application_pending",
                    f"support application {earlier.support_application_id} (arrived "
                    f"{earlier.arrived_on.isoformat()}) is not decided yet",
                )
            if earlier.granted:
                raise Conflict(
                    "support_already_granted",
                    f"re-establishment support was granted on {earlier.support_application_id}",
                )
        application = SupportApplication(
            support_application_id=new_reference("RES"),
            arrived_on=arrived_on,
            due_on=rules.support_decision_due(arrived_on),
        )
        self.support_applications.append(application)
        return application

    def support_application(self, support_application_id: str) -> SupportApplication:
        for application in self.support_applications:
            if application.support_application_id == support_application_id:
                return application
        raise UnknownItem("support application", support_application_id, field="support_application_id")

    def decide_support(
        self,
        support_application_id: str,
        *,
        decided_on: date,
        granted: bool,
        amount: int | None,
        currency: str | None,
        today: date,
    ) -> ReEstablishmentSupportDecidedV1:
        """Decide an application; allowed after the departure too (the support follows the return)."""
        application = self.support_application(support_application_id)
        if application.decided_on is not None:
            raise Conflict(
                "support_already_decided",
                f"support application {support_application_id} was decided on "
                f"{application.decided_on.isoformat()}",
            )
        _not_in_the_future("decided_on", decided_on, today)
        _not_before("decided_on", decided_on, application.arrived_on, "the day the application arrived")
        if amount is not None and not granted:
            raise InvalidInput("amount", "a refused application has no amount")
        if amount is not None and amount < 0:
            raise InvalidInput("amount", "must not be negative")
        application.decided_on = decided_on
        application.granted = granted
        application.amount = amount
        application.currency = currency if amount is not None else None
        return ReEstablishmentSupportDecidedV1(
            return_case_id=self.return_case_id,
            support_application_id=support_application_id,
            applied_on=application.arrived_on,
            decided_on=decided_on,
            granted=granted,
            amount=application.amount,
            currency=application.currency,
        )

    # ------------------------------------------------------------------ travel document

    def request_travel_document(
        self, *, document_kind: TravelDocumentKind, requested_on: date, today: date, rules: ReturnRules
    ) -> tuple[TravelDocumentRequest, TravelDocumentRequestedV1]:
        self._require_active("a travel document request")
        _not_in_the_future("requested_on", requested_on, today)
        for earlier in self.travel_documents:
            if earlier.handled_on is None:
                raise Conflict(
                    "travel_document_pending",
                    f"travel document request {earlier.travel_document_request_id} is not handled yet",
                )
            if earlier.outcome is TravelDocumentOutcome.ISSUED:
                raise Conflict(
                    "travel_document_issued",
                    f"a travel document was issued on request {earlier.travel_document_request_id}",
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
        raise UnknownItem(
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
                "travel_document_already_handled",
                f"travel document request {travel_document_request_id} was handled on "
                f"{request.handled_on.isoformat()}",
            )
        _not_in_the_future("handled_on", handled_on, today)
        _not_before("handled_on", handled_on, request.requested_on, "the request")
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

    # ------------------------------------------------------------------ travel booking

    def order_travel(self, *, ordered_on: date, today: date, rules: ReturnRules) -> TravelBooking:
        self._require_active("a travel booking")
        _not_in_the_future("ordered_on", ordered_on, today)
        for earlier in self.bookings:
            if earlier.booked_on is None:
                raise Conflict(
                    "travel_booking_pending",
                    f"travel ordered on {earlier.ordered_on.isoformat()} ({earlier.booking_id}) "
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
        raise UnknownItem("travel booking", booking_id, field="booking_id")

    def book_travel(
        self, booking_id: str | None, *, booked_on: date, departure_on: date | None, today: date
    ) -> TravelBooking:
        self._require_active("a travel booking")
        if booking_id is not None:
            booking = self.booking(booking_id)
        else:
            unbooked = [b for b in self.bookings if b.booked_on is None]
            if not unbooked:
                raise Conflict(
                    "no_travel_ordered", f"no travel is ordered and unbooked on {self.return_case_id}"
                )
            booking = unbooked[-1]
        if booking.booked_on is not None:
            raise Conflict(
                "travel_already_booked",
                f"travel {booking.booking_id} was booked on {booking.booked_on.isoformat()}",
            )
        _not_in_the_future("booked_on", booked_on, today)
        _not_before("booked_on", booked_on, booking.ordered_on, "the order")
        if departure_on is not None:
            _not_before("departure_on", departure_on, booked_on, "the booking")
        booking.booked_on = booked_on
        booking.departure_on = departure_on
        return booking

    # ------------------------------------------------------------------ departure, absconding, impediments

    def record_departure(
        self, *, departed_on: date, destination_country: str | None, today: date
    ) -> VoluntaryReturnCompletedV1:
        """The person left voluntarily: the case is completed and closed."""
        if self.status is CaseStatus.DEPARTED and self.departed_on is not None:
            raise Conflict(
                "already_departed", f"the departure on {self.departed_on.isoformat()} is already recorded"
            )
        self._require_active("a departure")
        _not_in_the_future("departed_on", departed_on, today)
        _not_before("departed_on", departed_on, self.enforceable_on, "the day the order became enforceable")
        country = destination_country or self.destination_country
        if not re.fullmatch(COUNTRY_CODE, country):
            raise InvalidInput("destination_country", "an ISO 3166-1 alpha-3 code, e.g. 'IRQ'")
        self.status = CaseStatus.DEPARTED
        self.departed_on = departed_on
        self.closed_on = departed_on
        return VoluntaryReturnCompletedV1(
            return_case_id=self.return_case_id, departed_on=departed_on, destination_country=country
        )

    def record_absconding(
        self, *, noticed_on: date, whereabouts_code: str | None, address: Address | None, today: date
    ) -> PersonAbscondedV1:
        """The person absconded. The event names a coarse code only; the address stays here."""
        self._require_active("an absconding")
        if self.absconding is not None:
            raise Conflict(
                "already_absconded",
                f"the absconding noticed on {self.absconding.noticed_on.isoformat()} is already recorded",
            )
        _not_in_the_future("noticed_on", noticed_on, today)
        if address is not None:
            self._check_address(address, today)
        code = whereabouts_code or (address.municipality_code if address else None)
        if code is not None and not WHEREABOUTS_CODE.fullmatch(code):
            raise InvalidInput(
                "whereabouts_code", "a municipality or reception centre code (letters, digits)"
            )
        self.absconding = Absconding(noticed_on=noticed_on, whereabouts_code=code)
        if address is not None:
            self.last_known_address = address
        return PersonAbscondedV1(
            return_case_id=self.return_case_id, noticed_on=noticed_on, last_known_whereabouts=code
        )

    def record_impediment_application(self, *, lodged_on: date, today: date) -> ImpedimentApplication:
        """Record an application about impediments to enforcement.

        It stops nothing: only an inhibition does (DOMAIN.md). Nothing else on the case
        reads this list.
        """
        self._require_active("an impediment application")
        _not_in_the_future("lodged_on", lodged_on, today)
        for earlier in self.impediment_applications:
            if earlier.lodged_on == lodged_on:
                raise Conflict(
                    "impediment_application_recorded",
                    f"an impediment application lodged on {lodged_on.isoformat()} is already recorded "
                    f"({earlier.impediment_application_id})",
                )
        application = ImpedimentApplication(new_reference("IMP"), lodged_on)
        self.impediment_applications.append(application)
        return application

    def impediment_application(self, impediment_application_id: str) -> ImpedimentApplication:
        for application in self.impediment_applications:
            if application.impediment_application_id == impediment_application_id:
                return application
        raise UnknownItem("impediment application", impediment_application_id)

    def assign_unit(self, unit: str) -> None:
        unit = unit.strip()
        if not unit or len(unit) > 64:
            raise InvalidInput("unit", "a unit code of 1 to 64 characters")
        self.unit = unit

    def supersede(self, *, decision_id: str, decided_on: date) -> bool:
        """A later decision granted protection: the removal order is no longer enforceable."""
        if self.closed:
            return False
        self.superseded_by = decision_id
        self.status = CaseStatus.CANCELLED
        self.closed_on = decided_on
        return True

    # ------------------------------------------------------------------ handover to the Police

    def hand_over(
        self,
        *,
        grounds: HandoverGround,
        dossier: Dossier,
        now: datetime,
        today: date,
        address: Address | None = None,
    ) -> CaseHandedOverToPoliceV1:
        """Hand the case over with its complete package, or refuse saying why."""
        if self.status in (CaseStatus.DEPARTED, CaseStatus.HANDED_OVER):
            raise Conflict(
                "case_closed", f"return case {self.return_case_id} was closed ({self.status.value})"
            )
        pending = self.latest_handover
        if self.status is CaseStatus.AWAITING_POLICE and pending is not None:
            raise Conflict(
                "handover_pending", f"handover {pending.handover_id} is awaiting the Police's answer"
            )
        if not self.enforceable(today):
            why = (
                f"decision {self.superseded_by} granted protection"
                if self.superseded_by
                else f"it becomes enforceable on {self.enforceable_on.isoformat()}"
            )
            raise Conflict("not_enforceable", f"the removal order is not enforceable: {why}")
        if self.order_lapsed(today):
            raise Conflict("order_lapsed", f"the removal order lapsed on {self.order_lapses_on.isoformat()}")
        in_force = self.inhibitions.in_force(today)
        if in_force:
            stay = in_force[0]
            raise Conflict(
                "inhibition_in_force",
                f"inhibition {stay.inhibition_id} ordered by {stay.court} on {stay.ordered_on.isoformat()} "
                "is in force: enforcement is stayed",
            )
        if grounds is HandoverGround.ABSCONDED and self.absconding is None:
            raise Conflict("not_absconded", "the grounds are 'absconded' but no absconding is recorded")
        if address is not None:
            self._check_address(address, today)
        known_address = address or self.last_known_address
        missing = self.package_gaps(grounds, dossier, known_address)
        if missing:
            raise IncompletePackage(missing)
        assert dossier.identity is not None  # package_gaps checked it
        assert dossier.application is not None
        if address is not None:
            self.last_known_address = address
        handover = Handover(
            handover_id=new_reference("HO"), grounds=grounds, handed_over_at=now, handed_over_on=today
        )
        self.handovers.append(handover)
        self.status = CaseStatus.AWAITING_POLICE
        return CaseHandedOverToPoliceV1(
            return_case_id=self.return_case_id,
            handover_id=handover.handover_id,
            application_id=self.application_id,
            person_ref=self.person_ref,
            grounds=grounds,
            handed_over_at=now,
            identity=dossier.identity.identity,
            removal_order=self.removal_order,
            enforceable_on=self.enforceable_on,
            decisions=[
                DecisionReference(decision_id=d.decision_id, decided_by=d.decided_by, decided_on=d.decided_on)
                for d in sorted(dossier.decisions, key=lambda d: (d.decided_on, d.decision_id))
            ],
            destination_country=self.destination_country,
            vulnerabilities=list(dossier.application.vulnerabilities),
            counselling_history=[
                CounsellingSummary(
                    meeting_number=m.meeting_number,
                    held_on=m.held_on,
                    language=m.language,
                    interpreter_used=m.interpreter_used,
                    stance=m.stance,
                    conversation_notes=m.notes,
                )
                for m in self.meetings
            ],
            travel_document_status=self.travel_document_status(today, dossier.identity.identity),
            last_known_address=(
                LastKnownAddress(
                    street_address=known_address.street_address,
                    postal_code=known_address.postal_code,
                    municipality_code=known_address.municipality_code,
                    known_on=known_address.known_on,
                )
                if known_address
                else None
            ),
            inhibitions=[
                InhibitionRecord(
                    inhibition_id=i.inhibition_id,
                    court=i.court,
                    ordered_on=i.ordered_on,
                    lifted_on=i.lifted_on,
                )
                for i in self.inhibitions.inhibitions
            ],
        )

    def package_gaps(
        self, grounds: HandoverGround, dossier: Dossier, address: Address | None
    ) -> tuple[Missing, ...]:
        """What a handover package on ``grounds`` would lack; empty when it is complete."""
        gaps: list[Missing] = []
        if dossier.identity is None:
            gaps.append(
                Missing("identity", "intake has not recorded the person's identity and documents for returns")
            )
        elif dossier.identity.person_ref != self.person_ref:
            gaps.append(
                Missing(
                    "identity",
                    "the identity recorded for the application belongs to another person reference",
                    problem="inconsistent",
                )
            )
        if dossier.application is None:
            gaps.append(
                Missing(
                    "vulnerabilities",
                    f"the registration and vulnerability screening of {self.application_id} are not known",
                )
            )
        if not dossier.decisions:
            gaps.append(Missing("decisions", f"no decision on {self.application_id} is known to returns"))
        if grounds is HandoverGround.COERCION_NEEDED:
            if not self.meetings:
                gaps.append(
                    Missing("counselling_history", "no return counselling meeting is recorded on the case")
                )
            if address is None:
                gaps.append(Missing("last_known_address", "where the person lives or stays is not recorded"))
        return tuple(gaps)

    def handover(self, handover_id: str) -> Handover:
        for handover in self.handovers:
            if handover.handover_id == handover_id:
                return handover
        raise UnknownItem("handover", handover_id)

    def _answered(self, handover_id: str) -> Handover | None:
        latest = self.latest_handover
        if (
            latest is None
            or latest.handover_id != handover_id
            or latest.outcome is not HandoverOutcome.PENDING
        ):
            return None
        return latest

    def handover_accepted(
        self,
        *,
        handover_id: str,
        enforcement_case_id: str,
        responsible_department: str,
        accepted_at: datetime,
    ) -> bool:
        """The Police took the case over; an answer to an earlier or unknown handover changes nothing."""
        handover = self._answered(handover_id)
        if handover is None:
            return False
        handover.outcome = HandoverOutcome.ACCEPTED
        handover.answered_at = accepted_at
        handover.enforcement_case_id = enforcement_case_id
        handover.responsible_department = responsible_department
        if self.status is CaseStatus.AWAITING_POLICE:
            self.status = CaseStatus.HANDED_OVER
            self.closed_on = handover.handed_over_on
        return True

    def handover_rejected(
        self, *, handover_id: str, missing: Sequence[Missing], rejected_at: datetime
    ) -> bool:
        """The Police sent the package back: the case reopens with what they found missing."""
        handover = self._answered(handover_id)
        if handover is None:
            return False
        handover.outcome = HandoverOutcome.REJECTED
        handover.answered_at = rejected_at
        handover.missing = tuple(missing)
        if self.status is CaseStatus.AWAITING_POLICE:
            self.status = CaseStatus.OPEN
        return True

    @staticmethod
    def _check_address(address: Address, today: date) -> None:
        _not_in_the_future("last_known_address.known_on", address.known_on, today)
        if not address.street_address.strip():
            raise InvalidInput("last_known_address.street_address", "must not be blank")

    # ------------------------------------------------------------------ targets

    def target_items(self) -> list[TargetItem]:
        """Every deadline of the case with when it was met or stopped applying."""
        first = self.meetings[0].held_on if self.meetings else None
        counselling_ends = [
            d for d in (self.closed_on, self.absconding.noticed_on if self.absconding else None) if d
        ]
        closed_by_work = self.status in (CaseStatus.DEPARTED, CaseStatus.HANDED_OVER)
        items = [
            TargetItem(
                Target.FIRST_COUNSELLING,
                self.return_case_id,
                self.first_counselling_due,
                met_on=first,
                stopped_on=None if first else (min(counselling_ends) if counselling_ends else None),
            ),
            TargetItem(
                Target.CASE_CLOSURE,
                self.return_case_id,
                self.case_closure_due,
                met_on=self.closed_on if closed_by_work else None,
                stopped_on=self.closed_on if self.status is CaseStatus.CANCELLED else None,
            ),
            TargetItem(
                Target.DEPARTURE,
                self.return_case_id,
                self.departure_due,
                met_on=self.departed_on,
                stopped_on=None if self.departed_on else self.closed_on,
            ),
        ]
        items += [
            TargetItem(
                Target.TRAVEL_DOCUMENT,
                r.travel_document_request_id,
                r.due_on,
                met_on=r.handled_on,
                stopped_on=None if r.handled_on else self.closed_on,
            )
            for r in self.travel_documents
        ]
        items += [
            TargetItem(
                Target.TRAVEL_BOOKING,
                b.booking_id,
                b.due_on,
                met_on=b.booked_on,
                stopped_on=None if b.booked_on else self.closed_on,
            )
            for b in self.bookings
        ]
        items += [
            TargetItem(Target.SUPPORT_DECISION, s.support_application_id, s.due_on, met_on=s.decided_on)
            for s in self.support_applications
        ]
        return items

    def overdue(self, as_of: date) -> list[TargetItem]:
        return [item for item in self.target_items() if item.overdue(as_of)]
