"""What returns' HTTP API takes: the request bodies, closed (an unknown field is a 422).

Some carry personal data (the counsellor's notes, the last known address): they stay in
returns' database and leave it only in the package handed over to the Police.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http.commands import RequestId
from handoff_plumbing.http.types import CountryCode, Day, Identifier, Text
from handoff_schemas.events.common import CURRENCY_CODE, LANGUAGE_CODE
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
    HandoverGround,
    ReturnStance,
    TravelDocumentKind,
)
from handoff_schemas.events.returns_steps import ImpedimentOutcome, ReopeningReason, TravelCancellationReason
from returns.domain.travel import TravelDocumentOutcome
from returns.domain.whereabouts import Address

Text64 = Annotated[str, Text(max_length=64)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------- requests


class CounsellingIn(In):
    request_id: RequestId
    meeting_number: int = Field(
        ge=1, le=100, description="1 for the first meeting of the case, then 2, 3, ..."
    )
    held_on: Day
    language: str = Field(pattern=LANGUAGE_CODE, description="ISO 639-1 or 639-3 code, e.g. 'ar' or 'prs'.")
    interpreter_used: bool
    stance: ReturnStance
    is_last_meeting: bool = False
    evaluation: DignifiedReturnEvaluation | None = Field(
        default=None, description="The dignified-return evaluation, asked at the last meeting only."
    )
    conversation_notes: Annotated[str, Text(max_length=4000, multiline=True)] | None = Field(
        default=None,
        description="The counsellor's summary (personal data: kept for the Police's package, never shown).",
    )


class SupportApplicationIn(In):
    request_id: RequestId
    arrived_on: Day = Field(
        description="The day the application arrived; the decision is due two weeks later."
    )


class SupportDecisionIn(In):
    request_id: RequestId
    support_application_id: Identifier
    decided_on: Day
    granted: bool
    amount: int | None = Field(
        default=None, ge=0, le=10_000_000, description="Whole units of the currency; only if granted."
    )
    currency: str | None = Field(
        default=None, pattern=CURRENCY_CODE, description="ISO 4217 code; the service's currency if left out."
    )


class TravelDocumentRequestIn(In):
    request_id: RequestId
    document_kind: TravelDocumentKind
    requested_on: Day


class TravelDocumentHandledIn(In):
    request_id: RequestId
    travel_document_request_id: Identifier
    handled_on: Day
    outcome: TravelDocumentOutcome


class TravelOrderedIn(In):
    stage: Literal["ordered"]
    request_id: RequestId
    ordered_on: Day = Field(
        description="The day travel was ordered; it is to be booked by the next working day."
    )


class TravelBookedIn(In):
    stage: Literal["booked"]
    request_id: RequestId
    booking_id: Identifier | None = Field(
        default=None, description="The order booked; the open one if left out."
    )
    booked_on: Day
    departure_on: Day | None = None


TravelBookingIn = Annotated[TravelOrderedIn | TravelBookedIn, Field(discriminator="stage")]


class DepartureIn(In):
    request_id: RequestId
    departed_on: Day
    destination_country: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3; the case's destination if left out.",
    )


class AddressIn(In):
    street_address: Annotated[str, Text(max_length=200)]
    postal_code: Annotated[str, Text(max_length=16)] | None = None
    municipality_code: Annotated[str, Text(max_length=16)]
    known_on: Day = Field(description="The day this address was last confirmed.")

    def to_domain(self) -> Address:
        return Address(
            street_address=self.street_address,
            postal_code=self.postal_code,
            municipality_code=self.municipality_code,
            known_on=self.known_on,
        )


class AbscondingIn(In):
    request_id: RequestId
    noticed_on: Day
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
    lodged_on: Day


class ImpedimentDecisionIn(In):
    decided_on: Day
    outcome: ImpedimentOutcome = Field(
        description="no_impediment (enforcement goes on), new_examination (the case closes until it ends), "
        "residence_permit (the order can no longer be enforced)."
    )
    inhibition_ordered: bool = Field(
        default=False,
        description="Enforcement was stayed with the decision (register the stay at intake, which tells "
        "everyone; this only says so).",
    )


class TravelCancellationIn(In):
    cancelled_on: Day
    reason: TravelCancellationReason


class ReopeningIn(In):
    reopened_on: Day
    reason: ReopeningReason = Field(
        description="new_examination_refused (a case closed for a new examination) or "
        "departure_not_carried_out (a departure that did not happen); a rejected handover reopens by itself."
    )


class HandoverIn(In):
    request_id: RequestId
    grounds: HandoverGround
    last_known_address: AddressIn | None = Field(
        default=None, description="Where the person lives or stays, if not recorded yet (personal data)."
    )


class UnitIn(In):
    unit: Text64 = Field(description="The Agency unit handling the case.")
