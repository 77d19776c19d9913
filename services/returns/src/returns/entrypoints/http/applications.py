"""Applications as returns learned them from intake (role ``agency``)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel

from handoff_plumbing.http import Uow
from handoff_plumbing.http.types import Identifier
from handoff_schemas.events.intake import Vulnerability
from returns import queries
from returns.domain.applicant import KnownApplication
from returns.entrypoints.http.dependencies import Agency

router = APIRouter(prefix="/applications", tags=["applications"])


class KnownApplicationOut(BaseModel):
    application_id: str
    person_ref: str
    lodged_on: date
    dublin_case: bool
    vulnerabilities: list[Vulnerability]
    learned_at: datetime

    @classmethod
    def of(cls, application: KnownApplication) -> KnownApplicationOut:
        return cls(
            application_id=application.application_id,
            person_ref=application.person_ref,
            lodged_on=application.lodged_on,
            dublin_case=application.dublin_case,
            vulnerabilities=list(application.vulnerabilities),
            learned_at=application.learned_at,
        )


@router.get("/{application_id}", summary="An application as returns learned it from intake")
async def get(application_id: Identifier, uow: Uow, _caller: Agency) -> KnownApplicationOut:
    return KnownApplicationOut.of(await queries.known_application(application_id, uow))
