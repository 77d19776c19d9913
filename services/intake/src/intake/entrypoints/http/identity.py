"""The applicant's identity for the Agency's case officers: personal data, each read recorded in the
personal-data audit trail before it is answered (who, when, which fields, for what purpose)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from handoff_plumbing.http import Uow
from handoff_plumbing.http.audit import accessor
from handoff_plumbing.http.types import Identifier
from handoff_schemas.events.common import IdentityDocumentKind, Sex
from handoff_schemas.events.intake import IdentityCategory
from intake import queries
from intake.domain.application import Application
from intake.entrypoints.http.dependencies import Agency

router = APIRouter(prefix="/applications", tags=["applications"])


class IdentityDocumentOut(BaseModel):
    kind: IdentityDocumentKind
    number: str
    issuing_country: str | None
    expires_on: date | None
    original_held_by_agency: bool


class IdentityOut(BaseModel):
    """The applicant's identity: personal data, each read recorded in the audit trail."""

    application_id: str
    person_ref: str
    full_name: str
    date_of_birth: date
    sex: Sex
    nationality: str
    identity_category: IdentityCategory
    identity_documents: list[IdentityDocumentOut]

    @classmethod
    def of(cls, application: Application) -> IdentityOut:
        applicant = application.applicant
        return cls(
            application_id=application.application_id,
            person_ref=application.person_ref,
            full_name=applicant.full_name,
            date_of_birth=applicant.date_of_birth,
            sex=applicant.sex,
            nationality=applicant.nationality,
            identity_category=application.identity_category,
            identity_documents=[
                IdentityDocumentOut(
                    kind=d.kind,
                    number=d.number,
                    issuing_country=d.issuing_country,
                    expires_on=d.expires_on,
                    original_held_by_agency=d.original_held_by_agency,
                )
                for d in application.documents
            ],
        )


@router.get(
    "/{application_id}/identity",
    summary="The applicant's identity and documents (personal data: the read is recorded)",
    responses={404: {"description": "No such application"}},
)
async def identity(application_id: Identifier, uow: Uow, caller: Agency) -> IdentityOut:
    return IdentityOut.of(await queries.identity(application_id, uow, accessor(caller)))
