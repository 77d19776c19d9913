"""Return counselling: the return case opened from intake's event, its unit, the meetings,
travel documents, and the voluntary departure (with re-establishment support) or absconding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from handoff_cli.simulation import geography as geo
from handoff_cli.simulation.caseload import CasePlan
from handoff_cli.simulation.world import AGENCY, World
from handoff_cli.suite import eventually


def address(case: CasePlan, known_on: str) -> dict[str, Any]:
    return {
        "street_address": f"Storgatan {int(case.key[1:]) % 90 + 1}",
        "postal_code": f"{int(case.residence) * 7 % 90000 + 10000:05d}",
        "municipality_code": case.residence,
        "known_on": known_on,
    }


async def request_travel_document(
    world: World, case: CasePlan, requested: str, handled: str, step: str
) -> None:
    path = f"/return-cases/{world.state.of(case.key)['return_case']}"
    request = await world.post(
        "returns",
        f"{path}/travel-document-request",
        AGENCY,
        {
            "request_id": world.request_id(case.key, f"{step}-request"),
            "document_kind": "emergency_travel_document",
            "requested_on": requested,
        },
    )
    await world.post(
        "returns",
        f"{path}/travel-document-handled",
        AGENCY,
        {
            "request_id": world.request_id(case.key, f"{step}-handled"),
            "travel_document_request_id": request["travel_document_request_id"],
            "handled_on": handled,
            "outcome": "issued",
        },
    )
    world.state.count("travel_documents")


class Counselling:
    name, title = "counselling", "return cases counselled"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [
            c for c in world.cases if c.enforceable_on is not None and "application" in world.state.of(c.key)
        ]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        ids = world.state.of(case.key)
        listing = await eventually(
            lambda: world.get("returns", "/return-cases", AGENCY, application_id=ids["application"]),
            until=lambda page: page["total"] >= 1,
            what=f"the return case of {ids['application']}",
            timeout=world.timeout,
            interval=0.5,
        )
        ids["return_case"] = case_id = listing["items"][0]["return_case_id"]
        world.state.count("return_cases")
        path = f"/return-cases/{case_id}"
        await world.call("returns", "PATCH", path, AGENCY, {"unit": case.unit})
        leaving = case.outcome == "departure"
        for number, held_on in enumerate(case.meetings, start=1):
            last = leaving and number == len(case.meetings)
            body: dict[str, Any] = {
                "request_id": world.request_id(case.key, f"meeting-{number}"),
                "meeting_number": number,
                "held_on": held_on.isoformat(),
                "language": geo.LANGUAGE.get(case.applicant.nationality, "en"),
                "interpreter_used": True,
                "stance": "willing_to_return" if leaving else "refuses",
                "is_last_meeting": last,
            }
            if last:
                answers = world.chance(case.key, "evaluation").choices(
                    ("yes", "partly", "no"), weights=(6, 3, 1), k=5
                )
                body["evaluation"] = dict(
                    zip(
                        ("informed_about_options", "understood_decision", "treated_with_respect",
                         "had_time_to_prepare", "return_humane_and_dignified"),
                        answers,
                        strict=True,
                    )
                )  # fmt: skip
            await world.post("returns", f"{path}/counselling", AGENCY, body)
            world.state.count("counselling_meetings")
        if case.travel_document is not None:
            requested, handled = case.travel_document
            await request_travel_document(
                world, case, requested.isoformat(), handled.isoformat(), "travel-document"
            )
        if case.outcome_on is None:
            return
        if leaving:
            await self._departure(world, case, path)
        elif case.grounds == "absconded":
            await world.post(
                "returns",
                f"{path}/absconding",
                AGENCY,
                {
                    "request_id": world.request_id(case.key, "absconding"),
                    "noticed_on": case.outcome_on.isoformat(),
                    "whereabouts_code": case.residence,
                    "last_known_address": address(case, (case.outcome_on - timedelta(days=5)).isoformat()),
                },
            )
            world.state.count("absconded")

    async def _departure(self, world: World, case: CasePlan, path: str) -> None:
        """Re-establishment support is applied for (and decided, within two weeks) before the
        departure closes the case."""
        assert case.outcome_on is not None
        applied = case.meetings[-1]
        if world.chance(case.key, "support").random() < world.year.parameters.support_application_share:
            application = await world.post(
                "returns",
                f"{path}/support-application",
                AGENCY,
                {"request_id": world.request_id(case.key, "support"), "arrived_on": applied.isoformat()},
            )
            world.state.count("support_applications")
            decided = applied + timedelta(days=world.chance(case.key, "support-days").randint(2, 20))
            if decided <= case.outcome_on:
                await world.post(
                    "returns",
                    f"{path}/support-decision",
                    AGENCY,
                    {
                        "request_id": world.request_id(case.key, "support-decision"),
                        "support_application_id": application["support_application_id"],
                        "decided_on": decided.isoformat(),
                        "granted": True,
                        "amount": 1000,
                        "currency": "EUR",
                    },
                )
        await world.post(
            "returns",
            f"{path}/departure",
            AGENCY,
            {
                "request_id": world.request_id(case.key, "departure"),
                "departed_on": case.outcome_on.isoformat(),
            },
        )
        world.state.count("voluntary_departures")
