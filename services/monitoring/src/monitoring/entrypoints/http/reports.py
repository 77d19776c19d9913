"""The monitor's reports on monitored removals; published ones readable by the Police and operators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, RequestId, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier, Text
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.monitoring import FindingSeverity, RemovalPhase, RightsChecklistItem
from monitoring import commands, queries
from monitoring.domain.report import Finding
from monitoring.entrypoints.http.dependencies import Monitor, PublishedReader
from monitoring.entrypoints.http.views import PublishedReportOut, ReportOut

router = APIRouter(tags=["reports"])


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    right: RightsChecklistItem
    observation: Annotated[str, Text(max_length=4000, multiline=True)] = Field(
        description="What was observed; never identifying the returnee."
    )
    severity: FindingSeverity


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    notice_id: Identifier = Field(description="The notice of the monitored removal.")
    phases_observed: list[RemovalPhase] = Field(default_factory=list, max_length=len(RemovalPhase))
    findings: list[FindingIn] = Field(default_factory=list, max_length=200)
    recommendations: list[Annotated[str, Text(max_length=2000, multiline=True)]] = Field(
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
        **replayed(ReportOut),
        409: {"description": "Not decided to be monitored, or already reported"},
    },
)
async def file_report(body: ReportIn, command: Command, caller: Monitor) -> ReportOut:
    report = commands.FileReport(
        notice_id=body.notice_id,
        phases_observed=body.phases_observed,
        findings=[Finding(f.right, f.observation, f.severity) for f in body.findings],
        recommendations=body.recommendations,
        publish=body.publish,
        filed_by=caller.subject,
    )

    async def step(uow: UnitOfWork) -> ReportOut:
        return ReportOut.of(await commands.file_report(uow, report))

    return await command.run(step, request_id=body.request_id, body=body)


@router.get("/reports", summary="The monitor's reports, published or not, newest first")
async def list_reports(
    uow: Uow,
    _caller: Monitor,
    paging: PagingQuery,
    published: bool | None = None,
    notice_id: Annotated[Identifier | None, Query()] = None,
) -> Page[ReportOut]:
    items, total = await queries.reports(uow, paging, published=published, notice_id=notice_id)
    return Page[ReportOut].of([ReportOut.of(r) for r in items], total, paging)


@router.get("/reports/{report_id}", summary="One report, published or not")
async def get_report(report_id: Identifier, uow: Uow, _caller: Monitor) -> ReportOut:
    return ReportOut.of(await queries.report(uow, report_id))


@router.post("/reports/{report_id}/publish", summary="Publish a report (again changes nothing)")
async def publish_report(report_id: Identifier, command: Command, _caller: Monitor) -> ReportOut:
    async def step(uow: UnitOfWork) -> ReportOut:
        return ReportOut.of(await commands.publish_report(uow, report_id))

    return await command.run(step)


@router.get("/published-reports", summary="Published reports, newest first")
async def list_published_reports(
    uow: Uow, _caller: PublishedReader, paging: PagingQuery
) -> Page[PublishedReportOut]:
    items, total = await queries.reports(uow, paging, published=True, notice_id=None)
    return Page[PublishedReportOut].of([PublishedReportOut.of(r) for r in items], total, paging)


@router.get("/published-reports/{report_id}", summary="One published report")
async def get_published_report(
    report_id: Identifier, uow: Uow, _caller: PublishedReader
) -> PublishedReportOut:
    return PublishedReportOut.of(await queries.report(uow, report_id, published_only=True))
