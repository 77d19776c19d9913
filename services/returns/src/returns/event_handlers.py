"""Event handlers of returns: thin, each loads what the event is about, calls the domain, stages events.

They run inside the consumer's unit of work, together with its inbox record: a redelivered
event never reaches them twice, and whatever they stage with ``uow.publish`` is committed
with their state change. Logs carry references only, never an identity.
"""

from __future__ import annotations

from datetime import date

import structlog

from handoff_plumbing.consumer import EventContext, Subscription
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.intake import (
    ApplicantIdentityRecordedV1,
    ApplicationRegisteredV1,
    DecisionEnforceableV1,
    DecisionMadeV1,
    DecisionOutcome,
    InhibitionLiftedV1,
    InhibitionOrderedV1,
)
from handoff_schemas.events.intake_dublin import DublinTransferCarriedOutV1, DublinTransferDeadlinePassedV1
from handoff_schemas.events.police import HandoverAcceptedV1, HandoverRejectedV1, RemovalExecutedV1
from handoff_schemas.events.returns_steps import ReturnCaseClosure
from handoff_schemas.topics import (
    INTAKE_APPLICANT_V1,
    INTAKE_APPLICATION_V1,
    POLICE_ENFORCEMENT_CASE_V1,
    POLICE_REMOVAL_PLAN_V1,
)
from returns.adapters.decisions import DecisionRepository
from returns.adapters.dublin_outcomes import DublinOutcomeRepository
from returns.adapters.identities import IdentityRepository
from returns.adapters.inhibitions import InhibitionRepository
from returns.adapters.known_applications import KnownApplicationRepository
from returns.adapters.return_cases import ReturnCaseRepository
from returns.domain.applicant import DecisionRecord, KnownApplication, RecordedIdentity
from returns.domain.case_state import CaseStatus
from returns.domain.errors import Missing
from returns.domain.return_case import ReturnCase
from returns.domain.rules import ReturnsRules

log = structlog.get_logger("returns.event_handlers")


def subscriptions(rules: ReturnsRules) -> list[Subscription]:
    """What returns consumes: intake's applications and applicants, the Police's answers and removals."""
    handlers = EventHandlers(rules)
    return [
        Subscription(
            name="intake-applications",
            topics=[INTAKE_APPLICATION_V1.name],
            handlers={
                ApplicationRegisteredV1: handlers.application_registered,
                DecisionMadeV1: handlers.decision_made,
                DecisionEnforceableV1: handlers.decision_enforceable,
                InhibitionOrderedV1: handlers.inhibition_ordered,
                InhibitionLiftedV1: handlers.inhibition_lifted,
                DublinTransferCarriedOutV1: handlers.dublin_transfer_carried_out,
                DublinTransferDeadlinePassedV1: handlers.dublin_deadline_passed,
            },
        ),
        Subscription(
            name="intake-applicants",
            topics=[INTAKE_APPLICANT_V1.name],
            handlers={ApplicantIdentityRecordedV1: handlers.applicant_identity_recorded},
        ),
        Subscription(
            name="police-enforcement-cases",
            topics=[POLICE_ENFORCEMENT_CASE_V1.name],
            handlers={
                HandoverAcceptedV1: handlers.handover_accepted,
                HandoverRejectedV1: handlers.handover_rejected,
            },
        ),
        Subscription(
            name="police-removal-plans",
            topics=[POLICE_REMOVAL_PLAN_V1.name],
            handlers={RemovalExecutedV1: handlers.removal_executed},
        ),
    ]


