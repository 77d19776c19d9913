"""The Police's HTTP API (role ``police``; counts also for ``operator``), and the data-protection
officer's view of its personal-data audit trail: its routers."""

from __future__ import annotations

from handoff_plumbing.http import audit
from police_handover.entrypoints.http import cases, measures, plans, stats

routers = [cases.router, plans.router, measures.router, stats.router, audit.router]
