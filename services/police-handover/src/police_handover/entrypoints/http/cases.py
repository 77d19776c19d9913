"""Handovers received from the Agency and the enforcement cases opened on them (role ``police``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from handoff_plumbing.http import Uow
from handoff_plumbing.http.audit import accessor
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier
from handoff_schemas.events.common import Sex, Vulnerability
from handoff_schemas.events.police import MissingItemProblem
from police_handover import queries
from police_handover.domain.agency_notes import NoteKind
from police_handover.domain.enforcement_case import (
    CaseStatus,
    ClosedReason,
    EnforcementCase,
    HandoverOutcome,
    HandoverRecord,
)
from police_handover.entrypoints.http.departments import department_of, listed_department
from police_handover.entrypoints.http.dependencies import Department, Police
from police_handover.queries import CaseFile

router = APIRouter(tags=["handovers and enforcement cases"])


class MissingItemOut(BaseModel):
    item: str
    problem: MissingItemProblem
    detail: str


class HandoverOut(BaseModel):
    handover_id: str
    return_case_id: str
    application_id: str
    handed_over_at: datetime
    received_at: datetime
    outcome: HandoverOutcome
    missing: list[MissingItemOut] = Field(description="Every item missing or invalid (rejected handovers).")
    enforcement_case_id: str | None

    @classmethod
    def of(cls, record: HandoverRecord) -> HandoverOut:
        return cls(
            handover_id=record.handover_id,
            return_case_id=record.return_case_id,
            application_id=record.application_id,
            handed_over_at=record.handed_over_at,
            received_at=record.received_at,
            outcome=record.outcome,
            missing=[MissingItemOut(**item.model_dump()) for item in record.missing],
            enforcement_case_id=record.enforcement_case_id,
        )


class InhibitionOut(BaseModel):
    inhibition_id: str
    court: str
    ordered_on: date
    lifted_on: date | None
    in_force: bool


class CaseSummaryOut(BaseModel):
    enforcement_case_id: str
    return_case_id: str
    handover_id: str
    application_id: str
    person_ref: str
    status: CaseStatus
    responsible_department: str
    accepted_at: datetime
    destination_country: str
    enforceable_on: date
    lapses_on: date = Field(description="The removal order can no longer be enforced from this date.")
    vulnerabilities: list[Vulnerability]
    inhibitions: list[InhibitionOut]
    closed_at: datetime | None
    closed_reason: ClosedReason | None

    @classmethod
    def fields_of(cls, case: EnforcementCase) -> dict[str, Any]:
        return {
            "enforcement_case_id": case.enforcement_case_id,
            "return_case_id": case.return_case_id,
            "handover_id": case.handover_id,
            "application_id": case.application_id,
            "person_ref": case.person_ref,
            "status": case.status,
            "responsible_department": case.responsible_department,
            "accepted_at": case.accepted_at,
            "destination_country": case.destination_country,
            "enforceable_on": case.enforceable_on,
            "lapses_on": case.lapses_on,
            "vulnerabilities": list(case.person.vulnerabilities),
            "inhibitions": [
                InhibitionOut(
                    inhibition_id=i.inhibition_id,
                    court=i.court,
                    ordered_on=i.ordered_on,
                    lifted_on=i.lifted_on,
                    in_force=i.in_force,
                )
                for i in case.inhibitions
            ],
            "closed_at": case.closed_at,
            "closed_reason": case.closed_reason,
        }

    @classmethod
    def of(cls, case: EnforcementCase) -> CaseSummaryOut:
        return cls(**cls.fields_of(case))


class AgencyNoteOut(BaseModel):
    reference: str = Field(description="The booking's or the impediment application's reference.")
    kind: NoteKind
    facts: dict[str, Any] = Field(
        description="What the Agency said of it (dates, outcome; no personal data)."
    )


class CaseOut(CaseSummaryOut):
    sex: Sex
    nationality: str
    package: dict[str, Any] = Field(
        description="The complete handover package as the Agency sent it: the Police's own personal data "
        "(each read is recorded in the personal-data audit trail)."
    )
    agency_notes: list[AgencyNoteOut] = Field(
        description="Travel the Agency booked, impediment applications and their decisions: none stops "
        "enforcement by itself."
    )

    @classmethod
    def of_file(cls, file: CaseFile) -> CaseOut:
        case = file.case
        return cls(
            **cls.fields_of(case),
            sex=case.person.sex,
            nationality=case.person.nationality,
            package=case.package,
            agency_notes=[
                AgencyNoteOut(reference=n.reference, kind=n.kind, facts=n.facts) for n in file.agency_notes
            ],
        )


@router.get("/handovers", summary="Handovers received, with the answer given to each")
async def list_handovers(
    uow: Uow,
    _caller: Police,
    paging: PagingQuery,
    outcome: Annotated[HandoverOutcome | None, Query()] = None,
    return_case_id: Annotated[Identifier | None, Query()] = None,
) -> Page[HandoverOut]:
    found, total = await queries.handovers(uow, paging, outcome=outcome, return_case_id=return_case_id)
    return Page[HandoverOut].of([HandoverOut.of(r) for r in found], total, paging)


@router.get("/handovers/{handover_id}", summary="One handover and its answer")
async def get_handover(handover_id: Identifier, uow: Uow, _caller: Police) -> HandoverOut:
    return HandoverOut.of(await queries.handover(handover_id, uow))


@router.get("/enforcement-cases", summary="Enforcement cases (no personal data in the list)")
async def list_cases(
    uow: Uow,
    caller: Police,
    paging: PagingQuery,
    status: Annotated[Literal["open", "suspended", "closed"] | None, Query()] = None,
    responsible_department: Annotated[Department | None, Query()] = None,
    return_case_id: Annotated[Identifier | None, Query()] = None,
) -> Page[CaseSummaryOut]:
    department, nothing = listed_department(caller, responsible_department)
    if nothing:
        return Page[CaseSummaryOut].of([], 0, paging)
    found, total = await queries.cases(
        uow, paging, status=status, department=department, return_case_id=return_case_id
    )
    return Page[CaseSummaryOut].of([CaseSummaryOut.of(c) for c in found], total, paging)


@router.get(
    "/enforcement-cases/{enforcement_case_id}", summary="One enforcement case with its handover package"
)
async def get_case(enforcement_case_id: Identifier, uow: Uow, caller: Police) -> CaseOut:
    return CaseOut.of_file(
        await queries.case(enforcement_case_id, uow, accessor(caller), department=department_of(caller))
    )
