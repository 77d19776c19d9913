"""Events published by the Migration Agency's return counselling.

Topic handoff.returns.return-case.v1 carries the life of a return case with no personal
data (the person is the pseudonymous ``person_ref``). Topic handoff.returns.handover.v1
carries the one event that does: the complete package handed over to the Police, whose
personal fields are marked with :func:`~handoff_schemas.base.personal`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from handoff_schemas.base import Event, personal
from handoff_schemas.events.common import (
    COUNTRY_CODE,
    CURRENCY_CODE,
    LANGUAGE_CODE,
    EventPart,
    RemovalOrderKind,
    Vulnerability,
)
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.topics import RETURNS_HANDOVER_V1, RETURNS_RETURN_CASE_V1, Topic

# --------------------------------------------------------------------------- vocabularies


class ReturnStance(StrEnum):
    """The person's stance on returning voluntarily, as the counsellor records it."""

    WILLING_TO_RETURN = "willing_to_return"
    UNDECIDED = "undecided"
    REFUSES = "refuses"


class EvaluationAnswer(StrEnum):
    """One answer of the dignified-return evaluation, on a scale that can be aggregated."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    DECLINED_TO_ANSWER = "declined_to_answer"


class TravelDocumentKind(StrEnum):
    """The travel document requested for the return."""

    PASSPORT = "passport"
    EMERGENCY_TRAVEL_DOCUMENT = "emergency_travel_document"
    LAISSEZ_PASSER = "laissez_passer"
    EU_TRAVEL_DOCUMENT = "eu_travel_document"


class TravelDocumentStatus(StrEnum):
    """Where the travel document for the return stands at handover."""

    VALID_DOCUMENT_HELD = "valid_document_held"
    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    ISSUED = "issued"
    REFUSED = "refused"


class HandoverGround(StrEnum):
    """Why a return case is handed over to the Police."""

    ABSCONDED = "absconded"
    COERCION_NEEDED = "coercion_needed"


# --------------------------------------------------------------------------- return-case topic


class DignifiedReturnEvaluation(EventPart):
    """The person's answers, at the last counselling meeting, to whether the return is humane and
    dignified; every answer is optional and none is free text, so they aggregate."""

    informed_about_options: EvaluationAnswer | None = Field(
        default=None, description="Was the person informed about the process and their options?"
    )
    understood_decision: EvaluationAnswer | None = Field(
        default=None, description="Did the person understand the decision and its reasons?"
    )
    treated_with_respect: EvaluationAnswer | None = Field(
        default=None, description="Was the person treated with respect by the Agency's staff?"
    )
    had_time_to_prepare: EvaluationAnswer | None = Field(
        default=None, description="Did the person have enough time to prepare the return?"
    )
    return_humane_and_dignified: EvaluationAnswer | None = Field(
        default=None, description="Overall, does the person find the return humane and dignified?"
    )


class ReturnCaseOpenedV1(Event):
    """A return case was opened at return counselling because a removal decision became enforceable."""

    event_type: ClassVar[str] = "handoff.returns.return-case-opened.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case's id; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    application_id: str = Field(
        description="The asylum application whose decision is enforced (intake's id).",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    decision_id: str = Field(
        description="Reference of the enforceable decision.",
        min_length=1,
        max_length=64,
        examples=["DEC-2026-004211"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person; never a name or document number.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    enforceable_on: date = Field(description="The date the removal order became enforceable.")
    removal_order: RemovalOrderKind = Field(description="The kind of removal order to enforce.")
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country of return.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    unaccompanied_minor: bool = Field(
        description="The person is an unaccompanied minor (a five-month case deadline instead of two)."
    )
    first_counselling_due: date = Field(
        description="The first return counselling meeting is due by this date (two weeks after "
        "enforceable_on)."
    )
    case_due: date = Field(
        description="The case is to be closed by this date (two months after enforceable_on, five for an "
        "unaccompanied minor)."
    )
    departure_due: date = Field(description="The last day for voluntary departure set by the decision.")


class CounsellingHeldV1(Event):
    """A return counselling meeting was held with the person."""

    event_type: ClassVar[str] = "handoff.returns.counselling-held.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    meeting_number: int = Field(description="1 for the first meeting of the case, then 2, 3, ...", ge=1)
    held_on: date = Field(description="The date the meeting was held.")
    language: str = Field(
        description="ISO 639-1 or 639-3 code of the language the meeting was held in.",
        pattern=LANGUAGE_CODE,
        examples=["ar"],
    )
    interpreter_used: bool = Field(description="An interpreter took part.")
    stance: ReturnStance = Field(description="The person's stance on returning voluntarily.")
    is_last_meeting: bool = Field(description="This was the last counselling meeting of the case.")
    evaluation: DignifiedReturnEvaluation | None = Field(
        default=None,
        description="The dignified-return evaluation, asked at the last meeting only; null if not asked.",
    )

    @model_validator(mode="after")
    def _evaluation_only_at_the_last_meeting(self) -> Self:
        if self.evaluation is not None and not self.is_last_meeting:
            raise ValueError("the dignified-return evaluation is asked at the last meeting only")
        return self


class ReEstablishmentSupportDecidedV1(Event):
    """An application for re-establishment support (a grant towards a new start after a voluntary
    return) was decided."""

    event_type: ClassVar[str] = "handoff.returns.re-establishment-support-decided.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    support_application_id: str = Field(
        description="Reference of the application for re-establishment support.",
        min_length=1,
        max_length=64,
        examples=["RES-2026-0577"],
    )
    applied_on: date = Field(
        description="The date the application arrived; it is to be decided within two weeks."
    )
    decided_on: date = Field(description="The date of the decision.")
    granted: bool = Field(description="The support was granted.")
    amount: int | None = Field(
        default=None, description="The amount granted, in whole units of the currency; null if refused.", ge=0
    )
    currency: str | None = Field(
        default=None,
        description="ISO 4217 code of the amount's currency; set with the amount.",
        pattern=CURRENCY_CODE,
        examples=["SEK"],
    )

    @model_validator(mode="after")
    def _amount_goes_with_a_grant(self) -> Self:
        if (self.amount is None) != (self.currency is None):
            raise ValueError("amount and currency come together")
        if self.amount is not None and not self.granted:
            raise ValueError("a refused application has no amount")
        if self.decided_on < self.applied_on:
            raise ValueError("decided_on is before applied_on")
        return self


class TravelDocumentRequestedV1(Event):
    """A travel document for the return was requested from the destination country's authorities."""

    event_type: ClassVar[str] = "handoff.returns.travel-document-requested.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    request_id: str = Field(
        description="Reference of the travel document request.",
        min_length=1,
        max_length=64,
        examples=["TD-2026-1042"],
    )
    document_kind: TravelDocumentKind = Field(description="The kind of travel document requested.")
    requested_on: date = Field(description="The date the request was made.")
    due_on: date = Field(description="The request is to be handled by this date (three working days).")
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country of return whose authorities issue the document.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )


