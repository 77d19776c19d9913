"""Working days and calendar periods: the ground every deadline stands on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_workdays import add_months, working_calendar

pytestmark = pytest.mark.unit
SE = working_calendar("SE")
FI = working_calendar("FI")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 23), True),  # a Monday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 6, 19), False),  # Midsummer Eve: a holiday for Swedish deadlines
        (date(2026, 12, 24), False),  # Christmas Eve
        (date(2026, 12, 31), False),  # New Year's Eve
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 5, 15), True),  # the squeeze day after is worked
    ],
)
def test_swedish_working_days(day: date, working: bool) -> None:
    assert SE.is_working_day(day) is working


def test_finland_is_configurable_and_differs() -> None:
    assert not FI.is_working_day(date(2026, 12, 6))  # Independence Day (a Sunday in 2026 anyway)
    assert not FI.is_working_day(date(2027, 12, 6))  # Monday, Independence Day
    assert SE.is_working_day(date(2027, 12, 6))
    assert not SE.is_working_day(date(2028, 6, 6))  # Sweden's National Day, a Tuesday
    assert FI.is_working_day(date(2028, 6, 6))


@given(days, st.integers(min_value=0, max_value=40))
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(start: date, n: int) -> None:
    end = SE.add_working_days(start, n)
    assert SE.working_days_between(start, end) == n
    if n:
        assert SE.is_working_day(end)
        assert end > start


@given(days, st.integers(min_value=-800, max_value=800))
def test_working_days_between_counts_what_a_walk_over_the_days_counts(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    low, high = min(start, end), max(start, end)
    walked = sum(1 for n in range(1, (high - low).days + 1) if SE.is_working_day(low + timedelta(n)))
    assert SE.working_days_between(start, end) == (walked if end >= start else -walked)
    assert FI.working_days_between(low, high) == sum(
        1 for n in range(1, (high - low).days + 1) if FI.is_working_day(low + timedelta(n))
    )


@given(days)
def test_the_next_working_day_skips_weekends_and_holidays(day: date) -> None:
    following = SE.next_working_day(day)
    assert SE.is_working_day(following)
    assert all(not SE.is_working_day(day + timedelta(n)) for n in range(1, (following - day).days))


@given(days, st.integers(min_value=0, max_value=60))
def test_adding_months_keeps_the_day_or_clamps_to_month_end(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    if end.day != start.day:
        assert end.day < start.day
        assert (end + timedelta(days=1)).day == 1  # clamped to the month's last day


def test_month_ends_and_leap_years() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)