class EventHandlers:
    """The handlers of the events returns consumes, bound to the service's rules."""

    def __init__(self, rules: ReturnsRules) -> None:
        self.rules = rules

    async def application_registered(
        self, event: ApplicationRegisteredV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """Remember the application (its vulnerabilities set a case's deadlines later)."""
        repository = KnownApplicationRepository(uow.session)
        if await repository.get(event.application_id) is None:
            await repository.add(KnownApplication.from_event(event, now=uow.clock.now()))

    async def applicant_identity_recorded(
        self, event: ApplicantIdentityRecordedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """Keep the identity for the handover package; an older recording never replaces a newer one."""
        identities = IdentityRepository(uow.session)
        recorded = RecordedIdentity(
            application_id=event.application_id,
            person_ref=event.person_ref,
            identity=event.identity,
            recorded_at=event.recorded_at,
        )
        if recorded.supersedes(await identities.get(event.application_id)):
            await identities.put(recorded)

    async def decision_made(self, event: DecisionMadeV1, _context: EventContext, uow: UnitOfWork) -> None:
        """Keep the decision as a reference; one granting protection ends the application's return cases."""
        decisions = DecisionRepository(uow.session)
        if await decisions.get(event.decision_id) is None:
            await decisions.add(
                DecisionRecord(
                    decision_id=event.decision_id,
                    application_id=event.application_id,
                    decided_on=event.decided_on,
                    decided_by=self.rules.deciding_authority,
                    outcome=event.outcome,
                    destination_country=event.destination_country,
                )
            )
        if event.outcome is not DecisionOutcome.GRANTED:
            return
        cases = ReturnCaseRepository(uow.session)
        for return_case_id in await cases.ids_for_application(event.application_id):
            case = await cases.get(return_case_id)
            if (
                case is not None
                and case.enforceable_on <= event.decided_on
                and case.supersede(decision_id=event.decision_id, decided_on=event.decided_on)
            ):
                await cases.save(case)
                await uow.publish(case.closed_event())
                log.info("return case cancelled", return_case_id=case.return_case_id)

    async def decision_enforceable(
        self, event: DecisionEnforceableV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """Open a return case for the enforceable removal order (once per decision); none for a person
        transferred to another Member State under the Dublin Regulation."""
        cases = ReturnCaseRepository(uow.session)
        if event.decided_by is not None:
            await DecisionRepository(uow.session).decided_by(event.decision_id, event.decided_by)
        if await cases.find(event.application_id, event.decision_id) is not None:
            return
        dublin = await DublinOutcomeRepository(uow.session).get(event.application_id)
        if dublin is not None and dublin[0] is ReturnCaseClosure.DUBLIN_TRANSFER:
            log.info("no return case: the person was transferred", application_id=event.application_id)
            return
        case, opened = ReturnCase.open(
            application_id=event.application_id,
            decision_id=event.decision_id,
            person_ref=event.person_ref,
            removal_order=event.removal_order,
            immediate_enforcement=event.immediate_enforcement,
            enforceable_on=event.enforceable_on,
            destination_country=event.destination_country,
            application=await KnownApplicationRepository(uow.session).get(event.application_id),
            inhibitions=await InhibitionRepository(uow.session).get(event.application_id),
            rules=self.rules,
            now=uow.clock.now(),
            unit=self.rules.default_unit,
            legal_force_on=event.legal_force_on,
        )
        await cases.add(case)
        await uow.publish(opened)
        log.info("return case opened", return_case_id=case.return_case_id, application_id=case.application_id)

    async def inhibition_ordered(
        self, event: InhibitionOrderedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """Register the stay on the application: its return cases (open now or later) see it."""
        inhibitions = InhibitionRepository(uow.session)
        register = await inhibitions.get(event.application_id)
        if register.order(
            inhibition_id=event.inhibition_id,
            court=event.court,
            ordered_on=event.ordered_on,
            decision_id=event.decision_id,
        ):
            await inhibitions.save(register)

    async def inhibition_lifted(
        self, event: InhibitionLiftedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        inhibitions = InhibitionRepository(uow.session)
        register = await inhibitions.get(event.application_id)
        if register.lift(inhibition_id=event.inhibition_id, court=event.court, lifted_on=event.lifted_on):
            await inhibitions.save(register)
        else:
            log.info("inhibition lift changed nothing", inhibition_id=event.inhibition_id)

    async def dublin_transfer_carried_out(
        self, event: DublinTransferCarriedOutV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """The receiving state took the person over: no return case stays open (or opens later)."""
        await self._responsibility_moved(
            event.application_id, ReturnCaseClosure.DUBLIN_TRANSFER, event.transferred_on, uow
        )

    async def dublin_deadline_passed(
        self, event: DublinTransferDeadlinePassedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """The transfer decision can no longer be enforced: its return case closes (a later national
        decision opens a case of its own)."""
        await self._responsibility_moved(
            event.application_id, ReturnCaseClosure.DUBLIN_DEADLINE_PASSED, event.responsible_from, uow
        )

    async def _responsibility_moved(
        self, application_id: str, reason: ReturnCaseClosure, on: date, uow: UnitOfWork
    ) -> None:
        await DublinOutcomeRepository(uow.session).record(application_id, reason, on)
        cases = ReturnCaseRepository(uow.session)
        for return_case_id in await cases.ids_for_application(application_id):
            case = await cases.get(return_case_id)
            if case is not None and case.responsibility_moved(reason, on=on):
                await cases.save(case)
                await uow.publish(case.closed_event())
                log.info("return case closed", return_case_id=return_case_id, reason=reason.value)

    async def removal_executed(
        self, event: RemovalExecutedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """The Police removed the person: an enforced return, counted in the Eurostat figures."""
        cases = ReturnCaseRepository(uow.session)
        case = await cases.get(event.return_case_id)
        if case is None:
            log.warning("removal of a return case returns does not know", return_case_id=event.return_case_id)
            return
        actual = event.carried_out_as
        destination = actual.destination_country if actual is not None else case.destination_country
        if case.removed_by_police(on=self.rules.today(event.executed_at), destination_country=destination):
            await cases.save(case)

    async def handover_accepted(
        self, event: HandoverAcceptedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        cases = ReturnCaseRepository(uow.session)
        case = await cases.get(event.return_case_id)
        if case is None:
            log.warning("handover answer matches no pending handover", handover_id=event.handover_id)
            return
        was_closed = case.closed
        if case.handover_accepted(
            handover_id=event.handover_id,
            enforcement_case_id=event.enforcement_case_id,
            responsible_department=event.responsible_department,
            accepted_at=event.accepted_at,
        ):
            await cases.save(case)
            if case.closed and not was_closed:
                await uow.publish(case.closed_event())
            return
        log.warning("handover answer matches no pending handover", handover_id=event.handover_id)

    async def handover_rejected(
        self, event: HandoverRejectedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        cases = ReturnCaseRepository(uow.session)
        case = await cases.get(event.return_case_id)
        if case is None:
            log.warning("handover answer matches no pending handover", handover_id=event.handover_id)
            return
        was_awaiting = case.status is CaseStatus.AWAITING_POLICE
        if case.handover_rejected(
            handover_id=event.handover_id,
            missing=[Missing(item=m.item, detail=m.detail, problem=m.problem.value) for m in event.missing],
            rejected_at=event.rejected_at,
        ):
            await cases.save(case)
            if was_awaiting and case.status is CaseStatus.OPEN:
                await uow.publish(case.handover_returned(self.rules.today(event.rejected_at)))
            log.info("return case reopened after a rejected handover", return_case_id=case.return_case_id)
            return
        log.warning("handover answer matches no pending handover", handover_id=event.handover_id)
