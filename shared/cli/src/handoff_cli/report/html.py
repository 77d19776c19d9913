"""The report as one self-contained HTML page: tables beside the charts (embedded PNGs)."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from handoff_cli.report.collect import TARGETS, Figures
from handoff_cli.report.reconcile import Check

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}img{max-width:100%}
.bad{color:#b3261e;font-weight:bold}.ok{color:#2f7d4f}.note{color:#555;font-size:.85rem}
"""
NOTICE_COLUMNS = (
    "department", "month", "notices", "on time", "late", "missing",
    "median lead time (working days)", "removals", "monitored",
)  # fmt: skip


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def image(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _checks(checks: list[Check]) -> str:
    rows = []
    for check in checks:
        verdict = "<span class=ok>agrees</span>" if check.agrees else "<span class=bad>differs</span>"
        rows.append((escape(check.what), check.simulator, check.suite, verdict))
    return "<h2>The simulator's tally against the suite</h2>" + table(
        ("what", "simulator", "suite", ""), rows
    )


def _targets(figures: Figures) -> str:
    ordered = sorted(figures.target_units.items(), key=lambda item: (TARGETS.index(item[0][0]), item[0][1]))
    rows = [
        (
            t.replace("_", " "),
            escape(u),
            c["due"],
            c["met_on_time"],
            c["met_late"],
            c["overdue"],
            c["not_yet_due"],
        )
        for (t, u), c in ordered
    ]
    return table(("target", "unit", "due", "on time", "late", "overdue", "not yet due"), rows)


def _notices(figures: Figures) -> str:
    rows = []
    for r in figures.notices_published:
        median = r["median_lead_time_working_days"]
        rows.append(
            (
                escape(r["department"]), r["month"], r["notices"], r["on_time"], r["late"], r["missing"],
                "-" if median is None else median, r["removals"], r["monitored"],
            )
        )  # fmt: skip
    return table(NOTICE_COLUMNS, [[escape(str(cell)) for cell in row] for row in rows])


def _resettlement(figures: Figures, charts: dict[str, bytes]) -> str:
    parts = [f"<h2>Resettlement: lead times and the fairness audit ({figures.year})</h2>"]
    parts.append(image(charts["lead-times"], "lead times") + image(charts["fairness"], "fairness audit"))
    quota = figures.quota
    if quota:
        parts.append(
            f"<p>Quota {figures.year}: {quota['total_places']} people, {quota['selected_persons']} selected, "
            f"emergency reserve {quota['emergency_reserve_used']} of {quota['emergency_reserve']} used.</p>"
        )
    reasons = ((escape(r.replace("_", " ")), n) for r, n in figures.passed_over.most_common())
    parts.append(table(("reason a case was passed over", "times"), reasons))
    return "".join(parts)


def page(figures: Figures, charts: dict[str, bytes], checks: list[Check] | None, title: str) -> str:
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{STYLE}</style>"
    ]
    parts.append(
        f"<h1>{escape(title)}</h1><p class=note>As of {figures.as_of}; read from the services' own "
        "statistics "
        "endpoints. Published figures keep the monitor's suppression (counts 1-4 shown as &lt;5).</p>"
    )
    if checks is not None:
        parts.append(_checks(checks))
    parts.append("<h2>Cases through each stage</h2>" + image(charts["stages"], "cases through each stage"))
    parts.append(table(("stage", "cases"), ((escape(n), c) for n, c in figures.stages)))
    parts.append("<h2>Time targets of return work</h2>" + image(charts["targets"], "time targets"))
    parts.append(_targets(figures))
    parts.append("<h2>Cost of delay</h2>" + image(charts["cost"], "cost of delay"))
    parts.append(f"<p class=note>{escape(figures.cost_note)}</p>")
    parts.append("<h2>Notices of planned removals per department</h2>" + image(charts["notices"], "notices"))
    parts.append(_notices(figures))
    parts.append(_resettlement(figures, charts))
    measures = figures.measures
    if measures:
        parts.append(
            f"<h2>Detention and lighter measures now</h2><p>{measures['detained']} detained of "
            f"{measures['detention_capacity']} places; "
            f"{measures['lighter_measures_total']} lighter measures in force.</p>"
        )
    parts.append("</html>")
    return "\n".join(parts)
