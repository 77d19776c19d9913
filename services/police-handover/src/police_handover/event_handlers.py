"""Event handlers: each loads, lets the aggregate decide, stores and stages its events.

They run inside the consumer's unit of work together with the inbox record (the consumer
commits), so a redelivered event has no second effect. None logs the handover package.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handoff_plumbing.consumer import EventContext, Subscription
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.intake import InhibitionLiftedV1, InhibitionOrderedV1, ResidencePermitGrantedV1
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from handoff_schemas.events.monitoring import (
    MonitoringDecisionMadeV1,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeRevisionMissingV1,
)
from handoff_schemas.events.police import CancellationReason, DetentionEndReason
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1, VoluntaryReturnCompletedV1
from handoff_schemas.events.returns_steps import (
    ImpedimentApplicationDecidedV1,
    ImpedimentApplicationLodgedV1,
    TravelBookedV1,
    TravelBookingCancelledV1,
)
from handoff_schemas.topics import (
    INTAKE_APPLICATION_V1,
    MONITORING_NOTICE_V1,
    MONITORING_REPORT_V1,
    RETURNS_HANDOVER_V1,
    RETURNS_RETURN_CASE_V1,
)
from police_handover.adapters.agency_notes import AgencyNoteRepository
from police_handover.adapters.enforcement_cases import CaseRepository
from police_handover.adapters.handovers import HandoverRepository
from police_handover.adapters.inhibitions import InhibitionRepository
from police_handover.adapters.monitor_feedback import FeedbackRepository
from police_handover.adapters.removal_plans import PlanRepository
from police_handover.commands import end_measures
from police_handover.domain.agency_notes import ends_enforcement, note_reference
from police_handover.domain.enforcement_case import ClosedReason, EnforcementCase, answer_handover
from police_handover.domain.inhibition import Inhibition, InhibitionSource, merge
from police_handover.domain.measures import LighterMeasureEndReason
from police_handover.domain.monitoring import MonitorFeedback
from police_handover.domain.rules import PoliceHandoverRules

EventHandler = Callable[[Any, EventContext, UnitOfWork], Awaitable[None]]


# --------------------------------------------------------------------------- handovers


def handover_received(rules: PoliceHandoverRules) -> EventHandler:
    async def handle(event: CaseHandedOverToPoliceV1, _context: EventContext, uow: UnitOfWork) -> None:
        """Answer a handover: accepted (a new enforcement case) or rejected with every missing item."""
        handovers = HandoverRepository(uow.session)
        if await handovers.get(event.handover_id) is not None:
            return  # this handover was answered already
        cases = CaseRepository(uow.session)
        answer = answer_handover(
            event,
            now=uow.clock.now(),
            rules=rules,
            known_inhibitions=await InhibitionRepository(uow.session).for_application(event.application_id),
            open_case=await cases.by_return_case(event.return_case_id),
        )
        if answer.case is not None:
            await cases.add(answer.case)
        await handovers.add(answer.record)
        await uow.publish(answer.event)

    return handle


# --------------------------------------------------------------------------- inhibitions


async def inhibition_ordered(event: InhibitionOrderedV1, _context: EventContext, uow: UnitOfWork) -> None:
    """A stay of enforcement: the case is suspended and its planned removals are cancelled."""
    inhibition = Inhibition(
        inhibition_id=event.inhibition_id,
        application_id=event.application_id,
        court=event.court,
        ordered_on=event.ordered_on,
        lifted_on=None,
        source=InhibitionSource.INTAKE,
    )
    await _record_inhibition(inhibition, uow)


async def inhibition_lifted(event: InhibitionLiftedV1, _context: EventContext, uow: UnitOfWork) -> None:
    """The stay ended: the case may proceed again once no other inhibition is in force."""
    known = await InhibitionRepository(uow.session).get(event.inhibition_id)
    inhibition = Inhibition(
        inhibition_id=event.inhibition_id,
        application_id=event.application_id,
        court=known.court if known else event.court,
        # A lift of an inhibition never seen ordered: remember it, dated on its lift.
        ordered_on=known.ordered_on if known else event.lifted_on,
        lifted_on=event.lifted_on,
        source=known.source if known else InhibitionSource.INTAKE,
    )
    await _record_inhibition(inhibition, uow)


async def _record_inhibition(inhibition: Inhibition, uow: UnitOfWork) -> None:
    repository = InhibitionRepository(uow.session)
    known = await repository.get(inhibition.inhibition_id)
    [merged] = merge([known] if known else [], [inhibition])
    await repository.save(merged)
    cases = CaseRepository(uow.session)
    for case in await cases.by_application(inhibition.application_id):
        case.record_inhibition(merged)
        await cases.save(case)
        if case.suspended:
            await _cancel_active_plans(
                case,
                CancellationReason.INHIBITION_ORDERED,
                f"inhibition {merged.inhibition_id} ordered on {merged.ordered_on} by {merged.court}",
                uow,
            )


async def _cancel_active_plans(
    case: EnforcementCase, reason: CancellationReason, note: str | None, uow: UnitOfWork
) -> None:
    plans = PlanRepository(uow.session)
    for plan in await plans.active_for_case(case.enforcement_case_id):
        cancelled = plan.cancel(reason=reason, now=uow.clock.now(), note=note)
        await plans.save(plan)
        await uow.publish(cancelled)


# --------------------------------------------------------------------------- the removal is moot


async def residence_permit_granted(
    event: ResidencePermitGrantedV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """A permit ends enforcement: plans are cancelled, measures end, the case closes."""
    cases = CaseRepository(uow.session)
    for case in await cases.by_application(event.application_id):
        await _close(
            case, ClosedReason.RESIDENCE_PERMIT_GRANTED, CancellationReason.RESIDENCE_PERMIT_GRANTED, uow
        )


async def voluntary_return_completed(
    event: VoluntaryReturnCompletedV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """The person left voluntarily after all: nothing is left to enforce."""
    case = await CaseRepository(uow.session).by_return_case(event.return_case_id)
    if case is not None:
        await _close(case, ClosedReason.VOLUNTARY_DEPARTURE, CancellationReason.VOLUNTARY_DEPARTURE, uow)


async def dublin_transfer_carried_out(
    event: DublinTransferCarriedOutV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """The receiving Member State took the person over: nothing is left to enforce here."""
    note = f"responsibility moved to {event.receiving_state} under the Dublin Regulation"
    for case in await CaseRepository(uow.session).by_application(event.application_id):
        await _close(case, ClosedReason.DUBLIN_TRANSFER, CancellationReason.OTHER, uow, note=note)


async def dublin_deadline_passed(
    event: DublinTransferDeadlinePassedV1, _context: EventContext, uow: UnitOfWork
) -> None:
    """The transfer's time limit passed: the transfer decision can no longer be enforced."""
    note = f"the Dublin transfer's time limit passed on {event.transfer_deadline.isoformat()}"
    for case in await CaseRepository(uow.session).by_application(event.application_id):
        await _close(
            case, ClosedReason.DUBLIN_DEADLINE_PASSED, CancellationReason.DECISION_CHANGED, uow, note=note
        )


