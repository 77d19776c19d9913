"""Returns' HTTP API for Migration Agency systems (role ``agency``), its Eurostat figures, and the
data-protection officer's view of its personal-data audit trail: its routers."""

from __future__ import annotations

from handoff_plumbing.http import audit
from returns.entrypoints.http import (
    applications,
    counselling,
    follow_up,
    handover,
    leaving,
    return_cases,
    statistics,
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
    statistics.router,
    audit.router,
]
