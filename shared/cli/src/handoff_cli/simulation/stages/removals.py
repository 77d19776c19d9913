"""The Police's enforcement: a measure (detention within the 109 places, or a lighter one), the
removal plan with its notice (on time, or announced late), changes to it, and its end.

A removal is carried out (or aborted) at the moment of the run, not on the day its notice
names (that day lies in the future: the services refuse an execution dated after now). The
monitor judges a removal that happens on another day than notified anew, from when it
learned the day (as it happened) to the day: late, with the revision that was missing. The
simulator counts what it expects so, and waits until the monitor has each plan's end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handoff_cli.simulation.caseload import DETENTION_UNITS, CasePlan
from handoff_cli.simulation.world import MONITOR, POLICE, World, working_days_from_now
from handoff_cli.suite import ApiError, eventually

MONITOR_ZONE = ZoneInfo("Europe/Helsinki")
"""The monitor's calendar (monitoring's ``CALENDAR_TIMEZONE``, as ``make run`` leaves it): its days."""
ESCORT = {"charter": "escorted_to_destination", "scheduled_flight": "escorted_to_destination"}


class Plans:
    name, title = "plans", "removal plans (and changes)"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [
            c for c in world.cases if c.removal is not None and "enforcement_case" in world.state.of(c.key)
        ]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        assert case.removal is not None
        removal, ids = case.removal, world.state.of(case.key)
        measure = await self._measure(world, case)
        departure = working_days_from_now(removal.lead_working_days)
        plan = await world.post(
            "police-handover",
            "/removal-plans",
            POLICE,
            {
                "request_id": world.request_id(case.key, "plan"),
                "enforcement_case_id": ids["enforcement_case"],
                "readmission_basis": removal.readmission_basis,
                "transport": removal.transport,
                "escort_level": ESCORT.get(removal.transport, "escorted_to_departure"),
                "planned_departure": departure.isoformat(),
                "measure": measure,
            },
        )
        ids["plan"] = plan["plan_id"]
        ids["department"] = plan["responsible_department"]
        world.state.count("plans")
        world.state.count("plans_announced_late_by_design", removal.late)
        change = _change(removal.change, departure)
        if change:
            await world.call("police-handover", "PATCH", f"/removal-plans/{plan['plan_id']}", POLICE, change)
            world.state.count("plans_changed")

    async def _measure(self, world: World, case: CasePlan) -> str:
        assert case.removal is not None
        ids = world.state.of(case.key)
        if case.removal.measure == "detention" and "measure" not in ids:
            unit = DETENTION_UNITS[world.chance(case.key, "unit").random() < 69 / 109][0]
            try:
                detention = await world.post(
                    "police-handover",
                    "/detentions",
                    POLICE,
                    {
                        "request_id": world.request_id(case.key, "detention"),
                        "enforcement_case_id": ids["enforcement_case"],
                        "facility": unit,
                        "ground": "risk_of_absconding"
                        if case.grounds == "absconded"
                        else "preparing_removal",
                    },
                )
                ids["measure"] = ["detention", detention["detention_id"]]
                world.state.count("detentions")
            except ApiError as exc:
                if exc.status != 409:
                    raise
                world.state.count("detentions_refused_at_capacity")  # then a lighter measure
        if "measure" not in ids:
            kind = "reporting_duty" if case.removal.measure == "detention" else case.removal.measure
            measure = await world.post(
                "police-handover",
                "/lighter-measures",
                POLICE,
                {
                    "request_id": world.request_id(case.key, "measure"),
                    "enforcement_case_id": ids["enforcement_case"],
                    "kind": kind,
                },
            )
            ids["measure"] = [kind, measure["measure_id"]]
            world.state.count("lighter_measures")
        ordered: str = ids["measure"][0]
        return ordered


def _change(kind: str | None, departure: datetime) -> dict[str, Any] | None:
    if kind == "later":
        return {"planned_departure": (departure + timedelta(days=7)).isoformat()}
    if kind == "earlier":
        return {"planned_departure": working_days_from_now(2).isoformat()}
    if kind == "transport":
        return {"transport": "charter"}
    return None


class Removals:
    name, title = "removals", "removals carried out, aborted, cancelled"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [c for c in world.cases if c.removal is not None and "notice" in world.state.of(c.key)]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        assert case.removal is not None
        ending, plan_id = case.removal.ending, world.state.of(case.key)["plan"]
        path = f"/removal-plans/{plan_id}"
        plan = await world.get("police-handover", path, POLICE)
        if plan["status"] in ("executed", "aborted", "cancelled"):  # done before the run was stopped
            world.state.count(plan["status"])
            await _at_the_monitor(world, case, plan)
            return
        if ending == "executed":
            pending = {p["precaution"]: "done" for p in plan["precautions"] if p["status"] == "pending"}
            if pending:
                await world.call("police-handover", "PATCH", path, POLICE, {"precautions": pending})
            ended = await world.post("police-handover", f"{path}/execution", POLICE, {"use_of_force": False})
        elif ending == "aborted":
            reason = world.chance(case.key, "abort").choice(("medical", "resistance", "refusal_by_carrier"))
            ended = await world.post(
                "police-handover", f"{path}/abort", POLICE, {"reason": reason, "at_departure": True}
            )
        else:
            ended = await world.post(
                "police-handover",
                f"{path}/cancellation",
                POLICE,
                {"reason": "other", "note": "flight no longer available"},
            )
        world.state.count(ending)
        await _at_the_monitor(world, case, ended)
        if ending != "executed":
            await _release(world, world.state.of(case.key).get("measure"))


async def _at_the_monitor(world: World, case: CasePlan, plan: dict[str, Any]) -> None:
    """Count what the monitor makes of the plan's end, once it has it. A removal carried out or
    aborted on another day than its notice named is judged anew: late (the monitor learned the
    day only as it happened), with the revision that was missing."""
    ids = world.state.of(case.key)
    if plan["status"] in ("executed", "aborted"):
        happened = plan["execution"]["executed_at"] if plan["execution"] else plan["ending"]["at"]
        if _day(happened) != _day(plan["planned_departure"]):
            world.state.count("removals_judged_anew")
            world.state.count("notices_late_judged_anew", ids.get("timeliness") == "on_time")
    await eventually(
        lambda: world.get("monitoring", f"/notices/{ids['notice']}", MONITOR),
        until=lambda n: n["status"] == plan["status"],
        what=f"the end of {ids['plan']} at the monitor",
        timeout=world.timeout,
        interval=0.5,
    )


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(MONITOR_ZONE).date()


async def _release(world: World, measure: list[str] | None) -> None:
    """A removal that did not happen ends its measure: detention places are scarce (seed 004)."""
    if not measure:
        return
    kind, measure_id = measure
    path = f"/detentions/{measure_id}/end" if kind == "detention" else f"/lighter-measures/{measure_id}/end"
    try:
        await world.post("police-handover", path, POLICE, {"reason": "removal_cancelled"})
    except ApiError as exc:
        if exc.status != 409:  # already ended
            raise
