"""The Police's HTTP API (role ``police``; counts also for ``operator``): its routers."""

from __future__ import annotations

from police_handover.entrypoints.http import cases, measures, plans, stats

routers = [cases.router, plans.router, measures.router, stats.router]
