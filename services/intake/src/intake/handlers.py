"""Command handlers: load, call the aggregate, stage its events, commit. Nothing else.

Commands that create something (an application, a decision, an inhibition) take an optional
``request_id``: repeating it returns the first result and creates and publishes nothing.
Other repeats meet the aggregate's state guards: the same fact again changes nothing, a
different one is a conflict. Either way no second event is published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.intake import Vulnerability
from intake.adapters.repository import ApplicationFilter, ApplicationRepository
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application
from intake.domain.decision import Grant, Refusal
from intake.domain.dublin_status import DublinStatus
from intake.domain.errors import NotFound, StateConflict
from intake.domain.inhibition import Inhibition
from intake.domain.rules import IntakeRules


@dataclass(frozen=True)
class RegisterApplication:
    applicant: Applicant
    lodged_on: date
    eurodac_hit: bool
    documents: list[IdentityDocument]
    vulnerabilities: list[Vulnerability]
    request_id: str | None = None


@dataclass(frozen=True)
class Decide:
    application_id: str
    decided_on: date
    terms: Grant | Refusal
    request_id: str | None = None


@dataclass(frozen=True)
class MakeEnforceable:
    application_id: str
    enforceable_on: date
    appeal_waived: bool = False


@dataclass(frozen=True)
class OrderInhibition:
    application_id: str
    court: str
    ordered_on: date
    request_id: str | None = None


@dataclass(frozen=True)
class LiftInhibition:
    application_id: str
    inhibition_id: str
    lifted_on: date
    court: str | None = None


@dataclass(frozen=True)
class RecordDublinTransfer:
    application_id: str
    accepted_on: date | None = None
    status: DublinStatus | None = None


async def register_application(command: RegisterApplication, uow: UnitOfWork) -> tuple[Application, bool]:
    """Register an application; a repeated request id returns the first one (created=False)."""
    try:
        async with uow:
            applications = ApplicationRepository(uow.session)
            if command.request_id is not None:
                existing = await applications.by_request_id(command.request_id)
                if existing is not None:
                    return existing, False
            application, events = Application.register(
                applicant=command.applicant,
                lodged_on=command.lodged_on,
                eurodac_hit=command.eurodac_hit,
                documents=command.documents,
                vulnerabilities=command.vulnerabilities,
                now=uow.clock.now(),
                request_id=command.request_id,
            )
            await applications.add(application)
            await _publish(uow, events)
            await uow.commit()
    except IntegrityError:
        # The same request id, registered concurrently, committed first: answer with that one.
        if command.request_id is None:
            raise
        async with uow:
            existing = await ApplicationRepository(uow.session).by_request_id(command.request_id)
        if existing is None:
            raise
        return existing, False
    return application, True


async def decide(command: Decide, uow: UnitOfWork) -> tuple[Application, bool]:
    """Decide an application; a repeated request id returns it as first decided (created=False)."""
    async with uow:
        applications = ApplicationRepository(uow.session)
        application = await _load(applications, command.application_id)
        if command.request_id is not None:
            decided = await applications.application_of_decision_request(command.request_id)
            if decided is not None:
                _same_application(decided, command.application_id, command.request_id)
                return application, False
        now = uow.clock.now()
        events = application.decide(
            decided_on=command.decided_on,
            terms=command.terms,
            today=now.date(),
            now=now,
            request_id=command.request_id,
        )
        await _save(uow, applications, application, events)
    return application, True


async def make_enforceable(command: MakeEnforceable, uow: UnitOfWork, rules: IntakeRules) -> Application:
    async with uow:
        applications = ApplicationRepository(uow.session)
        application = await _load(applications, command.application_id)
        now = uow.clock.now()
        events = application.make_enforceable(
            enforceable_on=command.enforceable_on,
            appeal_waived=command.appeal_waived,
            today=now.date(),
            now=now,
            rules=rules,
        )
        await _save(uow, applications, application, events)
    return application


async def order_inhibition(command: OrderInhibition, uow: UnitOfWork) -> tuple[Inhibition, bool]:
    """Register an inhibition; a repeated request id returns the first one (created=False)."""
    async with uow:
        applications = ApplicationRepository(uow.session)
        application = await _load(applications, command.application_id)
        if command.request_id is not None:
            earlier = await applications.inhibition_of_request(command.request_id)
            if earlier is not None:
                _same_application(earlier[0], command.application_id, command.request_id)
                return application.inhibition(earlier[1]), False
        now = uow.clock.now()
        inhibition, events = application.order_inhibition(
            court=command.court,
            ordered_on=command.ordered_on,
            today=now.date(),
            now=now,
            request_id=command.request_id,
        )
        await _save(uow, applications, application, events)
    return inhibition, True


async def lift_inhibition(command: LiftInhibition, uow: UnitOfWork) -> Inhibition:
    async with uow:
        applications = ApplicationRepository(uow.session)
        application = await _load(applications, command.application_id)
        now = uow.clock.now()
        inhibition, events = application.lift_inhibition(
            command.inhibition_id, lifted_on=command.lifted_on, court=command.court, today=now.date(), now=now
        )
        await _save(uow, applications, application, events)
    return inhibition


async def record_dublin_transfer(command: RecordDublinTransfer, uow: UnitOfWork) -> Application:
    async with uow:
        applications = ApplicationRepository(uow.session)
        application = await _load(applications, command.application_id)
        changed = application.record_dublin_transfer(
            accepted_on=command.accepted_on, status=command.status, today=uow.clock.now().date()
        )
        if changed:
            await applications.save(application)
            await uow.commit()
    return application


async def get_application(application_id: str, uow: UnitOfWork) -> Application | None:
    async with uow:
        return await ApplicationRepository(uow.session).get(application_id)


async def list_applications(
    wanted: ApplicationFilter, uow: UnitOfWork, rules: IntakeRules, *, limit: int, offset: int
) -> tuple[list[Application], int, date]:
    """A page of matching applications, the total that match, and the day it was judged on."""
    async with uow:
        today = uow.clock.now().date()
        found, total = await ApplicationRepository(uow.session).page(
            wanted, today=today, rules=rules, limit=limit, offset=offset
        )
    return found, total, today


async def _load(applications: ApplicationRepository, application_id: str) -> Application:
    application = await applications.get(application_id, for_update=True)
    if application is None:
        raise NotFound("application", application_id)
    return application


def _same_application(recorded_for: str, asked_for: str, request_id: str) -> None:
    if recorded_for != asked_for:
        raise StateConflict(
            f"request_id {request_id!r} was already used for application {recorded_for}; "
            "a request id names one request"
        )


async def _save(
    uow: UnitOfWork, applications: ApplicationRepository, application: Application, events: Sequence[Event]
) -> None:
    if not events:  # the same fact again: nothing changed, nothing to publish
        return
    await applications.save(application)
    await _publish(uow, events)
    await uow.commit()


async def _publish(uow: UnitOfWork, events: Sequence[Event]) -> None:
    for event in events:
        await uow.publish(event)