class VoluntaryReturnCompletedV1(Event):
    """The person left the country voluntarily and the return case is completed."""

    event_type: ClassVar[str] = "handoff.returns.voluntary-return-completed.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    departed_on: date = Field(description="The date the person departed.")
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country the person returned to.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )


class PersonAbscondedV1(Event):
    """The person absconded: the Agency no longer knows where they are."""

    event_type: ClassVar[str] = "handoff.returns.person-absconded.v1"
    topic: ClassVar[Topic] = RETURNS_RETURN_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    noticed_on: date = Field(description="The date the Agency noticed the person had absconded.")
    last_known_whereabouts: str | None = Field(
        default=None,
        description="Coarse code of the last known whereabouts: a municipality code or a reception "
        "centre code, never an address; null if unknown.",
        min_length=1,
        max_length=32,
        examples=["1280"],
    )


# --------------------------------------------------------------------------- handover topic


class LastKnownAddress(EventPart):
    """Where the person was last known to live or stay."""

    street_address: str = personal(
        "Street address (or the reception centre's address), as registered.", min_length=1, max_length=200
    )
    postal_code: str | None = personal("Postal code.", default=None, min_length=1, max_length=16)
    municipality_code: str = Field(
        description="Code of the municipality.", min_length=1, max_length=16, examples=["1280"]
    )
    known_on: date = Field(description="The date this address was last confirmed.")


