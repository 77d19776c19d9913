"""The monitor: every plan's notice found (through the Police's view of the plan, which shows
the monitor's acknowledgement), a decision on each, and reports on the removals monitored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handoff_cli.simulation.caseload import CasePlan
from handoff_cli.simulation.world import MONITOR, POLICE, World
from handoff_cli.suite import eventually

MONITORS = ("MON-01", "MON-02", "MON-03", "MON-04", "MON-05", "MON-06", "MON-07")


def _reason(case: CasePlan) -> str:
    assert case.removal is not None
    if "unaccompanied_minor" in case.applicant.vulnerabilities:
        return "minor_involved"
    if case.vulnerable:
        return "vulnerable_returnee"
    return "charter_operation" if case.removal.transport == "charter" else "sample"


class Notices:
    name, title = "notices", "notices at the monitor, decided"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [c for c in world.cases if c.removal is not None and "plan" in world.state.of(c.key)]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        assert case.removal is not None
        ids = world.state.of(case.key)
        plan = await eventually(
            lambda: world.get("police-handover", f"/removal-plans/{ids['plan']}", POLICE),
            until=lambda p: bool(p.get("monitoring") and p["monitoring"].get("notice_id")),
            what=f"the monitor's acknowledgement of {ids['plan']}",
            timeout=world.timeout,
            interval=0.5,
        )
        ids["notice"] = notice_id = plan["monitoring"]["notice_id"]
        notice = await eventually(
            lambda: world.get("monitoring", f"/notices/{notice_id}", MONITOR),
            until=lambda n: n["revision"] >= plan["revision"],
            what=f"the latest revision of {notice_id}",
            timeout=world.timeout,
            interval=0.5,
        )
        world.state.count("notices")
        world.state.count(f"notices_{notice['timeliness']}")
        ids["timeliness"] = notice["timeliness"]
        monitored = case.removal.monitored
        body: dict[str, Any] = {
            "request_id": world.request_id(case.key, "monitoring-decision"),
            "decision": "monitor" if monitored else "not_monitor",
            "reason": _reason(case) if monitored else "low_risk",
        }
        if monitored:
            body["monitors"] = [world.chance(case.key, "monitor").choice(MONITORS)]
        await world.post("monitoring", f"/notices/{notice_id}/decisions", MONITOR, body)
        world.state.count("monitored" if monitored else "not_monitored")


class Reports:
    name, title = "reports", "monitoring reports filed"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [
            c
            for c in world.cases
            if c.removal is not None
            and c.removal.monitored
            and c.removal.ending == "executed"
            and "notice" in world.state.of(c.key)
        ]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        notice_id = world.state.of(case.key)["notice"]
        await eventually(
            lambda: world.get("monitoring", f"/notices/{notice_id}", MONITOR),
            until=lambda n: n["status"] == "executed",
            what=f"the execution at the monitor ({notice_id})",
            timeout=world.timeout,
            interval=0.5,
        )
        publish = world.chance(case.key, "publish").random() < 0.5
        await world.post(
            "monitoring",
            "/reports",
            MONITOR,
            {
                "request_id": world.request_id(case.key, "report"),
                "notice_id": notice_id,
                "phases_observed": ["pre_departure", "transfer", "in_flight"],
                "publish": publish,
            },
        )
        world.state.count("reports")
        world.state.count("reports_published", publish)
