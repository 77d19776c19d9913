"""The year's frame: the quota set by the Agency, and the municipal places each county board
agrees with its municipalities (seed 001: only assignable places are used)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handoff_cli.simulation.households import PlacesAgreement, quota_for
from handoff_cli.simulation.world import AGENCY, World, county_board
from handoff_cli.suite import ApiError


class Places:
    name, title = "places", "quota and municipal places"

    def items(self, world: World) -> Sequence[Any]:
        years = sorted({world.year.first_day.year, world.today.year})
        return [*years, *world.agreements]

    def key(self, item: Any) -> str:
        return f"quota-{item}" if isinstance(item, int) else f"places-{item.municipality}"

    async def take(self, world: World, item: Any) -> None:
        if isinstance(item, int):
            quota = quota_for(
                world.households, item, world.year.scale, world.year.parameters.quota_persons_per_year
            )
            current = await world.get("resettlement", f"/quotas/{item}", AGENCY)
            # Room for this run's selections beside those of earlier runs against the same suite.
            total = max(
                current["total_places"] if current["configured"] else 0, current["selected_persons"] + quota
            )
            ids = world.state.of(f"quota-{item}")
            if "total_places" not in ids:
                await world.call("resettlement", "PUT", f"/quotas/{item}", AGENCY, {"total_places": total})
                ids["total_places"] = total
            return
        await self._agree(world, item)

    async def _agree(self, world: World, agreement: PlacesAgreement) -> None:
        board = county_board(agreement.county)
        terms = {
            "agreed_on": world.today.isoformat(),
            "agreed_places": round(agreement.assignable * 3.9),  # seed 001: 55,000 places, 14,000 assignable
            "assignable_places": agreement.assignable,
            "accessible_places": min(agreement.accessible, agreement.assignable),
            "specialist_care_access": agreement.specialist_care,
            "receives_unaccompanied_minors": agreement.minors,
        }
        try:
            made = await world.post(
                "resettlement",
                "/municipal-places",
                board,
                {
                    "request_id": world.request_id(agreement.municipality, "places"),
                    "county_code": agreement.county,
                    "municipality_code": agreement.municipality,
                    "year": world.today.year,
                    **terms,
                },
            )
        except ApiError as exc:
            if exc.status != 409:
                raise
            # An earlier run agreed places with this municipality this year: it takes more.
            found = await world.get(
                "resettlement",
                "/municipal-places",
                board,
                year=world.today.year,
                municipality_code=agreement.municipality,
            )
            earlier = found["items"][0]
            more = {
                **terms,
                "agreed_places": earlier["agreed_places"] + terms["agreed_places"],
                "assignable_places": earlier["assignable_places"] + agreement.assignable,
                "accessible_places": earlier["accessible_places"] + terms["accessible_places"],
            }
            made = await world.call(
                "resettlement", "PUT", f"/municipal-places/{earlier['agreement_id']}", board, more
            )
        world.state.of(f"places-{agreement.municipality}")["agreement"] = made["agreement_id"]
        world.state.count("municipal_agreements")
        world.state.count("assignable_places", agreement.assignable)
