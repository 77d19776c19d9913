"""Rows of the return case's tables to and from the aggregate and its parts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import RowMapping

from handoff_schemas.events.common import RemovalOrderKind
from handoff_schemas.events.returns import (
    DignifiedReturnEvaluation,
    HandoverGround,
    ReturnStance,
    TravelDocumentKind,
)
from handoff_schemas.events.returns_steps import (
    ImpedimentOutcome,
    ReturnCaseClosure,
    TravelCancellationReason,
)
from returns.domain.case_state import CaseStatus
from returns.domain.counselling import CounsellingMeeting
from returns.domain.errors import Missing
from returns.domain.handover import Handover, HandoverOutcome
from returns.domain.leaving import ImpedimentApplication
from returns.domain.return_case import ReturnCase
from returns.domain.support import SupportApplication
from returns.domain.targets import Target, TargetItem
from returns.domain.travel import TravelBooking, TravelDocumentOutcome, TravelDocumentRequest
from returns.domain.whereabouts import Absconding, Address


def case_row(case: ReturnCase) -> dict[str, Any]:
    address = case.last_known_address
    return {
        "return_case_id": case.return_case_id,
        "application_id": case.application_id,
        "decision_id": case.decision_id,
        "person_ref": case.person_ref,
        "removal_order": case.removal_order.value,
        "immediate_enforcement": case.immediate_enforcement,
        "enforceable_on": case.enforceable_on,
        "destination_country": case.destination_country,
        "unaccompanied_minor": case.unaccompanied_minor,
        "opened_at": case.opened_at,
        "first_counselling_due": case.first_counselling_due,
        "case_closure_due": case.case_closure_due,
        "departure_due": case.departure_due,
        "order_lapses_on": case.order_lapses_on,
        "unit": case.unit,
        "status": case.status.value,
        "closed_on": case.closed_on,
        "departed_on": case.departed_on,
        "superseded_by": case.superseded_by,
        "absconded_on": case.absconding.noticed_on if case.absconding else None,
        "whereabouts_code": case.absconding.whereabouts_code if case.absconding else None,
        "last_known_address": (
            {
                "street_address": address.street_address,
                "postal_code": address.postal_code,
                "municipality_code": address.municipality_code,
                "known_on": address.known_on.isoformat(),
            }
            if address
            else None
        ),
        "reception_ended_on": case.reception_ended_on,
        "closure_reason": case.closure_reason.value if case.closure_reason else None,
        "departed_to": case.departed_to,
        "removed_on": case.removed_on,
        "removed_to": case.removed_to,
        "version": case.version,
    }


def case(m: RowMapping) -> ReturnCase:
    address = m["last_known_address"]
    return ReturnCase(
        return_case_id=m["return_case_id"],
        application_id=m["application_id"],
        decision_id=m["decision_id"],
        person_ref=m["person_ref"],
        removal_order=RemovalOrderKind(m["removal_order"]),
        immediate_enforcement=m["immediate_enforcement"],
        enforceable_on=m["enforceable_on"],
        destination_country=m["destination_country"],
        unaccompanied_minor=m["unaccompanied_minor"],
        opened_at=m["opened_at"],
        first_counselling_due=m["first_counselling_due"],
        case_closure_due=m["case_closure_due"],
        departure_due=m["departure_due"],
        order_lapses_on=m["order_lapses_on"],
        unit=m["unit"],
        status=CaseStatus(m["status"]),
        closed_on=m["closed_on"],
        departed_on=m["departed_on"],
        superseded_by=m["superseded_by"],
        closure_reason=ReturnCaseClosure(m["closure_reason"]) if m["closure_reason"] else None,
        departed_to=m["departed_to"],
        removed_on=m["removed_on"],
        removed_to=m["removed_to"],
        absconding=(
            Absconding(noticed_on=m["absconded_on"], whereabouts_code=m["whereabouts_code"])
            if m["absconded_on"]
            else None
        ),
        last_known_address=(
            Address(
                street_address=address["street_address"],
                postal_code=address["postal_code"],
                municipality_code=address["municipality_code"],
                known_on=date.fromisoformat(address["known_on"]),
            )
            if address
            else None
        ),
        version=m["version"],
    )


def meeting_row(case: ReturnCase, m: CounsellingMeeting) -> dict[str, Any]:
    return {
        "return_case_id": case.return_case_id,
        "meeting_number": m.meeting_number,
        "held_on": m.held_on,
        "language": m.language,
        "interpreter_used": m.interpreter_used,
        "stance": m.stance.value,
        "is_last_meeting": m.is_last_meeting,
        "evaluation": m.evaluation.model_dump(mode="json") if m.evaluation else None,
        "notes": m.notes,
    }


def meeting(m: RowMapping) -> CounsellingMeeting:
    return CounsellingMeeting(
        meeting_number=m["meeting_number"],
        held_on=m["held_on"],
        language=m["language"],
        interpreter_used=m["interpreter_used"],
        stance=ReturnStance(m["stance"]),
        is_last_meeting=m["is_last_meeting"],
        evaluation=DignifiedReturnEvaluation.model_validate(m["evaluation"]) if m["evaluation"] else None,
        notes=m["notes"],
    )


def support_row(case: ReturnCase, s: SupportApplication) -> dict[str, Any]:
    return {
        "support_application_id": s.support_application_id,
        "return_case_id": case.return_case_id,
        "arrived_on": s.arrived_on,
        "due_on": s.due_on,
        "decided_on": s.decided_on,
        "granted": s.granted,
        "amount": s.amount,
        "currency": s.currency,
    }


def support(m: RowMapping) -> SupportApplication:
    return SupportApplication(
        support_application_id=m["support_application_id"],
        arrived_on=m["arrived_on"],
        due_on=m["due_on"],
        decided_on=m["decided_on"],
        granted=m["granted"],
        amount=m["amount"],
        currency=m["currency"],
    )


def travel_document_row(case: ReturnCase, r: TravelDocumentRequest) -> dict[str, Any]:
    return {
        "travel_document_request_id": r.travel_document_request_id,
        "return_case_id": case.return_case_id,
        "document_kind": r.document_kind.value,
        "requested_on": r.requested_on,
        "due_on": r.due_on,
        "handled_on": r.handled_on,
        "outcome": r.outcome.value if r.outcome else None,
    }


def travel_document(m: RowMapping) -> TravelDocumentRequest:
    return TravelDocumentRequest(
        travel_document_request_id=m["travel_document_request_id"],
        document_kind=TravelDocumentKind(m["document_kind"]),
        requested_on=m["requested_on"],
        due_on=m["due_on"],
        handled_on=m["handled_on"],
        outcome=TravelDocumentOutcome(m["outcome"]) if m["outcome"] else None,
    )


def booking_row(case: ReturnCase, b: TravelBooking) -> dict[str, Any]:
    return {
        "booking_id": b.booking_id,
        "return_case_id": case.return_case_id,
        "ordered_on": b.ordered_on,
        "due_on": b.due_on,
        "booked_on": b.booked_on,
        "departure_on": b.departure_on,
        "cancelled_on": b.cancelled_on,
        "cancellation_reason": b.cancellation_reason.value if b.cancellation_reason else None,
    }


def booking(m: RowMapping) -> TravelBooking:
    return TravelBooking(
        booking_id=m["booking_id"],
        ordered_on=m["ordered_on"],
        due_on=m["due_on"],
        booked_on=m["booked_on"],
        departure_on=m["departure_on"],
        cancelled_on=m["cancelled_on"],
        cancellation_reason=TravelCancellationReason(m["cancellation_reason"])
        if m["cancellation_reason"]
        else None,
    )


def impediment_row(case: ReturnCase, i: ImpedimentApplication) -> dict[str, Any]:
    return {
        "impediment_application_id": i.impediment_application_id,
        "return_case_id": case.return_case_id,
        "lodged_on": i.lodged_on,
        "decided_on": i.decided_on,
        "outcome": i.outcome.value if i.outcome else None,
        "inhibition_ordered": i.inhibition_ordered,
    }


def impediment(m: RowMapping) -> ImpedimentApplication:
    return ImpedimentApplication(
        impediment_application_id=m["impediment_application_id"],
        lodged_on=m["lodged_on"],
        decided_on=m["decided_on"],
        outcome=ImpedimentOutcome(m["outcome"]) if m["outcome"] else None,
        inhibition_ordered=m["inhibition_ordered"],
    )


def handover_row(case: ReturnCase, sequence: int, h: Handover) -> dict[str, Any]:
    return {
        "handover_id": h.handover_id,
        "return_case_id": case.return_case_id,
        "sequence": sequence,
        "grounds": h.grounds.value,
        "handed_over_at": h.handed_over_at,
        "handed_over_on": h.handed_over_on,
        "outcome": h.outcome.value,
        "answered_at": h.answered_at,
        "enforcement_case_id": h.enforcement_case_id,
        "responsible_department": h.responsible_department,
        "missing": [{"item": x.item, "problem": x.problem, "detail": x.detail} for x in h.missing],
    }


def handover(m: RowMapping) -> Handover:
    return Handover(
        handover_id=m["handover_id"],
        grounds=HandoverGround(m["grounds"]),
        handed_over_at=m["handed_over_at"],
        handed_over_on=m["handed_over_on"],
        outcome=HandoverOutcome(m["outcome"]),
        answered_at=m["answered_at"],
        enforcement_case_id=m["enforcement_case_id"],
        responsible_department=m["responsible_department"],
        missing=tuple(
            Missing(item=x["item"], detail=x["detail"], problem=x["problem"]) for x in m["missing"]
        ),
    )


def target(m: RowMapping) -> TargetItem:
    return TargetItem(
        target=Target(m["target"]),
        ref=m["ref"],
        due_on=m["due_on"],
        met_on=m["met_on"],
        stopped_on=m["stopped_on"],
    )
