"""Intake's HTTP API for Migration Agency systems (role ``agency``): its routers."""

from __future__ import annotations

from intake.entrypoints.http import applications

routers = [applications.router]