async def agency_told(
    event: TravelBookedV1
    | TravelBookingCancelledV1
    | ImpedimentApplicationLodgedV1
    | ImpedimentApplicationDecidedV1,
    _context: EventContext,
    uow: UnitOfWork,
) -> None:
    """Keep what the Agency says about a return case on it (it stops nothing); a residence permit on
    an impediment application ends enforcement."""
    reference, kind = note_reference(event)
    notes = AgencyNoteRepository(uow.session)
    note = await notes.get(event.return_case_id, reference, kind)
    note.learn(event)
    await notes.put(note, uow.clock.now())
    if isinstance(event, ImpedimentApplicationDecidedV1) and ends_enforcement(event):
        case = await CaseRepository(uow.session).by_return_case(event.return_case_id)
        if case is not None:
            await _close(
                case, ClosedReason.RESIDENCE_PERMIT_GRANTED, CancellationReason.RESIDENCE_PERMIT_GRANTED, uow
            )


async def _close(
    case: EnforcementCase,
    reason: ClosedReason,
    plan_reason: CancellationReason,
    uow: UnitOfWork,
    *,
    note: str | None = None,
) -> None:
    if not case.close(reason, uow.clock.now()):
        return
    await _cancel_active_plans(case, plan_reason, note, uow)
    await end_measures(
        case,
        uow,
        detention_reason=DetentionEndReason.REMOVAL_CANCELLED,
        measure_reason=LighterMeasureEndReason.REMOVAL_CANCELLED,
    )
    await CaseRepository(uow.session).save(case)


# --------------------------------------------------------------------------- the monitor's feedback


def _feedback_handler(apply: Callable[[MonitorFeedback, Any], None]) -> EventHandler:
    async def handle(event: Any, _context: EventContext, uow: UnitOfWork) -> None:
        repository = FeedbackRepository(uow.session)
        feedback = await repository.get(event.plan_id) or MonitorFeedback(plan_id=event.plan_id)
        apply(feedback, event)
        await repository.save(feedback, uow.clock.now())

    return handle


notice_acknowledged = _feedback_handler(MonitorFeedback.acknowledged)
notice_late = _feedback_handler(MonitorFeedback.flagged_late)
notice_missing = _feedback_handler(MonitorFeedback.flagged_missing)
notice_revision_missing = _feedback_handler(MonitorFeedback.flagged_revision_missing)
monitoring_decision_made = _feedback_handler(MonitorFeedback.decided)
monitoring_report_filed = _feedback_handler(MonitorFeedback.reported)

MONITOR_EVENTS: dict[type[Event], EventHandler] = {
    NoticeAcknowledgedV1: notice_acknowledged,
    NoticeLateV1: notice_late,
    NoticeMissingV1: notice_missing,
    NoticeRevisionMissingV1: notice_revision_missing,
    MonitoringDecisionMadeV1: monitoring_decision_made,
    MonitoringReportFiledV1: monitoring_report_filed,
}


def subscriptions(rules: PoliceHandoverRules) -> list[Subscription]:
    """What the Police consume: returns' handovers, departures, bookings and impediment applications,
    intake's stays, grants and Dublin outcomes, and the monitor's feedback."""
    return [
        Subscription(
            name="returns-handovers",
            topics=[RETURNS_HANDOVER_V1.name, RETURNS_RETURN_CASE_V1.name],
            handlers={
                CaseHandedOverToPoliceV1: handover_received(rules),
                VoluntaryReturnCompletedV1: voluntary_return_completed,
                TravelBookedV1: agency_told,
                TravelBookingCancelledV1: agency_told,
                ImpedimentApplicationLodgedV1: agency_told,
                ImpedimentApplicationDecidedV1: agency_told,
            },
        ),
        Subscription(
            name="intake-applications",
            topics=[INTAKE_APPLICATION_V1.name],
            handlers={
                InhibitionOrderedV1: inhibition_ordered,
                InhibitionLiftedV1: inhibition_lifted,
                ResidencePermitGrantedV1: residence_permit_granted,
                DublinTransferCarriedOutV1: dublin_transfer_carried_out,
                DublinTransferDeadlinePassedV1: dublin_deadline_passed,
            },
        ),
        Subscription(
            name="monitoring-notices",
            topics=[MONITORING_NOTICE_V1.name, MONITORING_REPORT_V1.name],
            handlers=dict(MONITOR_EVENTS),
        ),
    ]
