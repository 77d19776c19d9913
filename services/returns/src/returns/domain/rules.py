"""The time rules of return counselling: every deadline is a value computed here.

Periods in weeks and months are calendar periods counted from the day of the triggering
fact (the removal order became enforceable, an application arrived). A period that ends
on a Saturday, Sunday or public holiday ends on the next working day instead, as the
Swedish act on computing statutory time (SFS 1930:173) and the Finnish one (150/1930)
have it; ``roll_to_working_day`` turns that off. Tasks measured in working days (a travel
document request, a travel booking) count working days of the configured country's
calendar, the day of the request itself not counted.

The removal order lapses ``order_lapse_years`` after it gained legal force (Swedish
Aliens Act 12:22, four years); from the anniversary on it can no longer be enforced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handoff_schemas.events.common import RemovalOrderKind
from handoff_workdays import WorkingCalendar, add_months, add_weeks, working_calendar


@dataclass(frozen=True)
class ReturnsRules:
    """The configurable numbers of return counselling (defaults: the Swedish action plan)."""

    first_counselling_weeks: int = 2
    case_closure_months: int = 2
    case_closure_months_unaccompanied_minor: int = 5
    departure_weeks_refusal_of_entry: int = 2
    departure_weeks_expulsion: int = 4
    travel_document_working_days: int = 3
    travel_booking_working_days: int = 1
    support_decision_weeks: int = 2
    order_lapse_years: int = 4
    calendar_country: str = "SE"
    roll_to_working_day: bool = True
    reception_cost_per_day: int = 380
    currency: str = "SEK"
    timezone: str = "Europe/Stockholm"
    default_unit: str = "unassigned"
    deciding_authority: str = "MIGRATIONSVERKET"  # who made the decisions intake reports

    @property
    def calendar(self) -> WorkingCalendar:
        return working_calendar(self.calendar_country)

    def zone(self) -> tzinfo:
        try:
            return ZoneInfo(self.timezone)
        except ZoneInfoNotFoundError:  # no time-zone database on the host: fall back to UTC
            return UTC

    def today(self, now: datetime) -> date:
        """The local date at ``now``: deadlines are kept in the authority's own calendar days."""
        return now.astimezone(self.zone()).date()

    def period_end(self, day: date) -> date:
        """The last day of a calendar period ending on ``day``, moved past holidays if so configured."""
        return self.calendar.on_or_next_working_day(day) if self.roll_to_working_day else day

    def first_counselling_due(self, enforceable_on: date) -> date:
        return self.period_end(add_weeks(enforceable_on, self.first_counselling_weeks))

    def case_closure_due(self, enforceable_on: date, *, unaccompanied_minor: bool) -> date:
        months = (
            self.case_closure_months_unaccompanied_minor if unaccompanied_minor else self.case_closure_months
        )
        return self.period_end(add_months(enforceable_on, months))

    def departure_weeks(self, order: RemovalOrderKind) -> int:
        if order is RemovalOrderKind.REFUSAL_OF_ENTRY:
            return self.departure_weeks_refusal_of_entry
        return self.departure_weeks_expulsion

    def departure_due(self, enforceable_on: date, order: RemovalOrderKind) -> date:
        return self.period_end(add_weeks(enforceable_on, self.departure_weeks(order)))

    def travel_document_due(self, requested_on: date) -> date:
        return self.calendar.add_working_days(requested_on, self.travel_document_working_days)

    def travel_booking_due(self, ordered_on: date) -> date:
        return self.calendar.add_working_days(ordered_on, self.travel_booking_working_days)

    def support_decision_due(self, arrived_on: date) -> date:
        return self.period_end(add_weeks(arrived_on, self.support_decision_weeks))

    def order_lapses_on(self, legal_force_on: date) -> date:
        """The first day on which the removal order can no longer be enforced."""
        return add_months(legal_force_on, 12 * self.order_lapse_years)
