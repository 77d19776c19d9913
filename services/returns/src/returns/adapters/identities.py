"""The applicants' identities from intake's applicant topic: personal data, kept here, never logged."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_schemas.events.identity import PersonIdentity
from returns.adapters.orm import (
    applicant_identities,
)
from returns.domain.applicant import RecordedIdentity


class IdentityRepository:
    """The applicants' identities: personal data, kept here and never logged."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, application_id: str) -> RecordedIdentity | None:
        row = (
            await self._session.execute(
                select(applicant_identities).where(applicant_identities.c.application_id == application_id)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return RecordedIdentity(
            application_id=m["application_id"],
            person_ref=m["person_ref"],
            identity=PersonIdentity.model_validate(m["identity"]),
            recorded_at=m["recorded_at"],
        )

    async def put(self, recorded: RecordedIdentity) -> None:
        await self._session.execute(
            delete(applicant_identities).where(
                applicant_identities.c.application_id == recorded.application_id
            )
        )
        await self._session.execute(
            insert(applicant_identities).values(
                application_id=recorded.application_id,
                person_ref=recorded.person_ref,
                identity=recorded.identity.model_dump(mode="json"),
                recorded_at=recorded.recorded_at,
            )
        )
