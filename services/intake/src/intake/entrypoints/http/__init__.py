"""Intake's HTTP API for Migration Agency systems (role ``agency``), and the data-protection
officer's view of its personal-data audit trail: its routers."""

from __future__ import annotations

from handoff_plumbing.http import audit
from intake.entrypoints.http import applications, dublin_transfers, identity

routers = [applications.router, identity.router, dublin_transfers.router, audit.router]
