"""The return case: the Migration Agency's work towards a return once a removal order is enforceable.

Plain Python with no framework imports. The case opens when a refusal with a removal order
becomes enforceable and computes its deadlines then (first counselling, closure, departure,
the order's lapse); every later fact is checked against the case's state and, where a target
applies, gets its own deadline. Every method takes "today" (or "now") from its caller, who
reads it from the injected clock.

The case is composed of its parts, one module each along the domain's seams: counselling
(:mod:`.counselling`), re-establishment support (:mod:`.support`), travel documents and
bookings (:mod:`.travel`), departure, absconding and impediments (:mod:`.leaving`) and the
handover to the Police (:mod:`.handover`). Events leave the case without personal data,
except the handover package (:mod:`.handover_package`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from handoff_plumbing.errors import InvalidInput
from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.returns import ReturnCaseOpenedV1
from handoff_schemas.events.returns_steps import ReturnCaseClosure
from returns.domain.applicant import KnownApplication
from returns.domain.case_state import DEFAULT_UNIT, CaseStatus, new_reference
from returns.domain.closing import Closing
from returns.domain.counselling import Counselling, CounsellingMeeting
from returns.domain.handover import HandingOver, Handover
from returns.domain.inhibitions import InhibitionRegister
from returns.domain.leaving import ImpedimentApplication, Leaving
from returns.domain.rules import ReturnsRules
from returns.domain.support import Support, SupportApplication
from returns.domain.targets import Target, TargetItem
from returns.domain.travel import Travel, TravelBooking, TravelDocumentRequest
from returns.domain.whereabouts import Absconding, Address


@dataclass
class ReturnCase(Counselling, Support, Travel, Leaving, HandingOver, Closing):
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
    closure_reason: ReturnCaseClosure | None = None
    departed_to: str | None = None
    removed_on: date | None = None
    removed_to: str | None = None
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
        rules: ReturnsRules,
        now: datetime,
        unit: str = DEFAULT_UNIT,
        legal_force_on: date | None = None,
    ) -> tuple[ReturnCase, ReturnCaseOpenedV1]:
        """Open the case for an enforceable removal order; its deadlines count from ``enforceable_on``.

        The order lapses four years after it gained legal force (``legal_force_on``, which intake
        reports since decision-enforceable's second revision). When it is not known (an older
        publisher, or immediate enforcement before legal force) the lapse counts from
        ``enforceable_on``, the earlier day, so the case never hands over an order that might have
        lapsed.
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
            order_lapses_on=rules.order_lapses_on(legal_force_on or enforceable_on),
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

    @property
    def reception_ended_on(self) -> date | None:
        """The day the person left reception: departed, or absconded."""
        ends = [d for d in (self.departed_on, self.absconding.noticed_on if self.absconding else None) if d]
        return min(ends) if ends else None

    def assign_unit(self, unit: str) -> None:
        unit = unit.strip()
        if not unit or len(unit) > 64:
            raise InvalidInput("unit", "a unit code of 1 to 64 characters")
        self.unit = unit

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
                stopped_on=None if b.booked_on else (b.cancelled_on or self.closed_on),
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
