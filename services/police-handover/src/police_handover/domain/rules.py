"""The configurable numbers and lists the Police's rules use, in one plain object.

Built from the service's settings (see ``bootstrap.PoliceHandoverSettings``); the domain
never reads settings itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handoff_plumbing.errors import InvalidInput


@dataclass(frozen=True)
class PoliceHandoverRules:
    departments: tuple[str, ...]
    default_department: str
    facilities: Mapping[str, int]
    review_intervals_days: tuple[int, ...] = (4, 14)
    lapse_years: int = 4
    department_by_area: Mapping[str, str] = field(default_factory=dict)
    monitor_timezone: str = "Europe/Helsinki"
    """The time zone the monitor counts its months in: the Police's notice figures count in it too."""

    def __post_init__(self) -> None:
        if not self.departments:
            raise ValueError("at least one police department")
        unknown = ({self.default_department} | set(self.department_by_area.values())) - set(self.departments)
        if unknown:
            raise ValueError(f"departments {sorted(unknown)} are not in the configured list")
        if not self.facilities or any(capacity < 0 for capacity in self.facilities.values()):
            raise ValueError("at least one detention facility, none with a negative capacity")
        if not self.review_intervals_days or any(days < 1 for days in self.review_intervals_days):
            raise ValueError("review intervals are whole days, at least one")
        if self.lapse_years < 1:
            raise ValueError("a removal order lapses after at least one year")

    def monitor_zone(self) -> tzinfo:
        try:
            return ZoneInfo(self.monitor_timezone)
        except ZoneInfoNotFoundError:  # no time-zone database on the host
            return UTC

    # ------------------------------------------------------------------ departments

    def department_for(self, municipality_code: str | None) -> str:
        """The department responsible for an area: the longest configured code prefix wins."""
        if municipality_code:
            for length in range(len(municipality_code), 0, -1):
                department = self.department_by_area.get(municipality_code[:length])
                if department is not None:
                    return department
        return self.default_department

    def check_department(self, code: str, field_name: str = "responsible_department") -> str:
        if code not in self.departments:
            raise InvalidInput(
                field_name, f"unknown police department {code!r}; one of {list(self.departments)}"
            )
        return code

    # ------------------------------------------------------------------ detention

    def capacity_of(self, facility: str, field_name: str = "facility") -> int:
        try:
            return self.facilities[facility]
        except KeyError:
            raise InvalidInput(
                field_name, f"unknown detention facility {facility!r}; one of {sorted(self.facilities)}"
            ) from None

    @property
    def total_capacity(self) -> int:
        return sum(self.facilities.values())

    def review_due(self, ordered_on: date, reviews: list[date]) -> date:
        """When the detention must next be reviewed.

        The first review is due ``review_intervals_days[0]`` days after the order, the n-th
        after a review ``review_intervals_days[n-1]`` days after that review; the last
        interval repeats.
        """
        index = min(len(reviews), len(self.review_intervals_days) - 1)
        since = reviews[-1] if reviews else ordered_on
        return since + timedelta(days=self.review_intervals_days[index])

    # ------------------------------------------------------------------ lapse

    def lapses_on(self, enforceable_on: date) -> date:
        """A removal order can no longer be enforced from this date (``lapse_years`` later)."""
        year = enforceable_on.year + self.lapse_years
        try:
            return enforceable_on.replace(year=year)
        except ValueError:  # 29 February into a common year
            return date(year, 3, 1)
