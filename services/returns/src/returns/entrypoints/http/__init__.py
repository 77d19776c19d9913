"""Returns' HTTP API for Migration Agency systems (role ``agency``): its routers."""

from __future__ import annotations

from returns.entrypoints.http import (
    applications,
    counselling,
    follow_up,
    handover,
    leaving,
    return_cases,
    travel,
)

routers = [
    applications.router,
    return_cases.router,
    counselling.router,
    travel.router,
    leaving.router,
    handover.router,
    follow_up.router,
]
