"""The monitor's configurable rules as the rules take it (built from ``MonitoringSettings``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitoring.domain.lead_time import LeadTimePolicy


@dataclass(frozen=True, eq=False)
class MonitoringRules:
    lead_time: LeadTimePolicy
    risk_countries: frozenset[str] = frozenset()
    allow_plain_http_webhooks: bool = False

    def month_of(self, moment: datetime) -> str:
        """The month (YYYY-MM) a moment falls in, in the monitor's time zone."""
        return self.lead_time.local_date(moment).strftime("%Y-%m")
