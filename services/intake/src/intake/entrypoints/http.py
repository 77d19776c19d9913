"""Intake's HTTP API for Migration Agency systems (role ``agency``).

Bad input is a 422 in FastAPI's shape whose ``loc`` names the field; an unknown id is a
404; a command that does not fit the application's state (deciding twice, enforcing a
grant) is a 409 saying why. POSTs that create something take a ``request_id``: repeating it
answers 200 with the first result and creates and publishes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import Uow, field_error
from intake import handlers
from intake.adapters.repository import ApplicationFilter
from intake.domain.decision import ApplicationStatus
from intake.domain.errors import InvalidInput, NotFound, StateConflict
from intake.domain.rules import IntakeRules
from intake.entrypoints.models import (
    ApplicationOut,
    ApplicationPage,
    DecisionIn,
    DublinTransferIn,
    EnforceabilityIn,
    InhibitionIn,
    InhibitionOut,
    LiftInhibitionIn,
    Problem,
    RegisterApplicationIn,
)

Agency = Annotated[Caller, Depends(require_roles("agency"))]
MAX_DAYS_AHEAD = 3660

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such application"}}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "The command does not fit the application's state"}
}


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into HTTP answers."""
    try:
        yield
    except InvalidInput as exc:
        raise field_error(exc.field, str(exc)) from exc
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    except StateConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc


