"""Working days and calendar periods for deadlines, from a maintained holiday calendar.

Working days are Monday to Friday except public holidays, taken from the ``holidays``
package (Sweden by default, Finland or any other country configurable). For Sweden the
days that the law on computing statutory time (SFS 1930:173) treats as holidays are added:
Midsummer Eve, Christmas Eve and New Year's Eve (the package's "de facto" category).

Periods in weeks and months are calendar periods: ``add_months`` keeps the day of the
month, clamped to the month's last day (31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays

EXTRA_CATEGORIES = {"SE": ("de_facto",)}


class WorkingCalendar:
    def __init__(self, country: str = "SE") -> None:
        self.country = country.upper()
        self._holidays = self._load(self.country)
        self._by_year: dict[int, list[date]] = {}

    @staticmethod
    def _load(country: str, years: int | None = None) -> holidays.HolidayBase:
        categories = ("public", *EXTRA_CATEGORIES.get(country, ()))
        return holidays.country_holidays(country, years=years, categories=categories)

    def is_holiday(self, day: date) -> bool:
        return day in self._holidays

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name is not None else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1)

    def on_or_next_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the next one (a deadline falling on a holiday)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier.

        Counted, not walked: the weekdays in the span by arithmetic, less the holidays that
        fall on a weekday in it (a few a year, kept sorted per year). The monitor asks this
        for every plan event, so it must not cost a loop over the days.
        """
        if end < start:
            return -self.working_days_between(end, start)
        holidays_in_span = sum(
            bisect_right(days, end) - bisect_right(days, start)
            for days in (self._weekday_holidays(year) for year in range(start.year, end.year + 1))
        )
        return _weekdays_through(end) - _weekdays_through(start) - holidays_in_span

    def _weekday_holidays(self, year: int) -> list[date]:
        found = self._by_year.get(year)
        if found is None:
            found = sorted(day for day in self._load(self.country, years=year) if day.weekday() < 5)
            self._by_year[year] = found
        return found


def _weekdays_through(day: date) -> int:
    """Monday-to-Friday days from 1 January of year 1 (a Monday) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


@lru_cache(maxsize=8)
def working_calendar(country: str = "SE") -> WorkingCalendar:
    return WorkingCalendar(country)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)
