"""Resettlement's HTTP API: one router per resource, and the data-protection officer's view of its
personal-data audit trail."""

from handoff_plumbing.http import audit
from resettlement.entrypoints.http import cases, follow_up, matching, placements, places, quotas

routers = [
    quotas.router,
    cases.router,
    places.router,
    matching.router,
    placements.router,
    follow_up.router,
    audit.router,
]

__all__ = ["routers"]