class CounsellingSummary(EventPart):
    """A summary of one return counselling meeting."""

    meeting_number: int = Field(description="1 for the first meeting of the case, then 2, 3, ...", ge=1)
    held_on: date = Field(description="The date the meeting was held.")
    language: str = Field(
        description="ISO 639-1 or 639-3 code of the language the meeting was held in.",
        pattern=LANGUAGE_CODE,
        examples=["ar"],
    )
    interpreter_used: bool = Field(description="An interpreter took part.")
    stance: ReturnStance = Field(description="The person's stance on returning voluntarily.")
    conversation_notes: str | None = personal(
        "The counsellor's summary of the conversation (free text about the person).",
        default=None,
        max_length=4000,
    )


class DecisionReference(EventPart):
    """A decision the removal rests on."""

    decision_id: str = Field(
        description="Reference of the decision.", min_length=1, max_length=64, examples=["DEC-2026-004211"]
    )
    decided_by: str = Field(
        description="Code of the authority or court that made it.",
        min_length=1,
        max_length=64,
        examples=["MIGRATIONSVERKET"],
    )
    decided_on: date = Field(description="The date of the decision.")


class InhibitionRecord(EventPart):
    """An inhibition (stay of enforcement) registered on the case, with its dates."""

    inhibition_id: str = Field(
        description="Reference of the inhibition.", min_length=1, max_length=64, examples=["INH-2026-0193"]
    )
    court: str = Field(
        description="Code of the court or body that ordered it.",
        min_length=1,
        max_length=64,
        examples=["MIGD-MALMO"],
    )
    ordered_on: date = Field(description="The date it was ordered.")
    lifted_on: date | None = Field(default=None, description="The date it was lifted; null while in force.")


class CaseHandedOverToPoliceV1(Event):
    """The Migration Agency handed a return case over to the Police for enforcement, with the complete
    package the Police need."""

    event_type: ClassVar[str] = "handoff.returns.case-handed-over-to-police.v1"
    topic: ClassVar[Topic] = RETURNS_HANDOVER_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The return case handed over; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    handover_id: str = Field(
        description="Reference of this handover; the Police's acceptance or rejection names it, and a "
        "handover sent again after a rejection gets a new one.",
        min_length=1,
        max_length=64,
        examples=["HO-2026-00871"],
    )
    application_id: str = Field(
        description="The asylum application whose decision is enforced (intake's id).",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person, used on every topic without personal data.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    grounds: HandoverGround = Field(description="Why the case is handed over.")
    handed_over_at: AwareDatetime = Field(description="When the case was handed over.")
    identity: PersonIdentity = personal("The person's identity and identity documents.")
    removal_order: RemovalOrderKind = Field(description="The kind of removal order to enforce.")
    enforceable_on: date = Field(description="The date the removal order became enforceable.")
    decisions: list[DecisionReference] = Field(
        default_factory=list, description="The decisions the removal rests on, oldest first."
    )
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country of return.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    vulnerabilities: list[Vulnerability] = Field(
        default_factory=list, description="The person's vulnerability categories, as currently known."
    )
    counselling_history: list[CounsellingSummary] = Field(
        default_factory=list, description="Every return counselling meeting held, oldest first."
    )
    travel_document_status: TravelDocumentStatus = Field(
        description="Where the travel document for the return stands."
    )
    last_known_address: LastKnownAddress | None = personal(
        "Where the person was last known to live or stay (for an absconded person, the last address "
        "before absconding); null if unknown.",
        default=None,
    )
    inhibitions: list[InhibitionRecord] = Field(
        default_factory=list, description="Every inhibition registered on the case, lifted or in force."
    )
