"""Handovers to the Police: sent when the identity has reached returns, answered by the Police;
a package sent back incomplete (no travel document) is mended and handed over again (seed 002)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handoff_cli.simulation.caseload import CasePlan
from handoff_cli.simulation.stages.counselling import address, request_travel_document
from handoff_cli.simulation.world import AGENCY, POLICE, World
from handoff_cli.suite import ApiError, eventually


class Handovers:
    name, title = "handovers", "handovers to the Police"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [c for c in world.cases if c.outcome == "handover" and "return_case" in world.state.of(c.key)]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        ids = world.state.of(case.key)
        answer = await self._hand_over(world, case, "handover")
        if answer["outcome"] == "rejected":
            world.state.count("handovers_rejected")
            today = world.today.isoformat()
            await request_travel_document(world, case, today, today, "mended-travel-document")
            answer = await self._hand_over(world, case, "handover-again")
        if answer["outcome"] == "accepted":
            world.state.count("handovers_accepted")
            ids["enforcement_case"] = answer["enforcement_case_id"]
        else:
            world.state.count("handovers_rejected")

    async def _hand_over(self, world: World, case: CasePlan, step: str) -> Any:
        ids = world.state.of(case.key)
        body: dict[str, Any] = {"request_id": world.request_id(case.key, step), "grounds": case.grounds}
        if case.grounds == "coercion_needed":
            body["last_known_address"] = address(case, world.today.isoformat())

        async def attempt() -> Any:
            try:
                return await world.post(
                    "returns", f"/return-cases/{ids['return_case']}/handover", AGENCY, body
                )
            except ApiError as exc:
                # The identity crosses Kafka on its own topic, and the Police's rejection of an
                # earlier package comes back over Kafka too: wait for them.
                identity_missing = exc.reason == "handover_package_incomplete" and "identity" in str(exc)
                if exc.status == 409 and (identity_missing or exc.reason == "handover_pending"):
                    return None
                raise

        sent = await eventually(
            attempt,
            until=lambda r: r is not None,
            what="the identity at returns",
            timeout=world.timeout,
            interval=0.5,
        )
        handover_id = sent["handover_id"]
        ids.setdefault("handovers", [])
        if handover_id not in ids["handovers"]:
            ids["handovers"].append(handover_id)
            world.state.count("handovers")

        async def answered() -> Any:
            page = await world.get("police-handover", "/handovers", POLICE, return_case_id=ids["return_case"])
            return next((h for h in page["items"] if h["handover_id"] == handover_id), None)

        return await eventually(
            answered,
            until=lambda h: h is not None,
            what=f"the Police's answer to {handover_id}",
            timeout=world.timeout,
            interval=0.5,
        )
