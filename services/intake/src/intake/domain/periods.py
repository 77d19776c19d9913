"""Calendar periods in months, and which start dates make a period end inside a window.

``add_months`` never moves backwards when the start moves forwards (it keeps the day of the
month, clamped to the month's end), so the start dates whose period ends on or after a day,
or on or before a day, are each an unbroken run of dates. Listings use these bounds to ask the
database for the cases whose deadline (computed by the model) falls in a window, without
storing the deadline itself, which would go stale when the configured periods change.
"""

from __future__ import annotations

from datetime import date, timedelta

from handoff_workdays import add_months

ONE_DAY = timedelta(days=1)


def period_end(start: date, months: int) -> date:
    return add_months(start, months)


def first_start_ending_on_or_after(day: date, months: int) -> date:
    """The earliest start whose period of ``months`` ends on ``day`` or later."""
    start = add_months(day, -months)
    while add_months(start, months) < day:
        start += ONE_DAY
    while add_months(start - ONE_DAY, months) >= day:
        start -= ONE_DAY
    return start


def last_start_ending_on_or_before(day: date, months: int) -> date:
    """The latest start whose period of ``months`` ends on ``day`` or earlier."""
    start = add_months(day, -months)
    while add_months(start, months) > day:
        start -= ONE_DAY
    while add_months(start + ONE_DAY, months) <= day:
        start += ONE_DAY
    return start
