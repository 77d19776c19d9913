"""Liveness (the process answers) and readiness (its database and broker answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

if TYPE_CHECKING:
    from handoff_plumbing.service import ServiceRuntime

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live", summary="Liveness: the process is up")
async def live(request: Request) -> dict[str, str]:
    return {"status": "alive", "service": request.app.state.settings.service_name}


@router.get("/ready", summary="Readiness: the database and the Kafka broker answer")
async def ready(request: Request) -> JSONResponse:
    runtime: ServiceRuntime = request.app.state.runtime
    checks: dict[str, Any] = await runtime.readiness()
    ok = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not ready", "checks": checks},
        status_code=200 if ok else 503,
    )
