"""A simulator run checked against the suite: every handover it sent answered by the Police,
every plan it made with a notice at the monitor, its tally beside the services' figures.

The notices' timeliness is the monitor's last judgement: a removal carried out or aborted on
another day than notified (in a simulated year, every one the run carries out: it happens at
the moment of the run) is judged anew and late, which the simulator counts as it goes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from handoff_cli.report.collect import MONITOR, POLICE
from handoff_cli.simulation.state import RunState
from handoff_cli.suite import ApiError, Suite


@dataclass(frozen=True)
class Check:
    what: str
    simulator: int
    suite: int

    @property
    def agrees(self) -> bool:
        return self.simulator == self.suite


async def reconcile(suite: Suite, state: RunState) -> list[Check]:
    handovers = [h for ids in state.ids.values() for h in ids.get("handovers", [])]
    plans = [ids["plan"] for ids in state.ids.values() if "plan" in ids]
    notices = [ids["notice"] for ids in state.ids.values() if "notice" in ids]
    gate = asyncio.Semaphore(16)

    async def get(service: str, path: str, caller: Any) -> Any:
        async with gate:
            try:
                return await suite.get(service, path, caller)
            except ApiError as exc:
                if exc.status == 404:
                    return None
                raise

    answers = await asyncio.gather(*(get("police-handover", f"/handovers/{h}", POLICE) for h in handovers))
    plan_views = await asyncio.gather(*(get("police-handover", f"/removal-plans/{p}", POLICE) for p in plans))
    notice_views = await asyncio.gather(*(get("monitoring", f"/notices/{n}", MONITOR) for n in notices))
    with_notice = [
        p
        for p in plan_views
        if p
        and p.get("monitoring")
        and p["monitoring"].get("notice_id")
        and any(n and n["plan_id"] == p["plan_id"] for n in notice_views)
    ]
    tally = state.tally
    timeliness = [n["timeliness"] for n in notice_views if n]
    statuses = [p["status"] for p in plan_views if p]
    return [
        Check("handovers sent, answered by the Police", len(handovers), sum(1 for a in answers if a)),
        Check(
            "handovers accepted",
            tally["handovers_accepted"],
            sum(1 for a in answers if a and a["outcome"] == "accepted"),
        ),
        Check(
            "handovers sent back incomplete",
            tally["handovers_rejected"],
            sum(1 for a in answers if a and a["outcome"] == "rejected"),
        ),
        Check("removal plans made, each with a notice at the monitor", len(plans), len(with_notice)),
        Check(
            "notices on time (as judged last)",
            tally["notices_on_time"] - tally["notices_late_judged_anew"],
            timeliness.count("on_time"),
        ),
        Check(
            "notices late (as judged last)",
            tally["notices_late"] + tally["notices_late_judged_anew"],
            timeliness.count("late"),
        ),
        Check(
            "removals on another day than notified, judged anew (a revision missing)",
            tally["removals_judged_anew"],
            sum(1 for n in notice_views if n and n.get("revision_missing")),
        ),
        Check("removals carried out", tally["executed"], statuses.count("executed")),
        Check("removals aborted", tally["aborted"], statuses.count("aborted")),
        Check("plans cancelled", tally["cancelled"], statuses.count("cancelled")),
    ]
