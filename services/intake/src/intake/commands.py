"""Intake's commands: load the application, call one method of it, store it, stage its events.

Each runs inside the unit of work it is given and does not commit: the HTTP edge
(:data:`handoff_plumbing.http.commands.Command`) commits, together with the answer it
remembers under the caller's ``request_id``. A repeat without a request id meets the
aggregate's state guards: the same fact again changes nothing, a different one is a
conflict. Either way no second event is published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from handoff_plumbing.audit import Access, Accessor, PersonalDataAudit, PersonalDataUse, personal_fields_of
from handoff_plumbing.errors import NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.intake import ApplicantIdentityRecordedV1, Vulnerability
from intake.adapters.applications import ApplicationRepository
from intake.adapters.orm import audit_trail
from intake.domain.applicant import Applicant, IdentityDocument
from intake.domain.application import Application
from intake.domain.decision import Grant, Refusal
from intake.domain.dublin_status import DublinStatus
from intake.domain.inhibition import Inhibition
from intake.domain.periods import last_start_ending_on_or_before
from intake.domain.rules import IntakeRules

IDENTITY_DISCLOSED_TO = "returns"
"""The applicant topic's one consumer: the Agency's return counselling, for a complete handover."""
IDENTITY_DISCLOSURE_PURPOSE = "return counselling and a complete handover to the Police"


@dataclass(frozen=True)
class RegisterApplication:
    applicant: Applicant
    lodged_on: date
    eurodac_hit: bool
    documents: list[IdentityDocument]
    vulnerabilities: list[Vulnerability]
    registered_by: Accessor


@dataclass(frozen=True)
class Decide:
    application_id: str
    decided_on: date
    terms: Grant | Refusal


@dataclass(frozen=True)
class MakeEnforceable:
    application_id: str
    enforceable_on: date
    appeal_waived: bool = False
    legal_force_on: date | None = None
    decided_by: str | None = None


@dataclass(frozen=True)
class OrderInhibition:
    application_id: str
    court: str
    ordered_on: date


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
    receiving_state: str | None = None


@dataclass(frozen=True)
class CarryOutTransfer:
    application_id: str
    transferred_on: date
    receiving_state: str | None = None


async def register_application(command: RegisterApplication, uow: UnitOfWork) -> Application:
    applications = ApplicationRepository(uow.session)
    application, events = Application.register(
        applicant=command.applicant,
        lodged_on=command.lodged_on,
        eurodac_hit=command.eurodac_hit,
        documents=command.documents,
        vulnerabilities=command.vulnerabilities,
        now=uow.clock.now(),
    )
    await applications.add(application)
    await _publish(uow, events)
    await PersonalDataAudit(uow.session, audit_trail).record(
        PersonalDataUse(
            accessor=command.registered_by,
            person_ref=application.person_ref,
            fields=personal_fields_of(ApplicantIdentityRecordedV1),
            purpose=IDENTITY_DISCLOSURE_PURPOSE,
            resource=ApplicantIdentityRecordedV1.event_type,
            access=Access.DISCLOSED,
            recipient=IDENTITY_DISCLOSED_TO,
        ),
        now=uow.clock.now(),
    )
    return application


async def decide(command: Decide, uow: UnitOfWork) -> Application:
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    now = uow.clock.now()
    events = application.decide(decided_on=command.decided_on, terms=command.terms, today=now.date(), now=now)
    await _save(uow, applications, application, events)
    return application


async def make_enforceable(command: MakeEnforceable, uow: UnitOfWork, rules: IntakeRules) -> Application:
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    now = uow.clock.now()
    events = application.make_enforceable(
        enforceable_on=command.enforceable_on,
        appeal_waived=command.appeal_waived,
        today=now.date(),
        now=now,
        rules=rules,
        legal_force_on=command.legal_force_on,
        decided_by=command.decided_by,
    )
    await _save(uow, applications, application, events)
    return application


async def order_inhibition(command: OrderInhibition, uow: UnitOfWork) -> Inhibition:
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    now = uow.clock.now()
    inhibition, events = application.order_inhibition(
        court=command.court, ordered_on=command.ordered_on, today=now.date(), now=now
    )
    await _save(uow, applications, application, events)
    return inhibition


async def lift_inhibition(command: LiftInhibition, uow: UnitOfWork) -> Inhibition:
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    now = uow.clock.now()
    inhibition, events = application.lift_inhibition(
        command.inhibition_id, lifted_on=command.lifted_on, court=command.court, today=now.date(), now=now
    )
    await _save(uow, applications, application, events)
    return inhibition


async def record_dublin_transfer(command: RecordDublinTransfer, uow: UnitOfWork) -> Application:
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    if application.record_dublin_transfer(
        accepted_on=command.accepted_on,
        status=command.status,
        today=uow.clock.now().date(),
        receiving_state=command.receiving_state,
    ):
        await applications.save(application)
    return application


async def carry_out_transfer(command: CarryOutTransfer, uow: UnitOfWork, rules: IntakeRules) -> Application:
    """The person was transferred to the receiving state, which is responsible from now on."""
    applications = ApplicationRepository(uow.session)
    application = await _load(applications, command.application_id)
    events = application.transfer_carried_out(
        transferred_on=command.transferred_on,
        receiving_state=command.receiving_state,
        today=uow.clock.now().date(),
        rules=rules,
    )
    await _save(uow, applications, application, events)
    return application


async def record_lapsed_transfers(uow: UnitOfWork, rules: IntakeRules) -> list[Application]:
    """Every transfer whose time limit passed before today: this state is responsible for it now.

    Run by the Agency's scheduler (or by hand) each day; a transfer already recorded as lapsed is
    not touched again, so running it twice changes nothing.
    """
    applications = ApplicationRepository(uow.session)
    today = uow.clock.now().date()
    # No time limit is shorter than the normal one: later acceptances cannot have lapsed yet.
    latest = last_start_ending_on_or_before(today - timedelta(days=1), rules.transfer_months_normal)
    lapsed = []
    for application_id in await applications.transfers_due_to_lapse(latest):
        application = await _load(applications, application_id)
        events = application.transfer_lapsed(today=today, rules=rules)
        if events:
            await _save(uow, applications, application, events)
            lapsed.append(application)
    return lapsed


async def _load(applications: ApplicationRepository, application_id: str) -> Application:
    application = await applications.get(application_id, for_update=True)
    if application is None:
        raise NotFound("application", application_id)
    return application


async def _save(
    uow: UnitOfWork, applications: ApplicationRepository, application: Application, events: Sequence[Event]
) -> None:
    if not events:  # the same fact again: nothing changed, nothing to publish
        return
    await applications.save(application)
    await _publish(uow, events)


async def _publish(uow: UnitOfWork, events: Sequence[Event]) -> None:
    for event in events:
        await uow.publish(event)
