"""Events published by the Police's enforcement of removals.

Topic handoff.police.removal-plan.v1 is the forced-return monitor's source of notices: it
carries what monitoring needs and nothing more (age band, never a date of birth; the
pseudonymous ``person_ref``, never a name or document number). Topic
handoff.police.enforcement-case.v1 answers the Agency's handover and follows the
enforcement case (detention and its end). Neither carries personal data.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator

from handoff_schemas.base import Event
from handoff_schemas.events.common import (
    COUNTRY_CODE,
    AgeBand,
    CountryCode,
    EventPart,
    Reference,
    Sex,
    ShortText,
    Transport,
    Vulnerability,
)
from handoff_schemas.topics import POLICE_ENFORCEMENT_CASE_V1, POLICE_REMOVAL_PLAN_V1, Topic

# --------------------------------------------------------------------------- vocabularies


class ReadmissionBasis(StrEnum):
    """What obliges the destination country to take the person back."""

    EU_READMISSION_AGREEMENT = "eu_readmission_agreement"
    BILATERAL_READMISSION_AGREEMENT = "bilateral_readmission_agreement"
    DUBLIN_REGULATION = "dublin_regulation"
    OWN_NATIONAL = "own_national"
    NONE = "none"


class EscortLevel(StrEnum):
    """How far the person is escorted by the Police."""

    UNESCORTED = "unescorted"
    ESCORTED_TO_DEPARTURE = "escorted_to_departure"
    ESCORTED_TO_DESTINATION = "escorted_to_destination"


class PrecautionaryMeasure(StrEnum):
    """The measure securing the removal: detention, or a lighter one (counted too)."""

    DETENTION = "detention"
    REPORTING_DUTY = "reporting_duty"
    PASSPORT_SURRENDERED = "passport_surrendered"
    RESIDENCE_REQUIREMENT = "residence_requirement"
    GUARANTEE = "guarantee"
    NONE = "none"


class Precaution(StrEnum):
    """What preparing a removal must take into account."""

    RECOVERY_TIME_AFTER_MEDICAL_PROCEDURE = "recovery_time_after_medical_procedure"
    MEDICINES_AND_PATIENT_RECORDS_PACKED = "medicines_and_patient_records_packed"
    VICTIM_OF_TRAFFICKING_CONSIDERED = "victim_of_trafficking_considered"
    BEST_INTERESTS_OF_CHILD_ASSESSED = "best_interests_of_child_assessed"
    CHILD_PROTECTION_OR_HEALTH_CARE_MEASURES_KNOWN = "child_protection_or_health_care_measures_known"


class PrecautionStatus(StrEnum):
    """Where one precaution stands."""

    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"
    DONE = "done"


class CancellationReason(StrEnum):
    """Why a removal plan was cancelled."""

    INHIBITION_ORDERED = "inhibition_ordered"
    DECISION_CHANGED = "decision_changed"
    RESIDENCE_PERMIT_GRANTED = "residence_permit_granted"
    VOLUNTARY_DEPARTURE = "voluntary_departure"
    PERSON_ABSCONDED = "person_absconded"
    REPLACED_BY_NEW_PLAN = "replaced_by_new_plan"
    OTHER = "other"


class Restraint(StrEnum):
    """A means of restraint used during a removal."""

    HANDCUFFS = "handcuffs"
    BODY_CUFF = "body_cuff"
    LEG_RESTRAINTS = "leg_restraints"
    RESTRAINT_BELT = "restraint_belt"
    HELMET = "helmet"
    OTHER = "other"


class AbortReason(StrEnum):
    """Why a removal was aborted after it had started."""

    MEDICAL = "medical"
    RESISTANCE = "resistance"
    REFUSAL_BY_CARRIER = "refusal_by_carrier"
    LEGAL_STAY = "legal_stay"
    DOCUMENTS = "documents"
    OTHER = "other"


class MissingItemProblem(StrEnum):
    """What is wrong with one item of a handover package."""

    MISSING = "missing"
    INVALID = "invalid"
    INCONSISTENT = "inconsistent"


class DetentionGround(StrEnum):
    """The legal ground for detention."""

    RISK_OF_ABSCONDING = "risk_of_absconding"
    HAMPERING_REMOVAL = "hampering_removal"
    IDENTITY_UNCLEAR = "identity_unclear"
    PREPARING_REMOVAL = "preparing_removal"
    PUBLIC_ORDER_OR_SECURITY = "public_order_or_security"
    OTHER = "other"


class DetentionEndReason(StrEnum):
    """Why a detention ended."""

    REMOVED = "removed"
    RELEASED_BY_POLICE = "released_by_police"
    RELEASED_BY_COURT = "released_by_court"
    REPLACED_BY_LIGHTER_MEASURE = "replaced_by_lighter_measure"
    TIME_LIMIT_REACHED = "time_limit_reached"
    REMOVAL_CANCELLED = "removal_cancelled"
    OTHER = "other"


# --------------------------------------------------------------------------- removal-plan topic


class RemovalFacts(EventPart):
    """How a removal was actually carried out (or attempted): the facts the monitor's notice names."""

    revision: int = Field(description="The revision of the plan the Police carried out.", ge=1)
    transport: Transport = Field(description="How the removal travelled.")
    escort_level: EscortLevel = Field(description="How far the Police escorted the person.")
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country the person was removed (or was on the way) to.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )


class PrecautionCheck(EventPart):
    """One item of the removal plan's precautions checklist."""

    precaution: Precaution = Field(description="The precaution.")
    status: PrecautionStatus = Field(description="Where it stands.")


class RemovalPlanState(Event):
    """The state of a removal plan as the monitor sees it (a base, not an event of its own)."""

    plan_id: str = Field(
        description="The removal plan's id; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    return_case_id: str = Field(
        description="The Agency's return case that the plan enforces.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person; never a name or document number.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    age_band: AgeBand = Field(description="The person's age band on the planned departure date.")
    minor: bool = Field(description="The person is under 18 on the planned departure date.")
    sex: Sex = Field(description="The person's sex as registered.")
    nationality: str = Field(
        description="ISO 3166-1 alpha-3 code of the person's nationality (XXX if stateless or unknown).",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    destination_country: str = Field(
        description="ISO 3166-1 alpha-3 code of the country the person is removed to.",
        pattern=COUNTRY_CODE,
        examples=["IRQ"],
    )
    transit_countries: list[CountryCode] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-3 codes of the countries the route transits, in order.",
        examples=[["TUR"]],
    )
    readmission_basis: ReadmissionBasis = Field(
        description="What obliges the destination country to take the person back."
    )
    transport: Transport = Field(description="How the removal travels.")
    escort_level: EscortLevel = Field(description="How far the Police escort the person.")
    planned_departure: AwareDatetime = Field(description="When the departure is planned.")
    responsible_department: str = Field(
        description="Code of the police department responsible for the removal.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    measure: PrecautionaryMeasure = Field(
        description="The measure securing the removal: detention or a lighter one."
    )
    vulnerabilities: list[Vulnerability] = Field(
        default_factory=list, description="The person's vulnerability categories."
    )
    precautions: list[PrecautionCheck] = Field(
        default_factory=list,
        description="The precautions checklist: each precaution once, with where it stands.",
    )

    @model_validator(mode="after")
    def _plan_is_consistent(self) -> Self:
        under_18 = self.age_band in (AgeBand.UNDER_12, AgeBand.AGE_12_17)
        if self.minor != under_18:
            raise ValueError("minor must agree with age_band")
        precautions = [check.precaution for check in self.precautions]
        if len(precautions) != len(set(precautions)):
            raise ValueError("each precaution appears at most once in the checklist")
        return self


class RemovalPlanCreatedV1(RemovalPlanState):
    """The Police drew up a removal plan: the monitor's notice of a planned forced removal."""

    event_type: ClassVar[str] = "handoff.police.removal-plan-created.v1"
    topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
    key_field: ClassVar[str] = "plan_id"


class RemovalPlanUpdatedV1(RemovalPlanState):
    """The Police changed a removal plan; the event carries the plan's whole new state."""

    event_type: ClassVar[str] = "handoff.police.removal-plan-updated.v1"
    topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
    key_field: ClassVar[str] = "plan_id"

    revision: int = Field(
        description="The plan's revision: the created plan is revision 1, each update adds one.", ge=2
    )
    changed_fields: list[Reference] = Field(
        default_factory=list,
        description="Names of the fields that changed since the previous revision.",
        examples=[["planned_departure", "transport"]],
    )


class RemovalPlanCancelledV1(Event):
    """The Police cancelled a removal plan before it was carried out."""

    event_type: ClassVar[str] = "handoff.police.removal-plan-cancelled.v1"
    topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
    key_field: ClassVar[str] = "plan_id"

    plan_id: str = Field(
        description="The removal plan cancelled; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    return_case_id: str = Field(
        description="The Agency's return case that the plan enforced.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    responsible_department: str | None = Field(
        default=None,
        description="Code of the police department responsible for the removal (so that a monitor "
        "who never saw the plan can still count it per department); null if not given.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    cancelled_at: AwareDatetime = Field(description="When the plan was cancelled.")
    reason: CancellationReason = Field(description="Why the plan was cancelled.")
    note: str | None = Field(
        default=None,
        description="A short note on the reason; never personal data.",
        min_length=1,
        max_length=500,
    )


class RemovalExecutedV1(Event):
    """The Police carried out the removal: the person left. Returns counts it as an enforced return
    in its Eurostat figures; the monitor compares how it was carried out with its last notice."""

    event_type: ClassVar[str] = "handoff.police.removal-executed.v1"
    topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
    key_field: ClassVar[str] = "plan_id"

    plan_id: str = Field(
        description="The removal plan carried out; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    return_case_id: str = Field(
        description="The Agency's return case that the plan enforced.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    responsible_department: str | None = Field(
        default=None,
        description="Code of the police department responsible for the removal (so that a monitor "
        "who never saw the plan can still count it per department); null if not given.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    executed_at: AwareDatetime = Field(
        description="When the person departed (or was handed over at the border)."
    )
    use_of_force: bool = Field(description="Force was used at any phase of the removal.")
    restraints_used: list[Restraint] = Field(
        default_factory=list, description="The means of restraint used, if any."
    )
    incidents: list[ShortText] = Field(
        default_factory=list,
        description="Short codes or texts of incidents during the removal; never personal data.",
        examples=[["delay_at_transit", "complaint_made"]],
    )
    carried_out_as: RemovalFacts | None = Field(
        default=None,
        description="The plan's revision and the transport, escort and destination actually used; the "
        "monitor judges anew a removal that departs from its last notice. Null from publishers older "
        "than this field.",
    )


class RemovalAbortedV1(Event):
    """A removal was started but aborted, so the person was not removed."""

    event_type: ClassVar[str] = "handoff.police.removal-aborted.v1"
    topic: ClassVar[Topic] = POLICE_REMOVAL_PLAN_V1
    key_field: ClassVar[str] = "plan_id"

    plan_id: str = Field(
        description="The removal plan aborted; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["PL-2026-0a41c7"],
    )
    return_case_id: str = Field(
        description="The Agency's return case that the plan enforces.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    responsible_department: str | None = Field(
        default=None,
        description="Code of the police department responsible for the removal (so that a monitor "
        "who never saw the plan can still count it per department); null if not given.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )
    aborted_at: AwareDatetime = Field(description="When the removal was aborted.")
    reason: AbortReason = Field(description="Why the removal was aborted.")
    at_departure: bool = Field(
        description="Aborted at the place of departure (before boarding), rather than en route."
    )
    note: str | None = Field(
        default=None,
        description="A short note on the reason; never personal data.",
        min_length=1,
        max_length=500,
    )
    attempted_as: RemovalFacts | None = Field(
        default=None,
        description="The plan's revision and the transport, escort and destination of the attempt; the "
        "monitor judges anew an attempt that departs from its last notice. Null from publishers older "
        "than this field.",
    )


# --------------------------------------------------------------------------- enforcement-case topic


class MissingItem(EventPart):
    """One item of a handover package that is missing, invalid or inconsistent."""

    item: str = Field(
        description="Path of the package field at fault, e.g. identity.documents.",
        min_length=1,
        max_length=200,
        examples=["identity.documents"],
    )
    problem: MissingItemProblem = Field(description="What is wrong with it.")
    detail: str = Field(
        description="What the Police need instead; never personal data.",
        min_length=1,
        max_length=1000,
    )


class HandoverAcceptedV1(Event):
    """The Police accepted a handed-over return case and opened an enforcement case."""

    event_type: ClassVar[str] = "handoff.police.handover-accepted.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case handed over; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    handover_id: str = Field(
        description="The handover accepted (the Agency's reference from case-handed-over-to-police).",
        min_length=1,
        max_length=64,
        examples=["HO-2026-00871"],
    )
    enforcement_case_id: str = Field(
        description="The enforcement case the Police opened.",
        min_length=1,
        max_length=64,
        examples=["EC-2026-5512"],
    )
    accepted_at: AwareDatetime = Field(description="When the Police accepted the handover.")
    responsible_department: str = Field(
        description="Code of the police department responsible for enforcement.",
        min_length=1,
        max_length=32,
        examples=["POL-SYD"],
    )


class HandoverRejectedV1(Event):
    """The Police sent a handover back as incomplete, naming every missing or invalid item."""

    event_type: ClassVar[str] = "handoff.police.handover-rejected.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case handed over; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    handover_id: str = Field(
        description="The handover rejected (the Agency's reference from case-handed-over-to-police).",
        min_length=1,
        max_length=64,
        examples=["HO-2026-00871"],
    )
    rejected_at: AwareDatetime = Field(description="When the Police rejected the handover.")
    missing: list[MissingItem] = Field(
        description="Every item that is missing, invalid or inconsistent; at least one.", min_length=1
    )


class DetentionOrderedV1(Event):
    """The Police ordered the person held in detention to secure the removal."""

    event_type: ClassVar[str] = "handoff.police.detention-ordered.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case being enforced; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    enforcement_case_id: str = Field(
        description="The Police's enforcement case.",
        min_length=1,
        max_length=64,
        examples=["EC-2026-5512"],
    )
    detention_id: str = Field(
        description="Reference of the detention, used again when it ends.",
        min_length=1,
        max_length=64,
        examples=["DET-2026-0309"],
    )
    ground: DetentionGround = Field(description="The legal ground for detention.")
    facility: str = Field(
        description="Code of the detention unit.", min_length=1, max_length=32, examples=["FV-MARSTA"]
    )
    ordered_at: AwareDatetime = Field(description="When detention was ordered.")
    review_due_on: date = Field(
        description="The date by which the detention must next be reviewed (by a court)."
    )
    minor: bool = Field(description="The detained person is under 18.")
    unaccompanied_minor_reason: str | None = Field(
        default=None,
        description="For an unaccompanied minor (detained only as a last resort), why no lighter measure "
        "suffices; never personal data.",
        min_length=1,
        max_length=1000,
    )

    @model_validator(mode="after")
    def _minor_reason_only_for_minors(self) -> Self:
        if self.unaccompanied_minor_reason is not None and not self.minor:
            raise ValueError("unaccompanied_minor_reason is given only when minor is true")
        return self


class DetentionEndedV1(Event):
    """A detention ended and the person was released or removed."""

    event_type: ClassVar[str] = "handoff.police.detention-ended.v1"
    topic: ClassVar[Topic] = POLICE_ENFORCEMENT_CASE_V1
    key_field: ClassVar[str] = "return_case_id"

    return_case_id: str = Field(
        description="The Agency's return case being enforced; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["RC-2026-3f9a1b"],
    )
    detention_id: str = Field(
        description="Reference of the detention that ended (as in detention-ordered).",
        min_length=1,
        max_length=64,
        examples=["DET-2026-0309"],
    )
    ended_at: AwareDatetime = Field(description="When the detention ended.")
    reason: DetentionEndReason = Field(description="Why the detention ended.")
