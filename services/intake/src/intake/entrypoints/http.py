"""Intake's HTTP API for Migration Agency systems (role ``agency``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import Uow, field_error, not_found
from handoff_schemas.events.intake import IdentityCategory, Vulnerability
from intake import handlers
from intake.domain.application import (
    Applicant,
    Application,
    IdentityDocument,
    IdentityDocumentKind,
    InvalidApplication,
)

router = APIRouter(prefix="/applications", tags=["applications"])
Agency = Annotated[Caller, Depends(require_roles("agency"))]


class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full_name: str = Field(min_length=1, max_length=255)
    date_of_birth: date
    nationality: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")


class IdentityDocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: IdentityDocumentKind
    number: str = Field(min_length=1, max_length=64)


class RegisterApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="Client-chosen id; repeating it returns the first registration, creating nothing.",
    )
    applicant: ApplicantIn
    lodged_on: date
    eurodac_hit: bool = False
    identity_documents: list[IdentityDocumentIn] = Field(default_factory=list)
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)


class ApplicationOut(BaseModel):
    application_id: str
    person_ref: str
    lodged_on: date
    registered_at: datetime
    dublin_case: bool
    identity_category: IdentityCategory
    vulnerabilities: list[Vulnerability]

    @classmethod
    def of(cls, application: Application) -> ApplicationOut:
        return cls(
            application_id=application.application_id,
            person_ref=application.person_ref,
            lodged_on=application.lodged_on,
            registered_at=application.registered_at,
            dublin_case=application.dublin_case,
            identity_category=application.identity_category,
            vulnerabilities=application.vulnerabilities,
        )


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
        applicant=Applicant(**body.applicant.model_dump()),
        lodged_on=body.lodged_on,
        eurodac_hit=body.eurodac_hit,
        documents=[IdentityDocument(kind=d.kind, number=d.number) for d in body.identity_documents],
        vulnerabilities=body.vulnerabilities,
        request_id=body.request_id,
    )
    try:
        application, created = await handlers.register_application(command, uow)
    except InvalidApplication as exc:
        raise field_error(exc.field, str(exc)) from exc
    if not created:
        response.status_code = status.HTTP_200_OK
    return ApplicationOut.of(application)


@router.get("/{application_id}", summary="One application")
async def get(application_id: str, uow: Uow, _caller: Agency) -> ApplicationOut:
    application = await handlers.get_application(application_id, uow)
    if application is None:
        raise not_found("application", application_id)
    return ApplicationOut.of(application)
