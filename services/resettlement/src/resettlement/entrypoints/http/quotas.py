"""The annual quota and the progress towards it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from handoff_plumbing.http import Uow
from resettlement.entrypoints.http.common import Agency, AgencyOrCountyBoard, Policy, actor, domain_errors
from resettlement.entrypoints.http.models import QuotaIn, QuotaProgressOut
from resettlement.handlers import cases as handlers

router = APIRouter(prefix="/quotas", tags=["quota"])
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/{year}",
    summary="Set the year's quota and emergency reserve (at least 10 %)",
    responses={409: {"description": "The people already selected would not fit"}},
)
async def set_quota(year: Year, body: QuotaIn, uow: Uow, caller: Agency, policy: Policy) -> QuotaProgressOut:
    with domain_errors():
        progress = await handlers.set_quota(
            handlers.SetQuota(
                year=year, total_places=body.total_places, emergency_reserve=body.emergency_reserve
            ),
            actor(caller),
            uow,
            policy,
        )
    return QuotaProgressOut.of(progress, configured=True)


@router.get("/{year}", summary="Progress towards the quota: selected per priority, the emergency reserve")
async def get_quota(year: Year, uow: Uow, _caller: AgencyOrCountyBoard, policy: Policy) -> QuotaProgressOut:
    progress, configured = await handlers.quota_progress(year, uow, policy)
    return QuotaProgressOut.of(progress, configured=configured)
