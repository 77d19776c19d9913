"""Liveness (the process answers) and readiness (its database and broker answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from handoff_plumbing.service import ServiceRuntime

router = APIRouter(prefix="/health", tags=["health"])


class Liveness(BaseModel):
    status: Literal["alive"]
    service: str


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    checks: dict[str, str] = Field(description='"ok", or "failed: <error type>", per dependency.')


@router.get("/live", summary="Liveness: the process is up")
async def live(request: Request) -> Liveness:
    return Liveness(status="alive", service=request.app.state.settings.service_name)


@router.get(
    "/ready",
    summary="Readiness: the database and the Kafka broker answer",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: a dependency does not answer."}},
)
async def ready(request: Request) -> JSONResponse:
    runtime: ServiceRuntime = request.app.state.runtime
    checks: dict[str, str] = await runtime.readiness()
    ok = all(value == "ok" for value in checks.values())
    return JSONResponse(
        Readiness(status="ready" if ok else "not ready", checks=checks).model_dump(),
        status_code=200 if ok else 503,
    )
