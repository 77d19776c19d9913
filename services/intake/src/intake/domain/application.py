"""The asylum application aggregate: what intake registers and what follows from it.

Plain Python, no framework imports. Personal data (name, date of birth, document
numbers) stay on the aggregate inside intake; the events it raises carry only the
pseudonymous references.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from handoff_schemas.events.intake import ApplicationRegisteredV1, IdentityCategory, Vulnerability


class IdentityDocumentKind(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID_CARD = "national_id_card"
    BIRTH_CERTIFICATE = "birth_certificate"
    OTHER = "other"


IDENTITY_DOCUMENTS = frozenset({IdentityDocumentKind.PASSPORT, IdentityDocumentKind.NATIONAL_ID_CARD})


@dataclass(frozen=True)
class Applicant:
    full_name: str
    date_of_birth: date
    nationality: str


@dataclass(frozen=True)
class IdentityDocument:
    kind: IdentityDocumentKind
    number: str


class InvalidApplication(ValueError):
    """A rule of registration was broken; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


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


@dataclass
class Application:
    application_id: str
    person_ref: str
    applicant: Applicant
    lodged_on: date
    registered_at: datetime
    eurodac_hit: bool
    documents: list[IdentityDocument] = field(default_factory=list)
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    request_id: str | None = None

    @classmethod
    def register(
        cls,
        *,
        applicant: Applicant,
        lodged_on: date,
        eurodac_hit: bool,
        documents: list[IdentityDocument],
        vulnerabilities: list[Vulnerability],
        now: datetime,
        request_id: str | None = None,
    ) -> tuple[Application, ApplicationRegisteredV1]:
        if lodged_on > now.date():
            raise InvalidApplication("lodged_on", "must not be in the future")
        if applicant.date_of_birth > lodged_on:
            raise InvalidApplication("applicant.date_of_birth", "must be before the date lodged")
        application = cls(
            application_id=new_reference("APP"),
            person_ref=new_reference("P"),
            applicant=applicant,
            lodged_on=lodged_on,
            registered_at=now,
            eurodac_hit=eurodac_hit,
            documents=list(documents),
            vulnerabilities=sorted(set(vulnerabilities)),
            request_id=request_id,
        )
        return application, application.registered_event()

    @property
    def dublin_case(self) -> bool:
        """A Eurodac hit at application makes it a Dublin case."""
        return self.eurodac_hit

    @property
    def identity_category(self) -> IdentityCategory:
        return identity_category(self.documents)

    def registered_event(self) -> ApplicationRegisteredV1:
        return ApplicationRegisteredV1(
            application_id=self.application_id,
            person_ref=self.person_ref,
            lodged_on=self.lodged_on,
            dublin_case=self.dublin_case,
            identity_category=self.identity_category,
            vulnerabilities=self.vulnerabilities,
        )
