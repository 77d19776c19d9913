"""Rendering the pages: one Jinja2 environment, the domain's words and dates in the monitor's time zone.

Templates and static assets live inside this package, so the service's wheel carries them and
a production install serves them with nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from monitoring.domain.rules import MonitoringRules

HERE = Path(__file__).parent
STATIC = HERE / "static"
POLL_SECONDS = 5
"""How often the page of incoming notices asks for news."""

templates = Jinja2Templates(directory=HERE / "templates")

# The words a person reads where a code's own spelling would not do.
WORDS: Mapping[str, str] = {
    "not_monitor": "Do not monitor",
    "monitor": "Monitor",
    "on_time": "On time",
    "not_detained": "Not detained",
    "under_12": "Under 12",
    "65_plus": "65 or older",
    "risk_destination": "Destination or transit country at risk",
    "precautions_pending": "A precaution still pending",
    "pre_departure": "Pre-departure",
    "in_flight": "In flight",
}


def words(value: object) -> str:
    """A code in words: ``scheduled_flight`` → "Scheduled flight", ``vulnerability:serious_illness``
    → "Vulnerability: serious illness"."""
    if value is None:
        return "—"
    text = value.value if isinstance(value, Enum) else str(value)
    if text in WORDS:
        return WORDS[text]
    head, _, tail = text.partition(":")
    if tail:
        return f"{words(head)}: {words(tail).lower()}"
    if re.fullmatch(r"[0-9]+_[0-9]+", text):  # an age band: 26_64 → "Aged 26 to 64" (with an en dash)
        return "Aged " + text.replace("_", "\N{EN DASH}")
    spaced = text.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def _zone(context: Context) -> tzinfo:
    rules: MonitoringRules = context["rules"]
    return rules.lead_time.zone


@pass_context
def local_time(context: Context, moment: datetime | None) -> str:
    """A moment as the monitor reads it: its own time zone, day and time."""
    if moment is None:
        return "—"
    return moment.astimezone(_zone(context)).strftime("%a %d %b %Y, %H:%M")


@pass_context
def short_time(context: Context, moment: datetime | None) -> str:
    """A moment in a table's cell: "23 Nov 2026 11:00"."""
    if moment is None:
        return "—"
    return moment.astimezone(_zone(context)).strftime("%d %b %Y %H:%M")


PRIORITY_REASONS: Mapping[str, str] = {
    "minor": "A minor",
    "charter": "Charter operation",
    "detention": "In detention",
}


def reason_words(reason: str) -> str:
    """A factor of a removal's priority in words (see ``monitoring.domain.priority``)."""
    return PRIORITY_REASONS.get(reason) or words(reason)


def options(values: Iterable[object]) -> list[tuple[str, str]]:
    """Choices of a select: (value, words) for codes, (value, value) for plain names."""
    return [(v.value, words(v)) if isinstance(v, Enum) else (str(v), str(v)) for v in values]


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


templates.env.filters.update(
    words=words,
    reason_words=reason_words,
    local_time=local_time,
    short_time=short_time,
    plural=plural,
    options=options,
)
templates.env.globals.update(POLL_SECONDS=POLL_SECONDS)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page: ``template`` with ``context``, the rules in force and who is signed in (if anyone)."""
    visit = context.get("visit")
    full = {
        "rules": request.app.state.rules,
        "caller": visit.caller if visit is not None else None,
        "csrf_token": visit.session.csrf if visit is not None else None,
        **context,
    }
    return templates.TemplateResponse(
        request, template, full, status_code=status, headers=dict(headers or {})
    )
