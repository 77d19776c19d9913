"""Returns' HTTP API for Migration Agency systems (role ``agency``): its routers."""

from __future__ import annotations

from returns.entrypoints import applications, follow_up, return_cases

routers = [applications.router, return_cases.router, follow_up.router]
