"""Follow-up figures (docs/domain.md, seed 001): lead times, quarters, waiting times. Pure functions."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from handoff_plumbing.errors import InvalidInput


@dataclass(frozen=True)
class LeadTime:
    """Days from the start of waiting (permit or selection) to a milestone, over many cases."""

    cases: int
    median_days: float | None
    mean_days: float | None
    p90_days: int | None
    max_days: int | None

    @classmethod
    def of(cls, days: Sequence[int]) -> LeadTime:
        if not days:
            return cls(0, None, None, None, None)
        ordered = sorted(days)
        p90 = ordered[min(len(ordered) - 1, (9 * len(ordered) + 9) // 10 - 1)]
        return cls(
            cases=len(ordered),
            median_days=float(statistics.median(ordered)),
            mean_days=round(statistics.fmean(ordered), 1),
            p90_days=p90,
            max_days=ordered[-1],
        )


def days_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput("quarter", "must be 1, 2, 3 or 4")
    first = date(year, 3 * quarter - 2, 1)
    last = date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)
    return first, last


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1
