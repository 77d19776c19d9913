"""The request and response bodies of returns' HTTP API.

Responses carry no personal data: the identity, the last known address and the counsellor's
notes are kept in returns' database and leave it only in the package handed over to the
Police. A response says whether they are known, not what they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from handoff_schemas.events.common import COUNTRY_CODE, CURRENCY_CODE, LANGUAGE_CODE, RemovalOrderKind
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
    HandoverGround,
    ReturnStance,
    TravelDocumentKind,
)
from returns.domain.errors import Missing
from returns.domain.inhibitions import Inhibition
from returns.domain.return_case import (
    Address,
    CaseStatus,
    CounsellingMeeting,
    Handover,
    HandoverOutcome,
    ImpedimentApplication,
    ReturnCase,
    SupportApplication,
    TravelBooking,
    TravelDocumentOutcome,
    TravelDocumentRequest,
)
from returns.domain.targets import ItemState, Target, TargetItem

RequestId = Annotated[
    str | None,
    Field(
        default=None,
        min_length=1,
        max_length=128,
        description="Client-chosen id; repeating it returns the first result, creating and publishing "
        "nothing.",
    ),
]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------- requests


class CounsellingIn(In):
    request_id: RequestId
    meeting_number: int = Field(ge=1, description="1 for the first meeting of the case, then 2, 3, ...")
    held_on: date
    language: str = Field(pattern=LANGUAGE_CODE, description="ISO 639-1 or 639-3 code, e.g. 'ar' or 'prs'.")
    interpreter_used: bool
    stance: ReturnStance
    is_last_meeting: bool = False
    evaluation: DignifiedReturnEvaluation | None = Field(
        default=None, description="The dignified-return evaluation, asked at the last meeting only."
    )
    conversation_notes: str | None = Field(
        default=None,
        max_length=4000,
        description="The counsellor's summary (personal data: kept for the Police's package, never shown).",
    )


class SupportApplicationIn(In):
    request_id: RequestId
    arrived_on: date = Field(
        description="The day the application arrived; the decision is due two weeks later."
    )


class SupportDecisionIn(In):
    request_id: RequestId
    support_application_id: str = Field(min_length=1, max_length=64)
    decided_on: date
    granted: bool
    amount: int | None = Field(
        default=None, ge=0, description="Whole units of the currency; only if granted."
    )
    currency: str | None = Field(
        default=None, pattern=CURRENCY_CODE, description="ISO 4217 code; the service's currency if left out."
    )


class TravelDocumentRequestIn(In):
    request_id: RequestId
    document_kind: TravelDocumentKind
    requested_on: date


class TravelDocumentHandledIn(In):
    request_id: RequestId
    travel_document_request_id: str = Field(min_length=1, max_length=64)
    handled_on: date
    outcome: TravelDocumentOutcome


class TravelOrderedIn(In):
    stage: Literal["ordered"]
    request_id: RequestId
    ordered_on: date = Field(
        description="The day travel was ordered; it is to be booked by the next working day."
    )


class TravelBookedIn(In):
    stage: Literal["booked"]
    request_id: RequestId
    booking_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="The order booked; the open one if left out."
    )
    booked_on: date
    departure_on: date | None = None


TravelBookingIn = Annotated[TravelOrderedIn | TravelBookedIn, Field(discriminator="stage")]


class DepartureIn(In):
    request_id: RequestId
    departed_on: date
    destination_country: str | None = Field(
        default=None,
        pattern=COUNTRY_CODE,
        description="ISO 3166-1 alpha-3; the case's destination if left out.",
    )


class AddressIn(In):
    street_address: str = Field(min_length=1, max_length=200)
    postal_code: str | None = Field(default=None, min_length=1, max_length=16)
    municipality_code: str = Field(min_length=1, max_length=16)
    known_on: date = Field(description="The day this address was last confirmed.")

    def to_domain(self) -> Address:
        return Address(
            street_address=self.street_address,
            postal_code=self.postal_code,
            municipality_code=self.municipality_code,
            known_on=self.known_on,
        )


class AbscondingIn(In):
    request_id: RequestId
    noticed_on: date
    whereabouts_code: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$",
        description="Coarse code of the last known whereabouts (municipality or reception centre); "
        "the municipality of the address if left out. Published; never an address.",
    )
    last_known_address: AddressIn | None = Field(
        default=None,
        description="The address before absconding (personal data: for the Police's package only).",
    )


class ImpedimentApplicationIn(In):
    request_id: RequestId
    lodged_on: date


class HandoverIn(In):
    request_id: RequestId
    grounds: HandoverGround
    last_known_address: AddressIn | None = Field(
        default=None, description="Where the person lives or stays, if not recorded yet (personal data)."
    )


class UnitIn(In):
    unit: str = Field(min_length=1, max_length=64, description="The Agency unit handling the case.")


# ---------------------------------------------------------------------- responses


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

    @classmethod
    def of(cls, case: ReturnCase, b: TravelBooking) -> TravelBookingOut:
        return cls(
            return_case_id=case.return_case_id,
            booking_id=b.booking_id,
            ordered_on=b.ordered_on,
            due_on=b.due_on,
            booked_on=b.booked_on,
            departure_on=b.departure_on,
        )


class ImpedimentApplicationOut(BaseModel):
    return_case_id: str
    impediment_application_id: str
    lodged_on: date
    stops_enforcement: Literal[False] = Field(
        default=False, description="Always false: only an inhibition stops enforcement."
    )

    @classmethod
    def of(cls, case: ReturnCase, i: ImpedimentApplication) -> ImpedimentApplicationOut:
        return cls(
            return_case_id=case.return_case_id,
            impediment_application_id=i.impediment_application_id,
            lodged_on=i.lodged_on,
        )


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


class ReturnCasePageOut(BaseModel):
    total: int = Field(description="How many cases match the filters in all.")
    limit: int
    offset: int
    as_of: date
    items: list[ReturnCaseSummaryOut]


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
    departed_on: date | None
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
