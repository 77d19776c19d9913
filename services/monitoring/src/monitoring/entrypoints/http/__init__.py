"""The monitor's HTTP API: its routers."""

from __future__ import annotations

from monitoring.entrypoints.http import notices, reports, statistics, webhooks

routers = [notices.router, reports.router, webhooks.router, statistics.router]
