"""Return cases over HTTP, for the Migration Agency's systems (role ``agency``).

A POST that creates something answers 201 with what it created; repeated with the same
``request_id`` it answers 200 with the first result and creates and publishes nothing.
Bad input is a 422 naming the field, an unknown case a 404, and a command the case's state
does not allow a 409 whose ``detail.reason`` names why.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from handoff_plumbing.http import Uow
from returns import commands, queries
from returns.commands import Outcome
from returns.domain.return_case import CaseStatus, CounsellingMeeting
from returns.domain.targets import ItemState, Target
from returns.entrypoints.errors import CONFLICT_RESPONSE, Agency, Rules, domain_errors
from returns.entrypoints.models import (
    AbscondingIn,
    AbscondingOut,
    CounsellingIn,
    CounsellingOut,
    DeadlineOut,
    DepartureIn,
    DepartureOut,
    HandoverIn,
    HandoverOut,
    ImpedimentApplicationIn,
    ImpedimentApplicationOut,
    InhibitionOut,
    MissingOut,
    ReturnCaseOut,
    ReturnCasePageOut,
    ReturnCaseSummaryOut,
    SupportApplicationIn,
    SupportApplicationOut,
    SupportDecisionIn,
    TravelBookedIn,
    TravelBookingIn,
    TravelBookingOut,
    TravelDocumentHandledIn,
    TravelDocumentOut,
    TravelDocumentRequestIn,
    UnitIn,
)

router = APIRouter(prefix="/return-cases", tags=["return cases"])
OPEN_STATES = (ItemState.OVERDUE, ItemState.NOT_YET_DUE)
CaseId = Annotated[str, Path(description="The return case's id.", max_length=64)]


def _created(outcome: Outcome, response: Response) -> None:
    response.status_code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK


def _responses(model: type) -> dict[int | str, dict[str, object]]:
    return {
        200: {"description": "Repeated request_id: the first result", "model": model},
        **CONFLICT_RESPONSE,
    }


# ---------------------------------------------------------------------- reading


@router.get("", summary="Return cases, a page at a time, with the total")
async def list_cases(
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    unit: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    overdue: Annotated[Target | None, Query(description="Only cases overdue for this target today.")] = None,
    application_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ReturnCasePageOut:
    page = await queries.list_cases(
        uow,
        rules,
        status=status_,
        unit=unit,
        overdue=overdue,
        application_id=application_id,
        limit=limit,
        offset=offset,
    )
    items = []
    for case in page.cases:
        open_due = [t.due_on for t in case.targets if t.state(page.as_of) in OPEN_STATES]
        items.append(
            ReturnCaseSummaryOut(
                return_case_id=case.return_case_id,
                application_id=case.application_id,
                person_ref=case.person_ref,
                status=case.status,
                unit=case.unit,
                removal_order=case.removal_order,
                destination_country=case.destination_country,
                enforceable_on=case.enforceable_on,
                unaccompanied_minor=case.unaccompanied_minor,
                inhibition_in_force=bool(case.inhibitions.in_force(page.as_of)),
                next_due_on=min(open_due) if open_due else None,
                overdue=case.overdue(page.as_of),
            )
        )
    return ReturnCasePageOut(total=page.total, limit=limit, offset=offset, as_of=page.as_of, items=items)


@router.get(
    "/{return_case_id}",
    summary="One return case with its deadlines, what is overdue, and everything recorded on it",
    responses={404: {"description": "No such return case"}},
)
async def get_case(return_case_id: CaseId, uow: Uow, rules: Rules, _caller: Agency) -> ReturnCaseOut:
    with domain_errors():
        view = await queries.get_case(uow, rules, return_case_id)
    case, today = view.case, view.today
    return ReturnCaseOut(
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
        departed_on=case.departed_on,
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
        impediment_applications=[ImpedimentApplicationOut.of(case, i) for i in case.impediment_applications],
        inhibitions=[InhibitionOut.of(i, today) for i in case.inhibitions.inhibitions],
        absconding=AbscondingOut.of(case) if case.absconding else None,
        handovers=[HandoverOut.of(case, h) for h in case.handovers],
        police_missing=[MissingOut.of(m) for m in case.police_missing],
        identity_known=view.dossier.identity is not None,
        application_known=view.dossier.application is not None,
    )


@router.patch(
    "/{return_case_id}",
    summary="Set the Agency unit handling the case",
    responses={404: {"description": "No such return case"}},
)
async def assign_unit(
    return_case_id: CaseId, body: UnitIn, uow: Uow, rules: Rules, _caller: Agency
) -> ReturnCaseOut:
    with domain_errors():
        await commands.assign_unit(uow, return_case_id, body.unit)
    return await get_case(return_case_id, uow, rules, _caller)


# ---------------------------------------------------------------------- recording


@router.post(
    "/{return_case_id}/counselling",
    status_code=status.HTTP_201_CREATED,
    summary="Record a return counselling meeting",
    responses=_responses(CounsellingOut),
)
async def record_counselling(
    return_case_id: CaseId, body: CounsellingIn, uow: Uow, rules: Rules, _caller: Agency, response: Response
) -> CounsellingOut:
    meeting = CounsellingMeeting(
        meeting_number=body.meeting_number,
        held_on=body.held_on,
        language=body.language,
        interpreter_used=body.interpreter_used,
        stance=body.stance,
        is_last_meeting=body.is_last_meeting,
        evaluation=body.evaluation,
        notes=body.conversation_notes,
    )
    with domain_errors():
        outcome = await commands.record_counselling(
            uow,
            rules,
            return_case_id,
            commands.RecordCounselling(meeting=meeting, request_id=body.request_id),
        )
    _created(outcome, response)
    return CounsellingOut.of(outcome.case, outcome.case.meeting(int(outcome.item_ref)))


@router.post(
    "/{return_case_id}/support-application",
    status_code=status.HTTP_201_CREATED,
    summary="Record an application for re-establishment support (to be decided within two weeks)",
    responses=_responses(SupportApplicationOut),
)
async def apply_for_support(
    return_case_id: CaseId,
    body: SupportApplicationIn,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    response: Response,
) -> SupportApplicationOut:
    with domain_errors():
        outcome = await commands.apply_for_support(
            uow,
            rules,
            return_case_id,
            commands.ApplyForSupport(arrived_on=body.arrived_on, request_id=body.request_id),
        )
    _created(outcome, response)
    return SupportApplicationOut.of(outcome.case, outcome.case.support_application(outcome.item_ref))


@router.post(
    "/{return_case_id}/support-decision",
    status_code=status.HTTP_201_CREATED,
    summary="Record the decision on a re-establishment support application",
    responses=_responses(SupportApplicationOut),
)
async def decide_support(
    return_case_id: CaseId,
    body: SupportDecisionIn,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    response: Response,
) -> SupportApplicationOut:
    command = commands.DecideSupport(
        support_application_id=body.support_application_id,
        decided_on=body.decided_on,
        granted=body.granted,
        amount=body.amount,
        currency=body.currency,
        request_id=body.request_id,
    )
    with domain_errors():
        outcome = await commands.decide_support(uow, rules, return_case_id, command)
    _created(outcome, response)
    return SupportApplicationOut.of(outcome.case, outcome.case.support_application(outcome.item_ref))


@router.post(
    "/{return_case_id}/travel-document-request",
    status_code=status.HTTP_201_CREATED,
    summary="Record a travel document request (to be handled within three working days)",
    responses=_responses(TravelDocumentOut),
)
async def request_travel_document(
    return_case_id: CaseId,
    body: TravelDocumentRequestIn,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    response: Response,
) -> TravelDocumentOut:
    command = commands.RequestTravelDocument(
        document_kind=body.document_kind, requested_on=body.requested_on, request_id=body.request_id
    )
    with domain_errors():
        outcome = await commands.request_travel_document(uow, rules, return_case_id, command)
    _created(outcome, response)
    return TravelDocumentOut.of(outcome.case, outcome.case.travel_document(outcome.item_ref))


@router.post(
    "/{return_case_id}/travel-document-handled",
    status_code=status.HTTP_201_CREATED,
    summary="Record that a travel document request was handled (issued or refused)",
    responses=_responses(TravelDocumentOut),
)
async def handle_travel_document(
    return_case_id: CaseId,
    body: TravelDocumentHandledIn,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    response: Response,
) -> TravelDocumentOut:
    command = commands.HandleTravelDocument(
        travel_document_request_id=body.travel_document_request_id,
        handled_on=body.handled_on,
        outcome=body.outcome,
        request_id=body.request_id,
    )
    with domain_errors():
        outcome = await commands.handle_travel_document(uow, rules, return_case_id, command)
    _created(outcome, response)
    return TravelDocumentOut.of(outcome.case, outcome.case.travel_document(outcome.item_ref))


@router.post(
    "/{return_case_id}/travel-booking",
    status_code=status.HTTP_201_CREATED,
    summary="Record that travel was ordered (stage 'ordered') or booked (stage 'booked')",
    description="Travel is to be booked no later than the working day after it was ordered.",
    responses=_responses(TravelBookingOut),
)
async def travel_booking(
    return_case_id: CaseId, body: TravelBookingIn, uow: Uow, rules: Rules, _caller: Agency, response: Response
) -> TravelBookingOut:
    with domain_errors():
        if isinstance(body, TravelBookedIn):
            outcome = await commands.book_travel(
                uow,
                rules,
                return_case_id,
                commands.BookTravel(
                    booked_on=body.booked_on,
                    booking_id=body.booking_id,
                    departure_on=body.departure_on,
                    request_id=body.request_id,
                ),
            )
        else:
            outcome = await commands.order_travel(
                uow,
                rules,
                return_case_id,
                commands.OrderTravel(ordered_on=body.ordered_on, request_id=body.request_id),
            )
    _created(outcome, response)
    return TravelBookingOut.of(outcome.case, outcome.case.booking(outcome.item_ref))


@router.post(
    "/{return_case_id}/departure",
    status_code=status.HTTP_201_CREATED,
    summary="Record the voluntary departure: the case is completed and closed",
    responses=_responses(DepartureOut),
)
async def record_departure(
    return_case_id: CaseId, body: DepartureIn, uow: Uow, rules: Rules, _caller: Agency, response: Response
) -> DepartureOut:
    command = commands.RecordDeparture(
        departed_on=body.departed_on, destination_country=body.destination_country, request_id=body.request_id
    )
    with domain_errors():
        outcome = await commands.record_departure(uow, rules, return_case_id, command)
    _created(outcome, response)
    case = outcome.case
    assert case.departed_on is not None
    return DepartureOut(
        return_case_id=case.return_case_id,
        status=case.status,
        departed_on=case.departed_on,
        destination_country=body.destination_country or case.destination_country,
    )


@router.post(
    "/{return_case_id}/absconding",
    status_code=status.HTTP_201_CREATED,
    summary="Record that the person absconded (the published event names a coarse code only)",
    responses=_responses(AbscondingOut),
)
async def record_absconding(
    return_case_id: CaseId, body: AbscondingIn, uow: Uow, rules: Rules, _caller: Agency, response: Response
) -> AbscondingOut:
    command = commands.RecordAbsconding(
        noticed_on=body.noticed_on,
        whereabouts_code=body.whereabouts_code,
        last_known_address=body.last_known_address.to_domain() if body.last_known_address else None,
        request_id=body.request_id,
    )
    with domain_errors():
        outcome = await commands.record_absconding(uow, rules, return_case_id, command)
    _created(outcome, response)
    return AbscondingOut.of(outcome.case)


@router.post(
    "/{return_case_id}/impediment-application",
    status_code=status.HTTP_201_CREATED,
    summary="Record an application about impediments to enforcement (it stops nothing)",
    responses=_responses(ImpedimentApplicationOut),
)
async def record_impediment_application(
    return_case_id: CaseId,
    body: ImpedimentApplicationIn,
    uow: Uow,
    rules: Rules,
    _caller: Agency,
    response: Response,
) -> ImpedimentApplicationOut:
    command = commands.RecordImpedimentApplication(lodged_on=body.lodged_on, request_id=body.request_id)
    with domain_errors():
        outcome = await commands.record_impediment_application(uow, rules, return_case_id, command)
    _created(outcome, response)
    return ImpedimentApplicationOut.of(outcome.case, outcome.case.impediment_application(outcome.item_ref))


@router.post(
    "/{return_case_id}/handover",
    status_code=status.HTTP_201_CREATED,
    summary="Hand the case over to the Police with its complete package",
    description="Refused with 409 naming the reason when the order is not enforceable, has lapsed, an "
    "inhibition is in force, or the package would be incomplete (detail.missing lists what is missing). "
    "The package, with the person's identity, is published on handoff.returns.handover.v1 only.",
    responses=_responses(HandoverOut),
)
async def hand_over(
    return_case_id: CaseId, body: HandoverIn, uow: Uow, rules: Rules, _caller: Agency, response: Response
) -> HandoverOut:
    command = commands.HandOver(
        grounds=body.grounds,
        last_known_address=body.last_known_address.to_domain() if body.last_known_address else None,
        request_id=body.request_id,
    )
    with domain_errors():
        outcome = await commands.hand_over(uow, rules, return_case_id, command)
    _created(outcome, response)
    return HandoverOut.of(outcome.case, outcome.case.handover(outcome.item_ref))
