"""Bar charts of the published statistics, drawn on the server as inline SVG (no script, no CDN).

The figures are the published ones: a count from 1 to 4 is not drawn to its height but as a
hatched bar reaching 5, labelled "<5", since the true figure must not be shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from monitoring.domain.statistics import SUPPRESSED, THRESHOLD, Count, PublishedDepartmentMonth

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 18, 40


@dataclass(frozen=True)
class Series:
    key: str  # a CSS class: its colour
    label: str
    values: Sequence[Count]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: Series
    month: str
    text: str
    suppressed: bool

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class MonthLabel:
    x: float
    text: str
    year: str | None


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    series: Sequence[Series]
    bars: Sequence[Bar]
    ticks: Sequence[Tick]
    months: Sequence[MonthLabel]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM


def nice_top(largest: float) -> tuple[int, int]:
    """The axis' top and step: 1, 2 or 5 times a power of ten, about four steps."""
    if largest <= THRESHOLD:
        return THRESHOLD, 1
    raw = largest / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return int(math.ceil(largest / step) * step), int(step)


def month_label(x: float, month: str, first: bool) -> MonthLabel:
    """ "Nov" under its bars, with the year under the first month and under each January."""
    day = date.fromisoformat(f"{month}-01")
    return MonthLabel(x, day.strftime("%b"), day.strftime("%Y") if first or day.month == 1 else None)


def bar_chart(title: str, months: Sequence[str], series: Sequence[Series]) -> Chart:
    drawn = [THRESHOLD if v == SUPPRESSED else int(v) for s in series for v in s.values]
    top, step = nice_top(max(drawn, default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    group = plot_width / max(1, len(months))
    bar_width = min(28.0, group * 0.8 / max(1, len(series)))
    bars, labels = [], []
    for index, month in enumerate(months):
        start = LEFT + index * group + (group - bar_width * len(series)) / 2
        labels.append(month_label(LEFT + index * group + group / 2, month, index == 0))
        for position, s in enumerate(series):
            value = s.values[index]
            suppressed = value == SUPPRESSED
            height = (THRESHOLD if suppressed else int(value)) / top * plot_height
            bars.append(
                Bar(
                    x=round(start + position * bar_width, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(height, 1),
                    series=s,
                    month=month,
                    text=str(value),
                    suppressed=suppressed,
                )
            )
    ticks = [Tick(round(baseline - v / top * plot_height, 1), str(v)) for v in range(0, top + 1, step)]
    return Chart(
        title=title,
        description=describe(months, series),
        series=series,
        bars=bars,
        ticks=ticks,
        months=labels,
    )


def describe(months: Sequence[str], series: Sequence[Series]) -> str:
    """The chart in words, for those who do not see it."""
    if not months:
        return "No figures."
    parts = [
        f"{month}: " + ", ".join(f"{s.label.lower()} {s.values[i]}" for s in series)
        for i, month in enumerate(months)
    ]
    return "; ".join(parts) + "."


def department_charts(rows: Sequence[PublishedDepartmentMonth]) -> list[Chart]:
    """A department's two charts: notices by timeliness, and removals carried out and monitored."""
    ordered = sorted(rows, key=lambda r: r.month)
    months = [r.month for r in ordered]
    return [
        bar_chart(
            "Notices on time, late and missing, per month",
            months,
            [
                Series("on-time", "On time", [r.on_time for r in ordered]),
                Series("late", "Late", [r.late for r in ordered]),
                Series("missing", "Missing", [r.missing for r in ordered]),
            ],
        ),
        bar_chart(
            "Removals carried out or aborted, and monitored, per month",
            months,
            [
                Series("removals", "Removals", [r.removals for r in ordered]),
                Series("monitored", "Monitored", [r.monitored for r in ordered]),
            ],
        ),
    ]
