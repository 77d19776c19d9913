"""What returns' HTTP API answers: the case, its parts and deadlines.

No answer carries personal data: the identity, the last known address and the counsellor's
notes are kept in returns' database and leave it only in the package handed over to the
Police. An answer says whether they are known, not what they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from handoff_plumbing.http.paging import Page
from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
    HandoverGround,
    ReturnStance,
    TravelDocumentKind,
)
from handoff_schemas.events.returns_steps import (
    ImpedimentOutcome,
    ReopeningReason,
    ReturnCaseClosure,
    TravelCancellationReason,
)
from returns.adapters.return_cases import CaseSummary
from returns.domain.applicant import Dossier
from returns.domain.case_state import CaseStatus
from returns.domain.counselling import CounsellingMeeting
from returns.domain.errors import Missing
from returns.domain.handover import Handover, HandoverOutcome
from returns.domain.inhibitions import Inhibition
from returns.domain.leaving import ImpedimentApplication
from returns.domain.return_case import ReturnCase
from returns.domain.support import SupportApplication
from returns.domain.targets import ItemState, Target, TargetItem
from returns.domain.travel import TravelBooking, TravelDocumentOutcome, TravelDocumentRequest

OPEN_STATES = (ItemState.OVERDUE, ItemState.NOT_YET_DUE)


class DeadlineOut(BaseModel):
    target: Target
    ref: str
    due_on: date
    met_on: date | None
    state: ItemState
    days_late: int = Field(description="Days past the due day (up to today, or until met).")

    @classmethod
    def of(cls, item: TargetItem, as_of: date) -> DeadlineOut:
        return cls(
            target=item.target,
            ref=item.ref,
            due_on=item.due_on,
            met_on=item.met_on,
            state=item.state(as_of),
            days_late=item.days_late(as_of),
        )


class CounsellingOut(BaseModel):
    return_case_id: str
    meeting_number: int
    held_on: date
    language: str
    interpreter_used: bool
    stance: ReturnStance
    is_last_meeting: bool
    evaluation: DignifiedReturnEvaluation | None
    has_conversation_notes: bool

    @classmethod
    def of(cls, case: ReturnCase, m: CounsellingMeeting) -> CounsellingOut:
        return cls(
            return_case_id=case.return_case_id,
            meeting_number=m.meeting_number,
            held_on=m.held_on,
            language=m.language,
            interpreter_used=m.interpreter_used,
            stance=m.stance,
            is_last_meeting=m.is_last_meeting,
            evaluation=m.evaluation,
            has_conversation_notes=bool(m.notes),
        )


class SupportApplicationOut(BaseModel):
    return_case_id: str
    support_application_id: str
    arrived_on: date
    decision_due: date
    decided_on: date | None
    granted: bool | None
    amount: int | None
    currency: str | None

    @classmethod
    def of(cls, case: ReturnCase, s: SupportApplication) -> SupportApplicationOut:
        return cls(
            return_case_id=case.return_case_id,
            support_application_id=s.support_application_id,
            arrived_on=s.arrived_on,
            decision_due=s.due_on,
            decided_on=s.decided_on,
            granted=s.granted,
            amount=s.amount,
            currency=s.currency,
        )


class TravelDocumentOut(BaseModel):
    return_case_id: str
    travel_document_request_id: str
    document_kind: TravelDocumentKind
    requested_on: date
    due_on: date
    handled_on: date | None
    outcome: TravelDocumentOutcome | None

    @classmethod
    def of(cls, case: ReturnCase, r: TravelDocumentRequest) -> TravelDocumentOut:
        return cls(
            return_case_id=case.return_case_id,
            travel_document_request_id=r.travel_document_request_id,
            document_kind=r.document_kind,
            requested_on=r.requested_on,
            due_on=r.due_on,
            handled_on=r.handled_on,
            outcome=r.outcome,
        )


class TravelBookingOut(BaseModel):
    return_case_id: str
    booking_id: str
    ordered_on: date
    due_on: date
    booked_on: date | None
    departure_on: date | None
    cancelled_on: date | None
    cancellation_reason: TravelCancellationReason | None

    @classmethod
    def of(cls, case: ReturnCase, b: TravelBooking) -> TravelBookingOut:
        return cls(
            return_case_id=case.return_case_id,
            booking_id=b.booking_id,
            ordered_on=b.ordered_on,
            due_on=b.due_on,
            booked_on=b.booked_on,
            departure_on=b.departure_on,
            cancelled_on=b.cancelled_on,
            cancellation_reason=b.cancellation_reason,
        )


class ImpedimentApplicationOut(BaseModel):
    return_case_id: str
    impediment_application_id: str
    lodged_on: date
    decided_on: date | None
    outcome: ImpedimentOutcome | None
    inhibition_ordered: bool | None
    stops_enforcement: Literal[False] = Field(
        default=False, description="Always false: only an inhibition stops enforcement."
    )

    @classmethod
    def of(cls, case: ReturnCase, i: ImpedimentApplication) -> ImpedimentApplicationOut:
        return cls(
            return_case_id=case.return_case_id,
            impediment_application_id=i.impediment_application_id,
            lodged_on=i.lodged_on,
            decided_on=i.decided_on,
            outcome=i.outcome,
            inhibition_ordered=i.inhibition_ordered,
        )


class ReopenedOut(BaseModel):
    return_case_id: str
    status: CaseStatus
    reopened_on: date
    reason: ReopeningReason


class DepartureOut(BaseModel):
    return_case_id: str
    status: CaseStatus
    departed_on: date
    destination_country: str


class AbscondingOut(BaseModel):
    return_case_id: str
    noticed_on: date
    whereabouts_code: str | None
    last_known_address_recorded: bool

    @classmethod
    def of(cls, case: ReturnCase) -> AbscondingOut:
        assert case.absconding is not None
        return cls(
            return_case_id=case.return_case_id,
            noticed_on=case.absconding.noticed_on,
            whereabouts_code=case.absconding.whereabouts_code,
            last_known_address_recorded=case.last_known_address is not None,
        )


class MissingOut(BaseModel):
    item: str = Field(description="Path of the package field, e.g. identity.documents.")
    problem: str = Field(description="missing, invalid or inconsistent.")
    detail: str

    @classmethod
    def of(cls, missing: Missing) -> MissingOut:
        return cls(item=missing.item, problem=missing.problem, detail=missing.detail)


class HandoverOut(BaseModel):
    return_case_id: str
    handover_id: str
    grounds: HandoverGround
    handed_over_at: datetime
    outcome: HandoverOutcome
    answered_at: datetime | None
    enforcement_case_id: str | None
    responsible_department: str | None
    missing: list[MissingOut] = Field(description="What the Police found missing, if they sent it back.")

    @classmethod
    def of(cls, case: ReturnCase, h: Handover) -> HandoverOut:
        return cls(
            return_case_id=case.return_case_id,
            handover_id=h.handover_id,
            grounds=h.grounds,
            handed_over_at=h.handed_over_at,
            outcome=h.outcome,
            answered_at=h.answered_at,
            enforcement_case_id=h.enforcement_case_id,
            responsible_department=h.responsible_department,
            missing=[MissingOut.of(m) for m in h.missing],
        )


class InhibitionOut(BaseModel):
    inhibition_id: str
    court: str
    ordered_on: date
    lifted_on: date | None
    lifted_by: str | None
    in_force: bool

    @classmethod
    def of(cls, i: Inhibition, today: date) -> InhibitionOut:
        return cls(
            inhibition_id=i.inhibition_id,
            court=i.court,
            ordered_on=i.ordered_on,
            lifted_on=i.lifted_on,
            lifted_by=i.lifted_by,
            in_force=i.in_force(today),
        )


class ReturnCaseSummaryOut(BaseModel):
    return_case_id: str
    application_id: str
    person_ref: str
    status: CaseStatus
    unit: str
    removal_order: RemovalOrderKind
    destination_country: str
    enforceable_on: date
    unaccompanied_minor: bool
    inhibition_in_force: bool
    next_due_on: date | None = Field(description="The earliest deadline not met yet.")
    overdue: list[Target]

    @classmethod
    def of(cls, case: CaseSummary, as_of: date) -> ReturnCaseSummaryOut:
        open_due = [t.due_on for t in case.targets if t.state(as_of) in OPEN_STATES]
        return cls(
            return_case_id=case.return_case_id,
            application_id=case.application_id,
            person_ref=case.person_ref,
            status=case.status,
            unit=case.unit,
            removal_order=case.removal_order,
            destination_country=case.destination_country,
            enforceable_on=case.enforceable_on,
            unaccompanied_minor=case.unaccompanied_minor,
            inhibition_in_force=bool(case.inhibitions.in_force(as_of)),
            next_due_on=min(open_due) if open_due else None,
            overdue=case.overdue(as_of),
        )


class ReturnCasePageOut(Page[ReturnCaseSummaryOut]):
    as_of: date = Field(description="The day the deadlines were judged on.")


class ReturnCaseOut(BaseModel):
    return_case_id: str
    application_id: str
    decision_id: str
    person_ref: str
    status: CaseStatus
    unit: str
    removal_order: RemovalOrderKind
    immediate_enforcement: bool
    enforceable_on: date
    destination_country: str
    unaccompanied_minor: bool
    opened_at: datetime
    closed_on: date | None
    closure_reason: ReturnCaseClosure | None = Field(description="Why the case is closed, while it is.")
    departed_on: date | None
    removed_on: date | None = Field(description="The Police carried out the removal on this day.")
    as_of: date
    enforceable: bool = Field(description="The removal order can be enforced today.")
    order_lapses_on: date = Field(description="From this day the removal order can no longer be enforced.")
    inhibition_in_force: bool
    deadlines: list[DeadlineOut]
    overdue: list[Target]
    counselling: list[CounsellingOut]
    support_applications: list[SupportApplicationOut]
    travel_documents: list[TravelDocumentOut]
    travel_bookings: list[TravelBookingOut]
    impediment_applications: list[ImpedimentApplicationOut]
    inhibitions: list[InhibitionOut]
    absconding: AbscondingOut | None
    handovers: list[HandoverOut]
    police_missing: list[MissingOut] = Field(
        description="While reopened after the Police sent a handover back: what they found missing."
    )
    identity_known: bool = Field(description="Intake's record of the identity has reached returns.")
    application_known: bool = Field(description="The application's registration has reached returns.")

    @classmethod
    def of(cls, case: ReturnCase, dossier: Dossier, today: date) -> ReturnCaseOut:
        return cls(
            return_case_id=case.return_case_id,
            application_id=case.application_id,
            decision_id=case.decision_id,
            person_ref=case.person_ref,
            status=case.status,
            unit=case.unit,
            removal_order=case.removal_order,
            immediate_enforcement=case.immediate_enforcement,
            enforceable_on=case.enforceable_on,
            destination_country=case.destination_country,
            unaccompanied_minor=case.unaccompanied_minor,
            opened_at=case.opened_at,
            closed_on=case.closed_on,
            closure_reason=case.closure_reason,
            departed_on=case.departed_on,
            removed_on=case.removed_on,
            as_of=today,
            enforceable=case.enforceable(today) and not case.order_lapsed(today),
            order_lapses_on=case.order_lapses_on,
            inhibition_in_force=bool(case.inhibitions.in_force(today)),
            deadlines=[DeadlineOut.of(item, today) for item in case.target_items()],
            overdue=sorted({item.target for item in case.overdue(today)}, key=list(Target).index),
            counselling=[CounsellingOut.of(case, m) for m in case.meetings],
            support_applications=[SupportApplicationOut.of(case, s) for s in case.support_applications],
            travel_documents=[TravelDocumentOut.of(case, r) for r in case.travel_documents],
            travel_bookings=[TravelBookingOut.of(case, b) for b in case.bookings],
            impediment_applications=[
                ImpedimentApplicationOut.of(case, i) for i in case.impediment_applications
            ],
            inhibitions=[InhibitionOut.of(i, today) for i in case.inhibitions.inhibitions],
            absconding=AbscondingOut.of(case) if case.absconding else None,
            handovers=[HandoverOut.of(case, h) for h in case.handovers],
            police_missing=[MissingOut.of(m) for m in case.police_missing],
            identity_known=dossier.identity is not None,
            application_known=dossier.application is not None,
        )
