"""Rows of intake's tables to and from its domain objects (the application and its parts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from handoff_schemas.events.common import (
    AgeBand,
    IdentityDocumentKind,
    PermitType,
    RemovalOrderKind,
    SettlementNeed,
    Sex,
)
from handoff_schemas.events.intake import Vulnerability
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application
from intake.domain.decision import Decision, Household, Refusal, ResidencePermit
from intake.domain.dublin import DublinTransfer
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition


def application_values(application: Application) -> dict[str, Any]:
    return {
        "application_id": application.application_id,
        "person_ref": application.person_ref,
        "full_name": application.applicant.full_name,
        "date_of_birth": application.applicant.date_of_birth,
        "nationality": application.applicant.nationality,
        "sex": application.applicant.sex.value,
        "lodged_on": application.lodged_on,
        "registered_at": application.registered_at,
        "eurodac_hit": application.eurodac_hit,
        "documents": [_document_row(d) for d in application.documents],
        "vulnerabilities": [v.value for v in application.vulnerabilities],
        **transfer_values(application.dublin_transfer),
    }


def _document_row(document: IdentityDocument) -> dict[str, Any]:
    return {
        "kind": document.kind.value,
        "number": document.number,
        "issuing_country": document.issuing_country,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
        "original_held_by_agency": document.original_held_by_agency,
    }


def _document(row: dict[str, Any]) -> IdentityDocument:
    expires_on = row.get("expires_on")
    return IdentityDocument(
        kind=IdentityDocumentKind(row["kind"]),
        number=row["number"],
        issuing_country=row.get("issuing_country"),
        expires_on=date.fromisoformat(expires_on) if expires_on else None,
        original_held_by_agency=bool(row.get("original_held_by_agency", False)),
    )


def transfer_values(transfer: DublinTransfer | None) -> dict[str, Any]:
    if transfer is None:
        return {
            "transfer_accepted_on": None,
            "dublin_status": None,
            "transfer_ever_imprisoned": None,
            "transfer_ever_absconded": None,
            "transfer_receiving_state": None,
            "transferred_on": None,
            "transfer_responsible_from": None,
        }
    return {
        "transfer_accepted_on": transfer.accepted_on,
        "dublin_status": transfer.status.value,
        "transfer_ever_imprisoned": DublinStatus.IMPRISONED in transfer.statuses_since_acceptance,
        "transfer_ever_absconded": DublinStatus.ABSCONDED in transfer.statuses_since_acceptance,
        "transfer_receiving_state": transfer.receiving_state,
        "transferred_on": transfer.transferred_on,
        "transfer_responsible_from": transfer.responsible_from,
    }


def _transfer(row: Any) -> DublinTransfer | None:
    if row["transfer_accepted_on"] is None:
        return None
    statuses = {DublinStatus.NORMAL}
    if row["transfer_ever_imprisoned"]:
        statuses.add(DublinStatus.IMPRISONED)
    if row["transfer_ever_absconded"]:
        statuses.add(DublinStatus.ABSCONDED)
    return DublinTransfer(
        accepted_on=row["transfer_accepted_on"],
        status=DublinStatus(row["dublin_status"]),
        statuses_since_acceptance=frozenset(statuses),
        receiving_state=row["transfer_receiving_state"],
        transferred_on=row["transferred_on"],
        responsible_from=row["transfer_responsible_from"],
    )


def decision_values(application: Application, decision: Decision) -> dict[str, Any]:
    refusal = decision.refusal
    return {
        "decision_id": decision.decision_id,
        "application_id": application.application_id,
        "decided_on": decision.decided_on,
        "outcome": decision.outcome.value,
        "removal_order": refusal.removal_order.value if refusal else None,
        "immediate_enforcement": refusal.immediate_enforcement if refusal else None,
        "destination_country": refusal.destination_country if refusal else None,
        "recorded_at": decision.recorded_at,
        "enforceable_on": decision.enforceable_on,
        "appeal_waived": decision.appeal_waived,
        "enforceability_recorded_at": decision.enforceability_recorded_at,
        "legal_force_on": decision.legal_force_on,
        "decided_by": decision.decided_by,
    }


def permit_values(decision_id: str, permit: ResidencePermit) -> dict[str, Any]:
    return {
        "permit_id": permit.permit_id,
        "decision_id": decision_id,
        "permit_type": permit.permit_type.value,
        "valid_from": permit.valid_from,
        "valid_until": permit.valid_until,
        "household_size": permit.household.size,
        "household_age_bands": [band.value for band in permit.household.age_bands],
        "needs_municipal_place": permit.household.needs_municipal_place,
        "special_needs": [need.value for need in permit.household.special_needs],
    }


def _decision(row: Any) -> Decision | None:
    if row["d_decision_id"] is None:
        return None
    permit = None
    refusal = None
    if row["p_permit_id"] is not None:
        permit = ResidencePermit(
            permit_id=row["p_permit_id"],
            permit_type=PermitType(row["p_permit_type"]),
            valid_from=row["p_valid_from"],
            valid_until=row["p_valid_until"],
            household=Household(
                size=row["p_household_size"],
                age_bands=tuple(AgeBand(band) for band in row["p_household_age_bands"]),
                needs_municipal_place=row["p_needs_municipal_place"],
                special_needs=tuple(SettlementNeed(need) for need in row["p_special_needs"]),
            ),
        )
    else:
        refusal = Refusal(
            removal_order=RemovalOrderKind(row["d_removal_order"]),
            destination_country=row["d_destination_country"],
            immediate_enforcement=bool(row["d_immediate_enforcement"]),
        )
    return Decision(
        decision_id=row["d_decision_id"],
        decided_on=row["d_decided_on"],
        recorded_at=row["d_recorded_at"],
        permit=permit,
        refusal=refusal,
        enforceable_on=row["d_enforceable_on"],
        appeal_waived=row["d_appeal_waived"],
        enforceability_recorded_at=row["d_enforceability_recorded_at"],
        legal_force_on=row["d_legal_force_on"],
        decided_by=row["d_decided_by"],
    )


def inhibition_values(application_id: str, inhibition: Inhibition) -> dict[str, Any]:
    return {
        "inhibition_id": inhibition.inhibition_id,
        "application_id": application_id,
        "decision_id": inhibition.decision_id,
        "court": inhibition.court,
        "ordered_on": inhibition.ordered_on,
        "recorded_at": inhibition.recorded_at,
        "lifted_on": inhibition.lifted_on,
        "lifted_by": inhibition.lifted_by,
        "lifted_at": inhibition.lifted_at,
    }


def inhibition(row: Any) -> Inhibition:
    return Inhibition(
        inhibition_id=row["inhibition_id"],
        court=row["court"],
        ordered_on=row["ordered_on"],
        recorded_at=row["recorded_at"],
        decision_id=row["decision_id"],
        lifted_on=row["lifted_on"],
        lifted_by=row["lifted_by"],
        lifted_at=row["lifted_at"],
    )


def application(row: Any, inhibitions_of_it: list[Inhibition]) -> Application:
    return Application(
        application_id=row["application_id"],
        person_ref=row["person_ref"],
        applicant=Applicant(
            full_name=row["full_name"],
            date_of_birth=row["date_of_birth"],
            nationality=row["nationality"],
            sex=Sex(row["sex"]),
        ),
        lodged_on=row["lodged_on"],
        registered_at=row["registered_at"],
        eurodac_hit=row["eurodac_hit"],
        documents=[_document(d) for d in row["documents"]],
        vulnerabilities=[Vulnerability(v) for v in row["vulnerabilities"]],
        decision=_decision(row),
        inhibitions=inhibitions_of_it,
        dublin_transfer=_transfer(row),
    )
