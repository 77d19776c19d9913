"""The annual quota and the progress towards it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from resettlement.commands import cases as commands
from resettlement.entrypoints.http.dependencies import Agency, AgencyOrCountyBoard, Rules, actor
from resettlement.entrypoints.http.models import QuotaIn
from resettlement.entrypoints.http.views import QuotaProgressOut
from resettlement.queries import cases as queries

router = APIRouter(prefix="/quotas", tags=["quota"])
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/{year}",
    summary="Set the year's quota and emergency reserve (at least 10 %)",
    responses={409: {"description": "The people already selected would not fit"}},
)
async def set_quota(
    year: Year, body: QuotaIn, command: Command, caller: Agency, rules: Rules
) -> QuotaProgressOut:
    quota = commands.SetQuota(
        year=year, total_places=body.total_places, emergency_reserve=body.emergency_reserve
    )

    async def step(uow: UnitOfWork) -> QuotaProgressOut:
        progress = await commands.set_quota(quota, actor(caller), uow, rules)
        return QuotaProgressOut.of(progress, configured=True)

    return await command.run(step)


@router.get("/{year}", summary="Progress towards the quota: selected per priority, the emergency reserve")
async def get_quota(year: Year, uow: Uow, _caller: AgencyOrCountyBoard, rules: Rules) -> QuotaProgressOut:
    progress, configured = await queries.quota_progress(year, uow, rules)
    return QuotaProgressOut.of(progress, configured=configured)
