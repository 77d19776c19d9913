"""Loading and storing applications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.intake import Vulnerability
from intake.adapters.orm import applications
from intake.domain.application import Applicant, Application, IdentityDocument, IdentityDocumentKind


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, application: Application) -> None:
        await self._session.execute(
            insert(applications).values(
                application_id=application.application_id,
                person_ref=application.person_ref,
                request_id=application.request_id,
                full_name=application.applicant.full_name,
                date_of_birth=application.applicant.date_of_birth,
                nationality=application.applicant.nationality,
                lodged_on=application.lodged_on,
                registered_at=application.registered_at,
                eurodac_hit=application.eurodac_hit,
                documents=[{"kind": d.kind.value, "number": d.number} for d in application.documents],
                vulnerabilities=[v.value for v in application.vulnerabilities],
            )
        )

    async def get(self, application_id: str) -> Application | None:
        row = (
            await self._session.execute(
                select(applications).where(applications.c.application_id == application_id)
            )
        ).first()
        return _to_domain(row._mapping) if row else None

    async def by_request_id(self, request_id: str) -> Application | None:
        row = (
            await self._session.execute(select(applications).where(applications.c.request_id == request_id))
        ).first()
        return _to_domain(row._mapping) if row else None


def _to_domain(row: Any) -> Application:
    return Application(
        application_id=row["application_id"],
        person_ref=row["person_ref"],
        applicant=Applicant(
            full_name=row["full_name"], date_of_birth=row["date_of_birth"], nationality=row["nationality"]
        ),
        lodged_on=row["lodged_on"],
        registered_at=row["registered_at"],
        eurodac_hit=row["eurodac_hit"],
        documents=[IdentityDocument(IdentityDocumentKind(d["kind"]), d["number"]) for d in row["documents"]],
        vulnerabilities=[Vulnerability(v) for v in row["vulnerabilities"]],
        request_id=row["request_id"],
    )
