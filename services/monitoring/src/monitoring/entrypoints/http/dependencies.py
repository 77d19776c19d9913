"""What the monitor's routes take besides their bodies: who may call, and the rules in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from handoff_plumbing.auth import Caller, require_roles
from handoff_plumbing.http.rules import rules_of
from handoff_plumbing.http.types import Text
from monitoring.domain.rules import MonitoringRules

Monitor = Annotated[Caller, Depends(require_roles("monitor"))]
"""The monitor's own data: notices, decisions, unpublished reports, webhooks, exact statistics."""

PublishedReader = Annotated[Caller, Depends(require_roles("monitor", "police", "operator"))]
"""What the monitor has published: reports and statistics with small figures suppressed."""

Rules = Annotated[MonitoringRules, Depends(rules_of(MonitoringRules))]

DepartmentQuery = Annotated[
    Annotated[str, Text(max_length=32)] | None, Query(description="Police department code.")
]
"""The ``department`` filter of the notices and the statistics."""
