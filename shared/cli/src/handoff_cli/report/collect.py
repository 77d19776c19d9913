"""The figures of a live suite, read from each service's own statistics and listings."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from handoff_cli.credentials import Caller
from handoff_cli.suite import Suite

AGENCY = Caller("agency", subject="agency:report")
POLICE = Caller("police", subject="police:report")
MONITOR = Caller("monitor", subject="monitor:report")
TARGETS = (
    "first_counselling",
    "case_closure",
    "departure",
    "travel_document",
    "travel_booking",
    "support_decision",
)


@dataclass
class Figures:
    as_of: date
    year: int
    stages: list[tuple[str, int]] = field(default_factory=list)
    targets: dict[str, Counter[str]] = field(default_factory=dict)
    target_units: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    cost_of_delay: dict[str, int] = field(default_factory=dict)
    currency: str = "SEK"
    cost_note: str = ""
    evaluations: dict[str, dict[str, int]] = field(default_factory=dict)
    plans_by_department: dict[str, Counter[str]] = field(default_factory=dict)
    measures: dict[str, Any] = field(default_factory=dict)
    notices_published: list[dict[str, Any]] = field(default_factory=list)
    lead_times: dict[str, Any] = field(default_factory=dict)
    passed_over: Counter[str] = field(default_factory=Counter)
    passed_over_total: int = 0
    quota: dict[str, Any] = field(default_factory=dict)


async def _total(suite: Suite, service: str, path: str, caller: Caller, **params: Any) -> int:
    page = await suite.get(service, path, caller, limit=1, **params)
    return int(page["total"])


async def collect(suite: Suite, as_of: date, year: int) -> Figures:
    figures = Figures(as_of, year)
    await asyncio.gather(
        _stages(suite, figures),
        _follow_up(suite, figures),
        _enforcement(suite, figures),
        _monitor(suite, figures),
        _resettlement(suite, figures),
    )
    return figures


async def _stages(suite: Suite, figures: Figures) -> None:
    counts = await asyncio.gather(
        _total(suite, "intake", "/applications", AGENCY),
        _total(suite, "intake", "/applications", AGENCY, dublin="true"),
        _total(suite, "intake", "/applications", AGENCY, status="granted"),
        _total(suite, "intake", "/applications", AGENCY, status="refused"),
        _total(suite, "intake", "/applications", AGENCY, status="enforceable"),
        _total(suite, "returns", "/return-cases", AGENCY),
        _total(suite, "returns", "/return-cases", AGENCY, status="departed"),
        _total(suite, "police-handover", "/handovers", POLICE),
        _total(suite, "police-handover", "/handovers", POLICE, outcome="accepted"),
        _total(suite, "police-handover", "/removal-plans", POLICE),
        _total(suite, "monitoring", "/notices", MONITOR),
        _total(suite, "police-handover", "/removal-plans", POLICE, status="executed"),
    )
    names = (
        "applications registered", "of which Dublin cases", "granted", "refused (not yet enforceable)",
        "refusals enforceable", "return cases opened", "voluntary departures", "handovers to the Police",
        "handovers accepted", "removal plans", "notices at the monitor", "removals carried out",
    )  # fmt: skip
    figures.stages = list(zip(names, counts, strict=True))


async def _follow_up(suite: Suite, figures: Figures) -> None:
    answer = await suite.get(
        "returns",
        "/follow-up",
        AGENCY,
        from_month=f"{figures.year - 1}-{figures.as_of:%m}",
        to_month=f"{figures.as_of:%Y-%m}",
    )
    figures.currency, figures.cost_note = answer["currency"], answer["note"]
    for line in answer["lines"]:
        counts = Counter({k: line[k] for k in ("due", "met_on_time", "met_late", "overdue", "not_yet_due")})
        figures.targets.setdefault(line["target"], Counter()).update(counts)
        figures.target_units.setdefault((line["target"], line["unit"]), Counter()).update(counts)
        figures.cost_of_delay[line["target"]] = (
            figures.cost_of_delay.get(line["target"], 0) + line["cost_of_delay"]
        )
    figures.evaluations = answer["evaluations"]["answers"]


async def _enforcement(suite: Suite, figures: Figures) -> None:
    plans, measures = await asyncio.gather(
        suite.get("police-handover", "/stats/removal-plans", POLICE),
        suite.get("police-handover", "/stats/measures", POLICE),
    )
    for row in plans["rows"]:
        figures.plans_by_department.setdefault(row["responsible_department"], Counter())[
            row["transport"]
        ] += row["count"]
    figures.measures = measures


async def _monitor(suite: Suite, figures: Figures) -> None:
    figures.notices_published = await suite.get(
        "monitoring",
        "/statistics/published",
        MONITOR,
        from_month=f"{figures.year - 1}-{figures.as_of:%m}",
        to_month=f"{figures.as_of:%Y-%m}",
    )


async def _resettlement(suite: Suite, figures: Figures) -> None:
    figures.lead_times = await suite.get("resettlement", "/follow-up/lead-times", AGENCY, year=figures.year)
    figures.quota = await suite.get("resettlement", f"/quotas/{figures.year}", AGENCY)
    audit = await suite.pages("resettlement", "/follow-up/fairness-audit", AGENCY, year=figures.year)
    figures.passed_over_total = len(audit)
    for record in audit:
        figures.passed_over.update(record["reasons"])
