"""The data-protection officer's view of a service's personal-data audit trail.

Only the role ``data_protection_officer`` reaches it; no other role, operators included, reads
the trail. A service that records personal data (:mod:`handoff_plumbing.audit`) includes
:data:`router`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from handoff_plumbing.audit import Access, Accessor, AuditEntry, PersonalDataAudit, audit_tables_of, verify
from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http import Uow
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier, Text

router = APIRouter(prefix="/audit/personal-data", tags=["personal-data audit"])
DataProtectionOfficer = Annotated[Caller, Depends(require_roles("data_protection_officer"))]


def accessor(caller: Caller) -> Accessor:
    """Who the trail records for a request: the caller's token subject and role, and its unit."""
    return Accessor(
        subject=caller.subject,
        role=caller.role,
        unit=caller.department or caller.county or caller.municipality,
    )


class AuditEntryOut(BaseModel):
    sequence: int = Field(description="The entry's place in the chain: 1, 2, 3, ...")
    entry_id: str
    at: datetime
    subject: str = Field(description="Who: the caller's token subject.")
    role: str = Field(description="The caller's role.")
    unit: str | None = Field(
        description="The unit the caller acted for: police department, county or municipality code."
    )
    access: Access = Field(description="read: shown to the caller; disclosed: sent to another authority.")
    person_ref: str = Field(description="The pseudonymous reference of the person whose data it was.")
    fields: list[str] = Field(description="The personal-data fields read or disclosed (names, never values).")
    purpose: str
    recipient: str | None = Field(description="For a disclosure: the authority it went to.")
    resource: str = Field(description="The operation or event that carried the data.")
    previous_hash: str
    entry_hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(**{**entry.content(), "at": entry.at, "entry_hash": entry.entry_hash})


class VerificationOut(BaseModel):
    intact: bool = Field(description="Every entry matches its hash and links to the one before.")
    entries: int
    head_sequence: int = Field(description="The last entry the head names.")
    head_hash: str = Field(description="Keep this elsewhere to detect a rewrite of the whole trail later.")
    problems: list[str] = Field(description="Each break: an edited entry, a deleted one, a moved head.")


@router.get("", summary="Reads and disclosures of personal data, per person reference or per caller")
async def entries(
    request: Request,
    uow: Uow,
    _officer: DataProtectionOfficer,
    paging: PagingQuery,
    person_ref: Annotated[Identifier | None, Query()] = None,
    subject: Annotated[Annotated[str, Text(max_length=255)] | None, Query(description="The caller.")] = None,
    role: Annotated[Annotated[str, Text(max_length=64)] | None, Query()] = None,
) -> Page[AuditEntryOut]:
    tables = audit_tables_of(request.app.state.runtime.definition.metadata)
    async with uow:
        found, total = await PersonalDataAudit(uow.session, tables).search(
            paging, person_ref=person_ref, subject=subject, role=role
        )
    return Page[AuditEntryOut].of([AuditEntryOut.of(e) for e in found], total, paging)


@router.get("/verification", summary="Walk the hash chain and report every break")
async def verification(request: Request, uow: Uow, _officer: DataProtectionOfficer) -> VerificationOut:
    tables = audit_tables_of(request.app.state.runtime.definition.metadata)
    async with uow:
        result = await verify(uow.session, tables)
    return VerificationOut(
        intact=result.intact,
        entries=result.entries,
        head_sequence=result.head_sequence,
        head_hash=result.head_hash,
        problems=result.problems,
    )
