"""What a handover package draws on, loaded together."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters.decisions import DecisionRepository
from returns.adapters.identities import IdentityRepository
from returns.adapters.known_applications import KnownApplicationRepository
from returns.domain.applicant import Dossier


async def load_dossier(session: AsyncSession, application_id: str) -> Dossier:
    """What a handover package draws on: the registration, the identity and the decisions."""
    return Dossier(
        application=await KnownApplicationRepository(session).get(application_id),
        identity=await IdentityRepository(session).get(application_id),
        decisions=await DecisionRepository(session).for_application(application_id),
    )
