"""The decision and report forms of a notice, and publishing a report.

Each form is checked against the session's CSRF token, validated by the API's own request
model (:class:`DecisionIn`, :class:`ReportIn`) and run as the API runs it: the service's
command in one unit of work, at most once per ``request_id`` (each form carries a fresh one,
so a form sent twice records one decision), with the same rules. A success redirects to the
notice (so a reload sends nothing again); a refusal shows the form again with what was wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_plumbing.http import get_uow
from handoff_plumbing.http.commands import CommandRunner
from handoff_plumbing.uow import UnitOfWork
from monitoring import commands
from monitoring.domain.report import Finding
from monitoring.entrypoints.http.notices import DecisionIn
from monitoring.entrypoints.http.reports import ReportIn
from monitoring.entrypoints.http.views import DecisionOut, ReportOut
from monitoring.entrypoints.web.forms import FieldErrors, Form, codes, lines, present
from monitoring.entrypoints.web.identity import MonitorVisit, Visit, checked_form
from monitoring.entrypoints.web.notice import FINDING_ROWS, FormState, notice_page
from monitoring.entrypoints.web.refusals import PageRefused

router = APIRouter(prefix="/ui", include_in_schema=False)
NoticeId = Annotated[str, Path(max_length=64)]
A = TypeVar("A")


async def run(
    request: Request,
    visit: Visit,
    step: Callable[[UnitOfWork], Awaitable[A]],
    *,
    request_id: str | None = None,
    body: Any = None,
) -> A:
    """Run a command as the API's edge runs it, for the signed-in monitor."""
    runner = CommandRunner(request, Response(), get_uow(request), visit.caller)
    return await runner.run(step, request_id=request_id, body=body)


def done(notice_id: str, what: str, anchor: str) -> Response:
    return RedirectResponse(f"/ui/notices/{notice_id}?done={what}#{anchor}", status.HTTP_303_SEE_OTHER)


def refused(state: FormState, error: InvalidInput | Conflict, names: dict[str, str]) -> int:
    """Put a rule's refusal on the form; the status the page answers with."""
    if isinstance(error, Conflict):
        state.errors.general.append(error.message)
        return status.HTTP_409_CONFLICT
    state.errors = FieldErrors.of_rule(error, names)
    if "request_id" in state.errors.by_field:  # the form was sent before with other content
        del state.errors.by_field["request_id"]
        state.errors.general.append(
            "This form was sent before with other content. Check it and send it again."
        )
        state.values = {k: v for k, v in state.values.items() if k != "request_id"}
    return status.HTTP_422_UNPROCESSABLE_CONTENT


@router.post("/notices/{notice_id}/decision")
async def decide(request: Request, notice_id: NoticeId, visit: MonitorVisit) -> Response:
    form = await checked_form(request, visit)
    state = FormState(values=form.values())
    names = {"monitors": "monitors"}
    try:
        body = DecisionIn.model_validate(
            {
                **present((name, form.one(name)) for name in ("request_id", "decision", "reason")),
                "monitors": codes(form.one("monitors")),
            }
        )
    except ValidationError as exc:
        state.errors = FieldErrors.of_validation(exc, names)
        return await notice_page(request, visit, notice_id, decision_form=state, status_code=422)
    decide = commands.Decide(
        notice_id=notice_id,
        decision=body.decision,
        monitors=body.monitors,
        reason=body.reason,
        decided_by=visit.caller.subject,
    )

    async def step(uow: UnitOfWork) -> DecisionOut:
        return DecisionOut.of(await commands.decide(uow, decide))

    try:
        await run(request, visit, step, request_id=body.request_id, body=body)
    except NotFound as exc:
        raise PageRefused(status.HTTP_404_NOT_FOUND, "No such notice", str(exc)) from exc
    except (InvalidInput, Conflict) as exc:
        code = refused(state, exc, names)
        return await notice_page(request, visit, notice_id, decision_form=state, status_code=code)
    return done(notice_id, "decision", "decision")


def report_body(form: Form, notice_id: str) -> tuple[dict[str, Any], list[int]]:
    """The report as the API takes it, and which form row each finding came from."""
    findings, rows = [], []
    for row in range(FINDING_ROWS):
        finding = present(
            (part, form.one(f"findings.{row}.{part}")) for part in ("right", "severity", "observation")
        )
        if finding:
            findings.append(finding)
            rows.append(row)
    body = {
        **present([("request_id", form.one("request_id"))]),
        "notice_id": notice_id,
        "phases_observed": form.all("phases_observed"),
        "findings": findings,
        "recommendations": lines(form.one("recommendations")),
        "publish": form.one("publish") == "yes",
    }
    return body, rows


def renumbered(errors: FieldErrors, rows: Sequence[int]) -> FieldErrors:
    """Faults of ``findings.<n>`` (the n-th finding filled in) under the form row it came from."""
    fixed = FieldErrors(general=errors.general)
    for name, message in errors.by_field.items():
        parts = name.split(".")
        if parts[0] == "findings" and len(parts) > 1 and parts[1].isdigit():
            parts[1] = str(rows[int(parts[1])])
        fixed.add(".".join(parts), message)
    return fixed


@router.post("/notices/{notice_id}/report")
async def file_report(request: Request, notice_id: NoticeId, visit: MonitorVisit) -> Response:
    form = await checked_form(request, visit)
    state = FormState(values=form.values(), chosen={"phases_observed": form.all("phases_observed")})
    names = {"recommendations": "recommendations", "phases_observed": "phases_observed"}
    document, rows = report_body(form, notice_id)
    try:
        body = ReportIn.model_validate(document)
    except ValidationError as exc:
        state.errors = renumbered(FieldErrors.of_validation(exc, names), rows)
        return await notice_page(request, visit, notice_id, report_form=state, status_code=422)
    report = commands.FileReport(
        notice_id=notice_id,
        phases_observed=body.phases_observed,
        findings=[Finding(f.right, f.observation, f.severity) for f in body.findings],
        recommendations=body.recommendations,
        publish=body.publish,
        filed_by=visit.caller.subject,
    )

    async def step(uow: UnitOfWork) -> ReportOut:
        return ReportOut.of(await commands.file_report(uow, report))

    try:
        await run(request, visit, step, request_id=body.request_id, body=body)
    except (InvalidInput, Conflict) as exc:
        code = refused(state, exc, names)
        if isinstance(exc, InvalidInput) and exc.field == "notice_id":
            raise PageRefused(status.HTTP_404_NOT_FOUND, "No such notice", exc.message) from exc
        return await notice_page(request, visit, notice_id, report_form=state, status_code=code)
    return done(notice_id, "report", "report")


@router.post("/reports/{report_id}/publish")
async def publish_report(
    request: Request, report_id: Annotated[str, Path(max_length=64)], visit: MonitorVisit
) -> Response:
    await checked_form(request, visit)

    async def step(uow: UnitOfWork) -> ReportOut:
        return ReportOut.of(await commands.publish_report(uow, report_id))

    try:
        published = await run(request, visit, step)
    except NotFound as exc:
        raise PageRefused(status.HTTP_404_NOT_FOUND, "No such report", str(exc)) from exc
    return done(published.notice_id, "published", "report")
