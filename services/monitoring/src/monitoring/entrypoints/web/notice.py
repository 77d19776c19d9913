"""One notice: the plan, lead time against the policy, precautions, detention, the timeline,
and the decision and report forms (see :mod:`.notice_forms` for what they post)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import HTMLResponse

from handoff_plumbing.errors import NotFound
from handoff_plumbing.http import get_uow
from handoff_plumbing.paging import MAX_LIMIT, Paging
from handoff_schemas.events.monitoring import (
    FindingSeverity,
    MonitoringDecision,
    RemovalPhase,
    RightsChecklistItem,
)
from monitoring import queries
from monitoring.domain.decision import REASONS
from monitoring.domain.notice import NoticeStatus
from monitoring.entrypoints.web.forms import FieldErrors
from monitoring.entrypoints.web.identity import MonitorVisit, Visit, now
from monitoring.entrypoints.web.refusals import PageRefused
from monitoring.entrypoints.web.rendering import render
from monitoring.entrypoints.web.timeline import timeline

router = APIRouter(prefix="/ui", include_in_schema=False)
FINDING_ROWS = 3
DONE = {
    "decision": "Your decision is recorded and on its way to the Police.",
    "report": "The report is filed.",
    "published": "The report is published: the Police and operators can read it.",
}


@dataclass
class FormState:
    """A form as the page shows it: a fresh request id, or what was sent and what was wrong with it."""

    values: Mapping[str, str] = field(default_factory=dict)
    errors: FieldErrors = field(default_factory=FieldErrors)
    chosen: Mapping[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if "request_id" not in self.values:
            self.values = {**self.values, "request_id": f"ui-{uuid.uuid4()}"}


async def notice_page(
    request: Request,
    visit: Visit,
    notice_id: str,
    *,
    decision_form: FormState | None = None,
    report_form: FormState | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rules = request.app.state.rules
    try:
        file = await queries.notice(get_uow(request), notice_id, rules)
    except NotFound as exc:
        raise PageRefused(
            status.HTTP_404_NOT_FOUND, "No such notice", f"There is no notice {notice_id!r}."
        ) from exc
    decisions, _ = await queries.decisions(get_uow(request), Paging(limit=MAX_LIMIT), notice_id=notice_id)
    reports, _ = await queries.reports(get_uow(request), Paging(limit=1), published=None, notice_id=notice_id)
    report = reports[0] if reports else None
    latest = file.decision
    return render(
        request,
        "notice.html",
        {
            "visit": visit,
            "file": file,
            "notice": file.notice,
            "plan": file.notice.plan,
            "decisions": decisions,
            "report": report,
            "moments": timeline(file, decisions, report, now()),
            "decidable": file.notice.status is NoticeStatus.PLANNED,
            "reportable": report is None and latest is not None and latest.monitored,
            "decision_form": decision_form or FormState(),
            "report_form": report_form or FormState(),
            "decision_kinds": list(MonitoringDecision),
            "reasons_for": {kind: sorted(REASONS[kind]) for kind in MonitoringDecision},
            "phases": list(RemovalPhase),
            "rights": list(RightsChecklistItem),
            "severities": list(FindingSeverity),
            "finding_rows": range(FINDING_ROWS),
            "done": DONE.get(done or ""),
            "current": "upcoming",
        },
        status=status_code,
    )


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
async def notice_detail(
    request: Request,
    notice_id: Annotated[str, Path(max_length=64)],
    visit: MonitorVisit,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    return await notice_page(request, visit, notice_id, done=done)
