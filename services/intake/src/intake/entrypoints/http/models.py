"""What intake's HTTP API takes and gives: request and response bodies.

Requests are closed (unknown fields are a 422 naming them). Responses carry no personal data:
agency systems address applicants by ``person_ref`` (the identity alone is read from
``entrypoints/http/identity.py``, and each read is recorded).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.errors import InvalidInput
from handoff_plumbing.http.commands import RequestId
from handoff_plumbing.http.types import BirthDate, CountryCode, Day, Nationality, PersonName, Text
from handoff_schemas.events.common import (
    AgeBand,
    IdentityDocumentKind,
    PermitType,
    RemovalOrderKind,
    SettlementNeed,
    Sex,
)
from handoff_schemas.events.intake import DecisionOutcome, IdentityCategory, Vulnerability
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application, HousingSteer
from intake.domain.decision import ApplicationStatus, Grant, Household, Refusal
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.rules import IntakeRules

CourtCode = Annotated[str, Text(max_length=64)]
DocumentNumber = Annotated[str, Text(max_length=64)]
COURT = Field(
    description="Code of the court or body (a migration court, the migration court of appeal, ECtHR, ...).",
    examples=["MIGD-MALMO"],
)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------- registration


class ApplicantIn(Closed):
    full_name: PersonName
    date_of_birth: BirthDate = Field(description="From 1900-01-01, not after today.")
    nationality: Nationality = Field(description="ISO 3166-1 alpha-3 code (XXA stateless, XXX unknown).")
    sex: Sex = Field(default=Sex.UNKNOWN, description="As registered; unknown if not given.")

    def to_domain(self) -> Applicant:
        return Applicant(
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            nationality=self.nationality,
            sex=self.sex,
        )


class IdentityDocumentIn(Closed):
    kind: IdentityDocumentKind
    number: DocumentNumber
    issuing_country: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the issuing country; unknown (XXX on the applicant topic) "
        "if not given.",
    )
    expires_on: Day | None = Field(default=None, description="The document's expiry date, if it has one.")
    original_held_by_agency: bool = Field(
        default=False, description="The Agency holds the original document."
    )

    def to_domain(self) -> IdentityDocument:
        return IdentityDocument(
            kind=self.kind,
            number=self.number,
            issuing_country=self.issuing_country,
            expires_on=self.expires_on,
            original_held_by_agency=self.original_held_by_agency,
        )


class RegisterApplicationIn(Closed):
    request_id: RequestId
    applicant: ApplicantIn
    lodged_on: Day
    eurodac_hit: bool = False
    identity_documents: list[IdentityDocumentIn] = Field(default_factory=list, max_length=20)
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=len(Vulnerability))


# ---------------------------------------------------------------------- decision


class HouseholdIn(Closed):
    size: int = Field(ge=1, le=100, description="People settling together, the permit holder included.")
    age_bands: list[AgeBand] = Field(
        default_factory=list, max_length=100, description="One age band per member."
    )
    needs_municipal_place: bool = Field(description="The household asked to be assigned a municipal place.")
    special_needs: list[SettlementNeed] = Field(default_factory=list, max_length=len(SettlementNeed))


class DecisionIn(Closed):
    """A grant (``permit_type``, ``household``, validity) or a refusal (``removal_order``,
    ``destination_country``, ``immediate_enforcement``)."""

    request_id: RequestId
    decided_on: Day
    outcome: DecisionOutcome
    permit_type: PermitType | None = Field(default=None, description="Granted: the permit.")
    valid_from: Day | None = Field(
        default=None, description="Granted: first valid day (default: decided_on)."
    )
    valid_until: Day | None = Field(default=None, description="Granted, temporary permit: last valid day.")
    household: HouseholdIn | None = Field(default=None, description="Granted: the household to settle.")
    removal_order: RemovalOrderKind | None = Field(default=None, description="Refused: the removal order.")
    destination_country: CountryCode | None = Field(
        default=None, description="Refused: ISO 3166-1 alpha-3 code."
    )
    immediate_enforcement: bool = Field(
        default=False, description="Refused with a refusal of entry: enforceable at once."
    )

    def terms(self) -> Grant | Refusal:
        """The decision's terms; a field that does not belong to the outcome is named in the error."""
        if self.outcome is DecisionOutcome.GRANTED:
            for name in ("removal_order", "destination_country"):
                if getattr(self, name) is not None:
                    raise InvalidInput(name, "a granted decision has no removal order or destination")
            if self.immediate_enforcement:
                raise InvalidInput("immediate_enforcement", "a granted decision is not enforced")
            if self.permit_type is None:
                raise InvalidInput(
                    "permit_type", "a granted decision names its permit (permanent or temporary)"
                )
            if self.household is None:
                raise InvalidInput("household", "a granted decision describes the household it settles")
            return Grant(
                permit_type=self.permit_type,
                valid_from=self.valid_from,
                valid_until=self.valid_until,
                household=Household(
                    size=self.household.size,
                    age_bands=tuple(self.household.age_bands),
                    needs_municipal_place=self.household.needs_municipal_place,
                    special_needs=tuple(self.household.special_needs),
                ),
            )
        for name in ("permit_type", "valid_from", "valid_until", "household"):
            if getattr(self, name) is not None:
                raise InvalidInput(name, "a refused decision grants no permit")
        if self.removal_order is None:
            raise InvalidInput("removal_order", "a refusal comes with a removal order")
        if self.destination_country is None:
            raise InvalidInput("destination_country", "a refusal names the country of return")
        return Refusal(
            removal_order=self.removal_order,
            destination_country=self.destination_country,
            immediate_enforcement=self.immediate_enforcement,
        )