def create_router(rules: IntakeRules) -> APIRouter:
    """The routes, bound to the rules the service was configured with."""
    router = APIRouter(prefix="/applications", tags=["applications"])

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        summary="Register an asylum application",
        responses={200: {"description": "Already registered under this request id", "model": ApplicationOut}},
    )
    async def register(
        body: RegisterApplicationIn, uow: Uow, _caller: Agency, response: Response
    ) -> ApplicationOut:
        command = handlers.RegisterApplication(
            applicant=body.applicant.to_domain(),
            lodged_on=body.lodged_on,
            eurodac_hit=body.eurodac_hit,
            documents=[d.to_domain() for d in body.identity_documents],
            vulnerabilities=body.vulnerabilities,
            request_id=body.request_id,
        )
        with domain_errors():
            application, created = await handlers.register_application(command, uow)
        if not created:
            response.status_code = status.HTTP_200_OK
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    @router.get("", summary="Applications, filtered and paged (oldest lodged first)")
    async def list_applications(
        uow: Uow,
        _caller: Agency,
        status_: Annotated[
            ApplicationStatus | None, Query(alias="status", description="Decision status.")
        ] = None,
        dublin: Annotated[bool | None, Query(description="Dublin cases only (true) or none (false).")] = None,
        overdue: Annotated[
            bool | None, Query(description="Undecided after the decision due date (true) or not (false).")
        ] = None,
        decision_due_within_days: Annotated[
            int | None,
            Query(ge=0, le=MAX_DAYS_AHEAD, description="Undecided, decision due from today to N days ahead."),
        ] = None,
        transfer_due_within_days: Annotated[
            int | None,
            Query(
                ge=0, le=MAX_DAYS_AHEAD, description="Dublin transfer deadline from today to N days ahead."
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> ApplicationPage:
        wanted = ApplicationFilter(
            status=status_,
            dublin=dublin,
            overdue=overdue,
            decision_due_within_days=decision_due_within_days,
            transfer_due_within_days=transfer_due_within_days,
        )
        found, total, today = await handlers.list_applications(wanted, uow, rules, limit=limit, offset=offset)
        return ApplicationPage(
            items=[ApplicationOut.of(a, day=today, rules=rules) for a in found],
            total=total,
            limit=limit,
            offset=offset,
        )

    @router.get("/{application_id}", summary="One application", responses=NOT_FOUND)
    async def get(
        application_id: str,
        uow: Uow,
        _caller: Agency,
        on: Annotated[
            date | None,
            Query(description="Judge overdue and inhibitions in force on this day (default today)."),
        ] = None,
    ) -> ApplicationOut:
        application = await handlers.get_application(application_id, uow)
        if application is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no application {application_id!r}")
        return ApplicationOut.of(application, day=on or uow.clock.now().date(), rules=rules)

    @router.post(
        "/{application_id}/decision",
        status_code=status.HTTP_201_CREATED,
        summary="Decide: grant a residence permit, or refuse with a removal order",
        responses={
            200: {"description": "Already decided under this request id", "model": ApplicationOut},
            **NOT_FOUND,
            **CONFLICT,
        },
    )
    async def decide(
        application_id: str, body: DecisionIn, uow: Uow, _caller: Agency, response: Response
    ) -> ApplicationOut:
        with domain_errors():
            command = handlers.Decide(
                application_id=application_id,
                decided_on=body.decided_on,
                terms=body.terms(),
                request_id=body.request_id,
            )
            application, created = await handlers.decide(command, uow)
        if not created:
            response.status_code = status.HTTP_200_OK
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    @router.post(
        "/{application_id}/enforceability",
        summary="Record the date a refusal became enforceable (checked against the appeal period)",
        responses={**NOT_FOUND, **CONFLICT},
    )
    async def enforceability(
        application_id: str, body: EnforceabilityIn, uow: Uow, _caller: Agency
    ) -> ApplicationOut:
        with domain_errors():
            application = await handlers.make_enforceable(
                handlers.MakeEnforceable(
                    application_id=application_id,
                    enforceable_on=body.enforceable_on,
                    appeal_waived=body.appeal_waived,
                ),
                uow,
                rules,
            )
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    @router.post(
        "/{application_id}/inhibitions",
        status_code=status.HTTP_201_CREATED,
        summary="Register an inhibition (a court's stay of enforcement)",
        responses={
            200: {"description": "Already registered under this request id", "model": InhibitionOut},
            **NOT_FOUND,
            **CONFLICT,
        },
    )
    async def order_inhibition(
        application_id: str, body: InhibitionIn, uow: Uow, _caller: Agency, response: Response
    ) -> InhibitionOut:
        with domain_errors():
            inhibition, created = await handlers.order_inhibition(
                handlers.OrderInhibition(
                    application_id=application_id,
                    court=body.court,
                    ordered_on=body.ordered_on,
                    request_id=body.request_id,
                ),
                uow,
            )
        if not created:
            response.status_code = status.HTTP_200_OK
        return InhibitionOut.of(application_id, inhibition, uow.clock.now().date())

    @router.post(
        "/{application_id}/inhibitions/{inhibition_id}/lift",
        summary="Lift an inhibition",
        responses={**NOT_FOUND, **CONFLICT},
    )
    async def lift_inhibition(
        application_id: str, inhibition_id: str, body: LiftInhibitionIn, uow: Uow, _caller: Agency
    ) -> InhibitionOut:
        with domain_errors():
            inhibition = await handlers.lift_inhibition(
                handlers.LiftInhibition(
                    application_id=application_id,
                    inhibition_id=inhibition_id,
                    lifted_on=body.lifted_on,
                    court=body.court,
                ),
                uow,
            )
        return InhibitionOut.of(application_id, inhibition, uow.clock.now().date())

    @router.post(
        "/{application_id}/dublin-transfer",
        summary="Record a Dublin transfer's acceptance and the person's status",
        responses={**NOT_FOUND, **CONFLICT},
    )
    async def dublin_transfer(
        application_id: str, body: DublinTransferIn, uow: Uow, _caller: Agency
    ) -> ApplicationOut:
        with domain_errors():
            body.check()
            application = await handlers.record_dublin_transfer(
                handlers.RecordDublinTransfer(
                    application_id=application_id, accepted_on=body.accepted_on, status=body.status
                ),
                uow,
            )
        return ApplicationOut.of(application, day=uow.clock.now().date(), rules=rules)

    return router
