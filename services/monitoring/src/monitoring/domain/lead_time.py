"""Lead time of a notice: working days from its arrival at the monitor to the planned departure.

No public figure says how much notice the monitor needs, so the required lead time is a
rules, configured per transport (see ``MonitoringSettings.lead_time_working_days``):
a charter needs the most preparation, a scheduled flight less, a land or sea crossing
least. Days are counted on the monitor's working calendar (Finland's public holidays by
default) in the monitor's time zone:

* the day the notice arrived is not counted; the day of departure is, if it is a working day;
* a notice that arrives after the planned departure has a negative lead time (at least -1).

A notice is *late* when its lead time is below the required one, so a notice is on time
exactly when the departure falls on or after the date ``required`` working days after the
day of arrival.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from types import MappingProxyType

from handoff_schemas.events.common import Transport
from handoff_workdays import WorkingCalendar

DEFAULT_REQUIRED_WORKING_DAYS: Mapping[Transport, int] = MappingProxyType(
    {
        Transport.CHARTER: 10,
        Transport.SCHEDULED_FLIGHT: 5,
        Transport.LAND: 3,
        Transport.SEA: 3,
    }
)


@dataclass(frozen=True)
class LeadTime:
    working_days: int
    required: int

    @property
    def late(self) -> bool:
        return self.working_days < self.required


@dataclass(frozen=True, eq=False)
class LeadTimePolicy:
    required: Mapping[Transport, int]
    calendar: WorkingCalendar
    zone: tzinfo

    def __post_init__(self) -> None:
        missing = [t.value for t in Transport if t not in self.required]
        if missing:
            raise ValueError(f"the lead-time rules names no requirement for {missing}")
        negative = [t.value for t, days in self.required.items() if days < 0]
        if negative:
            raise ValueError(f"the lead-time rules has negative requirements for {negative}")

    def required_for(self, transport: Transport) -> int:
        return self.required[transport]

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def working_days(self, received: datetime, departure: datetime) -> int:
        """Working days from ``received`` to ``departure``; negative if it arrived after it."""
        arrived, departs = self.local_date(received), self.local_date(departure)
        if received <= departure:
            return self.calendar.working_days_between(arrived, departs)
        return -max(1, self.calendar.working_days_between(departs, arrived))

    def assess(self, received: datetime, departure: datetime, transport: Transport) -> LeadTime:
        return LeadTime(self.working_days(received, departure), self.required_for(transport))