class EnforceabilityIn(Closed):
    enforceable_on: Day = Field(
        description="The date the refusal became enforceable: the date it gained legal force, or the "
        "decision date under immediate enforcement."
    )
    appeal_waived: bool = Field(
        default=False,
        description="The applicant waived appeal, so legal force may come before the appeal period has run.",
    )
    legal_force_on: date | None = Field(
        default=None,
        description="The date the decision gained legal force: enforceable_on unless enforced at once "
        "(immediate enforcement), when it may come later (or be unknown yet).",
    )
    decided_by: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Code of the authority or court whose decision is enforced (the last instance if "
        "appealed); default: the Migration Agency (DECIDING_AUTHORITY).",
    )


# ---------------------------------------------------------------------- inhibitions, Dublin


class InhibitionIn(Closed):
    request_id: RequestId
    court: CourtCode = COURT
    ordered_on: Day = Field(description="The date the court ordered the stay of enforcement.")


class LiftInhibitionIn(Closed):
    lifted_on: Day = Field(description="The date the stay was lifted (not before it was ordered).")
    court: CourtCode | None = Field(default=None, description="Who lifted it; default: who ordered it.")


class DublinTransferIn(Closed):
    accepted_on: Day | None = Field(
        default=None, description="The date the responsible Member State accepted the transfer."
    )
    receiving_state: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the Member State that accepted responsibility.",
    )
    status: DublinStatus | None = Field(
        default=None,
        description="The person's status now: normal, imprisoned (time limit 12 months) or absconded (18).",
    )

    def check(self) -> None:
        if self.accepted_on is None and self.status is None and self.receiving_state is None:
            raise InvalidInput("accepted_on", "give accepted_on, status, receiving_state or some of them")


class TransferCarriedOutIn(Closed):
    transferred_on: Day = Field(description="The date the person was handed over to the receiving state.")
    receiving_state: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the receiving state; default: the one recorded with the "
        "acceptance.",
    )


# ---------------------------------------------------------------------- responses


class HouseholdOut(BaseModel):
    size: int
    age_bands: list[AgeBand]
    needs_municipal_place: bool
    special_needs: list[SettlementNeed]


class PermitOut(BaseModel):
    permit_id: str
    permit_type: PermitType
    valid_from: date
    valid_until: date | None
    household: HouseholdOut


class DecisionOut(BaseModel):
    decision_id: str
    decided_on: date
    outcome: DecisionOutcome
    permit: PermitOut | None
    removal_order: RemovalOrderKind | None
    destination_country: str | None
    immediate_enforcement: bool | None
    earliest_enforceable_on: date | None = Field(
        description="Refused: the first day the refusal can be enforceable unless appeal is waived."
    )
    enforceable_on: date | None
    appeal_waived: bool | None
    legal_force_on: date | None
    decided_by: str | None


