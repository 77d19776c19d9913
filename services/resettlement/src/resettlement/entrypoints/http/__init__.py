"""Resettlement's HTTP API: one router per resource."""

from resettlement.entrypoints.http import cases, followup, matching, placements, places, quotas

routers = [quotas.router, cases.router, places.router, matching.router, placements.router, followup.router]

__all__ = ["routers"]
