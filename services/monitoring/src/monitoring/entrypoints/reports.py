"""The monitor's reports on monitored removals; published ones readable by the Police and operators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from handoff_schemas.events.monitoring import FindingSeverity, RemovalPhase, RightsChecklistItem
from monitoring import commands
from monitoring.domain.report import Finding
from monitoring.entrypoints.common import (
    DOMAIN_ERRORS,
    REQUEST_ID_DESCRIPTION,
    Limit,
    Monitor,
    Offset,
    PublishedReader,
    http_error,
)
from monitoring.views import Page, PublishedReportOut, ReportOut

router = APIRouter(tags=["reports"])


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    right: RightsChecklistItem
    observation: str = Field(
        min_length=1, max_length=4000, description="What was observed; never identifying the returnee."
    )
    severity: FindingSeverity


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: str | None = Field(
        default=None, min_length=1, max_length=128, description=REQUEST_ID_DESCRIPTION
    )
    notice_id: str = Field(min_length=1, max_length=64, description="The notice of the monitored removal.")
    phases_observed: list[RemovalPhase] = Field(default_factory=list)
    findings: list[FindingIn] = Field(default_factory=list, max_length=200)
    recommendations: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        default_factory=list, max_length=100
    )
    publish: bool = Field(
        default=False, description="Publish at once (readable by the Police and operators)."
    )


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    summary="File the report on a monitored removal (sent to the Police)",
    responses={
        200: {"description": "Already filed under this request id", "model": ReportOut},
        409: {"description": "Not decided to be monitored, or already reported"},
    },
)
async def file_report(body: ReportIn, uow: Uow, caller: Monitor, response: Response) -> ReportOut:
    command = commands.FileReport(
        notice_id=body.notice_id,
        phases_observed=body.phases_observed,
        findings=[Finding(f.right, f.observation, f.severity) for f in body.findings],
        recommendations=body.recommendations,
        publish=body.publish,
        filed_by=caller.subject,
        request_id=body.request_id,
    )
    try:
        report, created = await commands.file_report(uow, command)
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReportOut.of(report)


@router.get("/reports", summary="The monitor's reports, published or not, newest first")
async def list_reports(
    uow: Uow,
    _caller: Monitor,
    published: bool | None = None,
    notice_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ReportOut]:
    items, total = await commands.list_reports(
        uow, published=published, notice_id=notice_id, limit=limit, offset=offset
    )
    return Page[ReportOut](items=[ReportOut.of(r) for r in items], total=total, limit=limit, offset=offset)


@router.get("/reports/{report_id}", summary="One report, published or not")
async def get_report(report_id: str, uow: Uow, _caller: Monitor) -> ReportOut:
    try:
        return ReportOut.of(await commands.get_report(uow, report_id))
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc


@router.post("/reports/{report_id}/publish", summary="Publish a report (again changes nothing)")
async def publish_report(report_id: str, uow: Uow, _caller: Monitor) -> ReportOut:
    try:
        return ReportOut.of(await commands.publish_report(uow, report_id))
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc


@router.get("/published-reports", summary="Published reports, newest first")
async def list_published_reports(
    uow: Uow, _caller: PublishedReader, limit: Limit = 50, offset: Offset = 0
) -> Page[PublishedReportOut]:
    items, total = await commands.list_reports(
        uow, published=True, notice_id=None, limit=limit, offset=offset
    )
    return Page[PublishedReportOut](
        items=[PublishedReportOut.of(r) for r in items], total=total, limit=limit, offset=offset
    )


@router.get("/published-reports/{report_id}", summary="One published report")
async def get_published_report(report_id: str, uow: Uow, _caller: PublishedReader) -> PublishedReportOut:
    try:
        return PublishedReportOut.of(await commands.get_report(uow, report_id, published_only=True))
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
