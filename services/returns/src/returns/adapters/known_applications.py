"""Applications as returns learned them from intake (their vulnerabilities set deadlines)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.intake import Vulnerability
from returns.adapters.orm import (
    known_applications,
)
from returns.domain.applicant import KnownApplication


class KnownApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, application: KnownApplication) -> None:
        await self._session.execute(
            insert(known_applications).values(
                application_id=application.application_id,
                person_ref=application.person_ref,
                lodged_on=application.lodged_on,
                dublin_case=application.dublin_case,
                vulnerabilities=[v.value for v in application.vulnerabilities],
                learned_at=application.learned_at,
            )
        )

    async def get(self, application_id: str) -> KnownApplication | None:
        row = (
            await self._session.execute(
                select(known_applications).where(known_applications.c.application_id == application_id)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return KnownApplication(
            application_id=m["application_id"],
            person_ref=m["person_ref"],
            lodged_on=m["lodged_on"],
            dublin_case=m["dublin_case"],
            vulnerabilities=tuple(Vulnerability(v) for v in m["vulnerabilities"]),
            learned_at=m["learned_at"],
        )
