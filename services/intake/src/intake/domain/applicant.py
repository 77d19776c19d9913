"""The applicant as intake holds them: personal data that stay inside intake, except on the
Agency's own applicant topic (``ApplicantIdentityRecordedV1``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from handoff_schemas.events.common import IdentityCategory, IdentityDocumentKind, Sex

UNKNOWN_COUNTRY = "XXX"
"""What the identity event says for a country intake was not told (ICAO's "unspecified")."""

IDENTITY_DOCUMENTS = frozenset({IdentityDocumentKind.PASSPORT, IdentityDocumentKind.NATIONAL_ID_CARD})


@dataclass(frozen=True)
class Applicant:
    full_name: str
    date_of_birth: date
    nationality: str
    sex: Sex = Sex.UNKNOWN


@dataclass(frozen=True)
class IdentityDocument:
    kind: IdentityDocumentKind
    number: str
    issuing_country: str | None = None
    expires_on: date | None = None
    original_held_by_agency: bool = False


def identity_category(documents: list[IdentityDocument]) -> IdentityCategory:
    """Documented with a passport or id card; partly with other papers; else undocumented."""
    kinds = {document.kind for document in documents}
    if kinds & IDENTITY_DOCUMENTS:
        return IdentityCategory.DOCUMENTED
    if kinds:
        return IdentityCategory.PARTLY_DOCUMENTED
    return IdentityCategory.UNDOCUMENTED


def new_reference(prefix: str) -> str:
    """A pseudonymous reference: random, so it reveals nothing about the person."""
    return f"{prefix}-{secrets.token_hex(6)}"
