"""Settlement in municipalities: quota households submitted and selected, permit holders who
asked for a place (from intake's grants, over Kafka), and matching rounds in which every
county board matches the national queue to its places, municipalities answer the offers
(declining only on practical grounds), boards confirm, and households arrive and settle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handoff_cli.simulation.households import QuotaHousehold
from handoff_cli.simulation.world import AGENCY, World, county_board, municipality
from handoff_cli.suite import ApiError, eventually


class QuotaCases:
    name, title = "quota-cases", "quota households submitted, selected"

    def items(self, world: World) -> Sequence[QuotaHousehold]:
        return world.households

    def key(self, item: QuotaHousehold) -> str:
        return item.key

    async def take(self, world: World, household: QuotaHousehold) -> None:
        case = await world.post(
            "resettlement",
            "/cases",
            AGENCY,
            {
                "request_id": world.request_id(household.key, "submission"),
                "quota_year": (household.selected_on or household.submitted_on).year,
                "priority": household.priority,
                "submission_category": household.category,
                "submitted_on": household.submitted_on.isoformat(),
                "members": [
                    {"full_name": name, "age_band": band, "sex": sex, "nationality": household.nationality}
                    for name, band, sex in household.members
                ],
                "needs": list(household.needs),
            },
        )
        world.state.of(household.key)["case"] = case["case_id"]
        world.state.count("quota_cases")
        if household.selected_on is None:
            return
        if case["state"] == "submitted":
            await world.post(
                "resettlement",
                f"/cases/{case['case_id']}/selection",
                AGENCY,
                {"decision": "selected", "decided_on": household.selected_on.isoformat()},
            )
        world.state.count("quota_selected")
        world.state.count("quota_persons_selected", len(household.members))


class PermitHolders:
    name, title = "permit-holders", "permit holders waiting for a place"

    def items(self, world: World) -> Sequence[str]:
        return ["arrived"]

    def key(self, item: str) -> str:
        return "permit-holders"

    async def take(self, world: World, item: str) -> None:
        expected = {
            world.state.of(c.key)["application"]
            for c in world.cases
            if c.granted and c.household and c.household[1] and "application" in world.state.of(c.key)
        }

        async def arrived() -> set[str]:
            cases = await world.suite.pages("resettlement", "/cases", AGENCY, source="permit_holder")
            return {c["application_id"] for c in cases} & expected

        await eventually(
            arrived,
            until=lambda seen: seen == expected,
            what="the permit holders at resettlement",
            timeout=world.timeout,
            interval=1.0,
        )
        world.state.count("permit_holder_cases", len(expected))


class MatchingRounds:
    name, title = "matching", "matching rounds (offers, answers)"
    one_at_a_time = True  # a round answers the offers the round before it left

    def items(self, world: World) -> Sequence[int]:
        return list(range(max(1, world.year.days // 91)))

    def key(self, item: int) -> str:
        return f"round-{item}"

    async def take(self, world: World, round_number: int) -> None:
        for county in sorted({a.county for a in world.agreements}):
            board = county_board(county)
            await world.post(
                "resettlement",
                "/matching-runs",
                board,
                {
                    "request_id": world.request_id(f"round-{round_number}", f"county-{county}"),
                    "year": world.today.year,
                    "send_offers": True,
                },
            )
            world.state.count("matching_runs")
            offers = await world.suite.pages(
                "resettlement", "/placements", board, county_code=county, status="offered"
            )
            for index, offer in enumerate(sorted(offers, key=lambda o: o["placement_id"])):
                await self._answer(world, board, offer, world.chance("round", round_number, county, index))

    async def _answer(self, world: World, board: Any, offer: dict[str, Any], chance: Any) -> None:
        place = municipality(offer["municipality_code"])
        path = f"/placements/{offer['placement_id']}"
        world.state.count("offers")
        try:
            if chance.random() < world.year.parameters.decline_share:
                await world.post(
                    "resettlement",
                    f"{path}/decline",
                    place,
                    {
                        "reason": "arrival_date_not_possible",
                        "reason_text": "The dwelling is not ready until next quarter.",
                    },
                )
                world.state.count("offers_declined")
                return
            await world.post("resettlement", f"{path}/acceptance", place, {})
            world.state.count("offers_accepted")
            today = world.today.isoformat()
            await world.post("resettlement", f"{path}/confirmation", board, {"arrival_planned_on": today})
            world.state.count("placements_confirmed")
            if chance.random() < 0.8:
                await world.post("resettlement", f"{path}/arrival", place, {"arrived_on": today})
                await world.post("resettlement", f"{path}/settlement", place, {"settled_on": today})
                world.state.count("settled")
        except ApiError as exc:
            if exc.status != 409:  # answered before the run was stopped
                raise
