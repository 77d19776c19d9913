"""The package the Police receive with a handover, built from the case after its rules allowed it.

It is the only event of returns that carries personal data (identity, counselling notes,
the last known address), and it goes on ``handoff.returns.handover.v1`` alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handoff_schemas.events.returns import (
    CaseHandedOverToPoliceV1,
    CounsellingSummary,
    DecisionReference,
    InhibitionRecord,
    LastKnownAddress,
)
from returns.domain.applicant import Dossier
from returns.domain.handover import Handover

if TYPE_CHECKING:
    from returns.domain.return_case import ReturnCase


def package(case: ReturnCase, handover: Handover, dossier: Dossier) -> CaseHandedOverToPoliceV1:
    """The handover event of ``handover``, complete: ``hand_over`` refused any package with gaps."""
    assert dossier.identity is not None  # hand_over checked the package
    assert dossier.application is not None
    address = case.last_known_address
    return CaseHandedOverToPoliceV1(
        return_case_id=case.return_case_id,
        handover_id=handover.handover_id,
        application_id=case.application_id,
        person_ref=case.person_ref,
        grounds=handover.grounds,
        handed_over_at=handover.handed_over_at,
        identity=dossier.identity.identity,
        removal_order=case.removal_order,
        enforceable_on=case.enforceable_on,
        decisions=[
            DecisionReference(decision_id=d.decision_id, decided_by=d.decided_by, decided_on=d.decided_on)
            for d in sorted(dossier.decisions, key=lambda d: (d.decided_on, d.decision_id))
        ],
        destination_country=case.destination_country,
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
            for m in case.meetings
        ],
        travel_document_status=case.travel_document_status(
            handover.handed_over_on, dossier.identity.identity
        ),
        last_known_address=(
            LastKnownAddress(
                street_address=address.street_address,
                postal_code=address.postal_code,
                municipality_code=address.municipality_code,
                known_on=address.known_on,
            )
            if address
            else None
        ),
        inhibitions=[
            InhibitionRecord(
                inhibition_id=i.inhibition_id,
                court=i.court,
                ordered_on=i.ordered_on,
                lifted_on=i.lifted_on,
            )
            for i in case.inhibitions.inhibitions
        ],
    )
