"""The report's charts, drawn with matplotlib's Agg backend (no display needed), as PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from handoff_cli.report.collect import TARGETS, Figures

COLOURS = {
    "on time": "#2f7d4f",
    "late": "#d9822b",
    "overdue": "#b3261e",
    "missing": "#6b2d8c",
    "other": "#5477a8",
}
Chart = Callable[[Axes, Figures], None]


def stages(ax: Axes, figures: Figures) -> None:
    names = [name for name, _ in figures.stages][::-1]
    counts = [count for _, count in figures.stages][::-1]
    bars = ax.barh(names, counts, color=COLOURS["other"])
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_title("Cases through each stage")
    ax.tick_params(axis="y", labelsize=8)


def targets(ax: Axes, figures: Figures) -> None:
    shown = [t for t in TARGETS if t in figures.targets and figures.targets[t]["due"]]
    left = [0] * len(shown)
    for label, key in (("on time", "met_on_time"), ("late", "met_late"), ("overdue", "overdue")):
        values = [figures.targets[t][key] for t in shown]
        ax.barh([t.replace("_", " ") for t in shown], values, left=left, label=label, color=COLOURS[label])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title("Time targets of return work (items due)")
    ax.legend(fontsize=8, loc="lower right")
    ax.tick_params(axis="y", labelsize=8)


def cost(ax: Axes, figures: Figures) -> None:
    shown = [t for t in TARGETS if figures.cost_of_delay.get(t)]
    values = [figures.cost_of_delay[t] / 1000 for t in shown]
    bars = ax.barh([t.replace("_", " ") for t in shown], values, color=COLOURS["late"])
    ax.bar_label(bars, fmt="%.0f", padding=3, fontsize=8)
    ax.set_title(f"Cost of delay past each target (thousand {figures.currency}; not to be added up)")
    ax.tick_params(axis="y", labelsize=8)


def notices(ax: Axes, figures: Figures) -> None:
    """Stacked as published; where the split is suppressed, the total alone (grey, "<5 hidden")."""
    rows = figures.notices_published
    departments = sorted({row["department"] for row in rows})
    bottom = [0] * len(departments)
    for label, key in (("on time", "on_time"), ("late", "late"), ("missing", "missing")):
        values = [
            sum(
                r[key]
                for r in rows
                if r["department"] == d and isinstance(r[key], int) and not r["suppressed"]
            )
            for d in departments
        ]
        ax.bar(departments, values, bottom=bottom, label=label, color=COLOURS[label])
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    hidden = [
        sum(
            r["notices"]
            for r in rows
            if r["department"] == d and r["suppressed"] and isinstance(r["notices"], int)
        )
        for d in departments
    ]
    ax.bar(departments, hidden, bottom=bottom, label="split suppressed", color="#bbbbbb")
    for index, count in enumerate(hidden):
        if count:
            ax.annotate("<5 hidden", (index, bottom[index] + count), ha="center", va="bottom", fontsize=7)
    tops = [below + count for below, count in zip(bottom, hidden, strict=True)]
    ax.set_ylim(0, max(tops, default=0) * 1.12 + 1)  # room above the tallest bar for its label
    ax.set_title("Notices per police department (published figures)")
    ax.legend(fontsize=8)
    ax.tick_params(axis="x", labelsize=7, rotation=30)


def lead_times(ax: Axes, figures: Figures) -> None:
    rows = figures.lead_times.get("to_assignment", {})
    sources = [s for s in ("unhcr_quota", "permit_holder") if rows.get(s, {}).get("cases")]
    x = range(len(sources))
    for offset, (label, key) in enumerate((("median", "median_days"), ("90th percentile", "p90_days"))):
        values = [rows[s][key] or 0 for s in sources]
        bars = ax.bar([i + offset * 0.4 for i in x], values, width=0.4, label=label)
        ax.bar_label(bars, fmt="%.0f", fontsize=8)
    ax.set_xticks([i + 0.2 for i in x], [s.replace("_", " ") for s in sources])
    ax.set_title(f"Days to an assigned municipal place ({figures.year})")
    ax.legend(fontsize=8)


def fairness(ax: Axes, figures: Figures) -> None:
    reasons = figures.passed_over.most_common(6)
    bars = ax.barh(
        [r.replace("_", " ") for r, _ in reasons][::-1], [n for _, n in reasons][::-1], color=COLOURS["other"]
    )
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_title(f"Fairness audit: why cases were passed over ({figures.passed_over_total})")
    ax.tick_params(axis="y", labelsize=8)


CHARTS: tuple[tuple[str, Chart], ...] = (
    ("stages", stages),
    ("targets", targets),
    ("cost", cost),
    ("notices", notices),
    ("lead-times", lead_times),
    ("fairness", fairness),
)


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def one_chart(chart: Chart, figures: Figures) -> bytes:
    figure, ax = plt.subplots(figsize=(6.4, 3.6))
    chart(ax, figures)
    return png(figure)


def dashboard(figures: Figures, title: str) -> bytes:
    """All charts on one page: the report's PNG."""
    figure, axes = plt.subplots(3, 2, figsize=(13, 12))
    for ax, (_name, chart) in zip(axes.flat, CHARTS, strict=True):
        chart(ax, figures)
    figure.suptitle(title, fontsize=14)
    figure.tight_layout()
    return png(figure)
