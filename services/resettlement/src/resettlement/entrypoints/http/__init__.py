"""Resettlement's HTTP API: one router per resource."""

from resettlement.entrypoints.http import cases, follow_up, matching, placements, places, quotas

routers = [quotas.router, cases.router, places.router, matching.router, placements.router, follow_up.router]

__all__ = ["routers"]
