"""The wire events of an application, built from the aggregate after its rules have run.

The aggregate decides; these functions only say it in the contracts' words. Personal data
go on the applicant topic's event alone (:func:`identity_recorded`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from handoff_schemas.events.identity import IdentityDocument as IdentityDocumentPart
from handoff_schemas.events.identity import PersonIdentity
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionMadeV1,
    ResidencePermitGrantedV1,
)
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from intake.domain.applicant import UNKNOWN_COUNTRY
from intake.domain.dublin import DublinTransfer
from intake.domain.rules import IntakeRules

if TYPE_CHECKING:
    from intake.domain.application import Application


def registered(application: Application) -> ApplicationRegisteredV1:
    return ApplicationRegisteredV1(
        application_id=application.application_id,
        person_ref=application.person_ref,
        lodged_on=application.lodged_on,
        dublin_case=application.dublin_case,
        identity_category=application.identity_category,
        vulnerabilities=application.vulnerabilities,
    )


def identity_recorded(application: Application, now: datetime) -> ApplicantIdentityRecordedV1:
    applicant = application.applicant
    return ApplicantIdentityRecordedV1(
        application_id=application.application_id,
        person_ref=application.person_ref,
        identity=PersonIdentity(
            full_name=applicant.full_name,
            date_of_birth=applicant.date_of_birth,
            sex=applicant.sex,
            nationality=applicant.nationality,
            identity_category=application.identity_category,
            documents=[
                IdentityDocumentPart(
                    kind=document.kind,
                    document_number=document.number,
                    issuing_country=document.issuing_country or UNKNOWN_COUNTRY,
                    expires_on=document.expires_on,
                    original_held_by_agency=document.original_held_by_agency,
                )
                for document in application.documents
            ],
        ),
        recorded_at=now,
    )


def decision_made(application: Application) -> DecisionMadeV1:
    decision = application.decision
    assert decision is not None
    refusal = decision.refusal
    return DecisionMadeV1(
        application_id=application.application_id,
        decision_id=decision.decision_id,
        person_ref=application.person_ref,
        decided_on=decision.decided_on,
        outcome=decision.outcome,
        permit_type=decision.permit.permit_type if decision.permit is not None else None,
        removal_order=refusal.removal_order if refusal is not None else None,
        immediate_enforcement=refusal.immediate_enforcement if refusal is not None else None,
        destination_country=refusal.destination_country if refusal is not None else None,
    )


def permit_granted(application: Application) -> ResidencePermitGrantedV1:
    assert application.decision is not None
    permit = application.decision.permit
    assert permit is not None
    return ResidencePermitGrantedV1(
        application_id=application.application_id,
        permit_id=permit.permit_id,
        person_ref=application.person_ref,
        permit_type=permit.permit_type,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        household_size=permit.household.size,
        household_age_bands=list(permit.household.age_bands),
        needs_municipal_place=permit.household.needs_municipal_place,
        special_needs=list(permit.household.special_needs),
    )


def transfer_carried_out(
    application: Application, transfer: DublinTransfer, rules: IntakeRules
) -> DublinTransferCarriedOutV1:
    assert transfer.transferred_on is not None
    assert transfer.receiving_state is not None
    return DublinTransferCarriedOutV1(
        application_id=application.application_id,
        person_ref=application.person_ref,
        receiving_state=transfer.receiving_state,
        accepted_on=transfer.accepted_on,
        transfer_deadline=transfer.deadline(rules),
        transferred_on=transfer.transferred_on,
    )


def transfer_deadline_passed(
    application: Application, transfer: DublinTransfer, rules: IntakeRules
) -> DublinTransferDeadlinePassedV1:
    assert transfer.responsible_from is not None
    return DublinTransferDeadlinePassedV1(
        application_id=application.application_id,
        person_ref=application.person_ref,
        receiving_state=transfer.receiving_state,
        accepted_on=transfer.accepted_on,
        transfer_deadline=transfer.deadline(rules),
        responsible_from=transfer.responsible_from,
    )