class InhibitionOut(BaseModel):
    inhibition_id: str
    application_id: str
    decision_id: str | None
    court: str
    ordered_on: date
    lifted_on: date | None
    lifted_by: str | None
    in_force: bool = Field(description="In force on the day asked about (default today).")

    @classmethod
    def of(cls, application_id: str, inhibition: Inhibition, day: date) -> InhibitionOut:
        return cls(
            inhibition_id=inhibition.inhibition_id,
            application_id=application_id,
            decision_id=inhibition.decision_id,
            court=inhibition.court,
            ordered_on=inhibition.ordered_on,
            lifted_on=inhibition.lifted_on,
            lifted_by=inhibition.lifted_by,
            in_force=inhibition.in_force_on(day),
        )


class DublinTransferOut(BaseModel):
    accepted_on: date
    receiving_state: str | None
    transferred_on: date | None = Field(
        description="Carried out on this day: the receiving state is responsible."
    )
    responsible_from: date | None = Field(
        description="The time limit passed: this state is responsible for the application from this day."
    )
    status: DublinStatus
    period_months: int = Field(description="The time limit that applies, from the statuses since acceptance.")
    transfer_deadline: date = Field(description="The last day the transfer may be carried out.")


class ApplicationOut(BaseModel):
    application_id: str
    person_ref: str
    lodged_on: date
    registered_at: datetime
    dublin_case: bool
    identity_category: IdentityCategory
    vulnerabilities: list[Vulnerability]
    housing_steer: HousingSteer
    status: ApplicationStatus
    decision_due_on: date = Field(description="The last day of the decision period, from the date lodged.")
    overdue: bool = Field(description="Undecided after its decision due date (on the day asked about).")
    decision: DecisionOut | None
    inhibitions: list[InhibitionOut]
    inhibition_in_force: bool = Field(description="A stay of enforcement is in force on the day asked about.")
    dublin_transfer: DublinTransferOut | None

    @classmethod
    def of(cls, application: Application, *, day: date, rules: IntakeRules) -> ApplicationOut:
        return cls(
            application_id=application.application_id,
            person_ref=application.person_ref,
            lodged_on=application.lodged_on,
            registered_at=application.registered_at,
            dublin_case=application.dublin_case,
            identity_category=application.identity_category,
            vulnerabilities=application.vulnerabilities,
            housing_steer=application.housing_steer,
            status=application.status,
            decision_due_on=application.decision_due_on(rules),
            overdue=application.is_overdue(day, rules),
            decision=_decision_out(application, rules),
            inhibitions=[
                InhibitionOut.of(application.application_id, i, day) for i in application.inhibitions
            ],
            inhibition_in_force=application.inhibition_in_force_on(day),
            dublin_transfer=_dublin_out(application, rules),
        )


def _decision_out(application: Application, rules: IntakeRules) -> DecisionOut | None:
    decision = application.decision
    if decision is None:
        return None
    permit = decision.permit
    refusal = decision.refusal
    return DecisionOut(
        decision_id=decision.decision_id,
        decided_on=decision.decided_on,
        outcome=decision.outcome,
        permit=None
        if permit is None
        else PermitOut(
            permit_id=permit.permit_id,
            permit_type=permit.permit_type,
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            household=HouseholdOut(
                size=permit.household.size,
                age_bands=list(permit.household.age_bands),
                needs_municipal_place=permit.household.needs_municipal_place,
                special_needs=list(permit.household.special_needs),
            ),
        ),
        removal_order=refusal.removal_order if refusal else None,
        destination_country=refusal.destination_country if refusal else None,
        immediate_enforcement=refusal.immediate_enforcement if refusal else None,
        earliest_enforceable_on=application.earliest_enforceable_on(appeal_waived=False, rules=rules),
        enforceable_on=decision.enforceable_on,
        appeal_waived=decision.appeal_waived,
        legal_force_on=decision.legal_force_on,
        decided_by=decision.decided_by,
    )


def _dublin_out(application: Application, rules: IntakeRules) -> DublinTransferOut | None:
    transfer = application.dublin_transfer
    if transfer is None:
        return None
    return DublinTransferOut(
        accepted_on=transfer.accepted_on,
        receiving_state=transfer.receiving_state,
        transferred_on=transfer.transferred_on,
        responsible_from=transfer.responsible_from,
        status=transfer.status,
        period_months=transfer.period_months(rules),
        transfer_deadline=transfer.deadline(rules),
    )
