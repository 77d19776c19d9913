"""Incoming notices, newest first: a page that updates itself when a notice arrives or changes.

The page's script (``static/live.js``) asks ``/ui/incoming/feed?seen=<mark>`` every few
seconds; the answer is 204 while nothing changed, else the list again with its new mark.
Without the script the page still works: it has a link to load it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from handoff_plumbing.http import Uow
from handoff_plumbing.paging import Paging
from monitoring import queries
from monitoring.adapters.notices import NoticeFilter
from monitoring.domain.notice_file import NoticeFile
from monitoring.entrypoints.http.dependencies import Rules
from monitoring.entrypoints.web.identity import MonitorVisit
from monitoring.entrypoints.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
SHOWN = 20


def mark(files: Sequence[NoticeFile], total: int) -> str:
    """Changes when a notice arrives or any notice shown changes (its version counts every change)."""
    seen = ";".join(f"{f.notice.notice_id}:{f.notice.version}" for f in files)
    return hashlib.sha256(f"{total}|{seen}".encode()).hexdigest()[:16]


async def newest(uow: Uow, rules: Rules) -> tuple[list[NoticeFile], int, str]:
    files, total = await queries.notices(uow, NoticeFilter(), rules, Paging(limit=SHOWN))
    return files, total, mark(files, total)


@router.get("/incoming", response_class=HTMLResponse)
async def incoming(request: Request, visit: MonitorVisit, uow: Uow, rules: Rules) -> HTMLResponse:
    files, total, seen = await newest(uow, rules)
    return render(
        request,
        "incoming.html",
        {"visit": visit, "files": files, "total": total, "seen": seen, "current": "incoming"},
    )


@router.get("/incoming/feed", response_class=HTMLResponse)
async def feed(
    request: Request,
    visit: MonitorVisit,
    uow: Uow,
    rules: Rules,
    seen: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    files, total, now_seen = await newest(uow, rules)
    if seen == now_seen:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return render(
        request,
        "incoming_feed.html",
        {"visit": visit, "files": files, "total": total, "seen": now_seen},
    )
