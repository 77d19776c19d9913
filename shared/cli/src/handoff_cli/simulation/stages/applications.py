"""The Agency's intake: applications registered, decided, and refusals made enforceable."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import timedelta

from handoff_cli.simulation.caseload import CasePlan
from handoff_cli.simulation.world import AGENCY, World


class Applications:
    name, title = "applications", "applications registered"

    def items(self, world: World) -> Sequence[CasePlan]:
        return world.cases

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        person = case.applicant
        documents = []
        if person.passport_expires_on is not None:
            documents.append(
                {
                    "kind": "passport",
                    "number": f"P{zlib.crc32(f'{world.state.run}{case.key}'.encode()) % 10**8:08d}",
                    "issuing_country": person.nationality,
                    "expires_on": person.passport_expires_on.isoformat(),
                }
            )
        answer = await world.post(
            "intake",
            "/applications",
            AGENCY,
            {
                "request_id": world.request_id(case.key, "application"),
                "applicant": {
                    "full_name": person.full_name,
                    "date_of_birth": person.date_of_birth.isoformat(),
                    "nationality": person.nationality,
                    "sex": person.sex,
                },
                "lodged_on": case.lodged_on.isoformat(),
                "eurodac_hit": case.dublin,
                "identity_documents": documents,
                "vulnerabilities": list(person.vulnerabilities),
            },
        )
        world.state.of(case.key)["application"] = answer["application_id"]
        world.state.count("applications")
        world.state.count("dublin_cases", answer["dublin_case"])


class Decisions:
    name, title = "decisions", "decisions (and legal force)"

    def items(self, world: World) -> Sequence[CasePlan]:
        return [c for c in world.cases if c.decided_on is not None and "application" in world.state.of(c.key)]

    def key(self, item: CasePlan) -> str:
        return item.key

    async def take(self, world: World, case: CasePlan) -> None:
        assert case.decided_on is not None
        application = world.state.of(case.key)["application"]
        path = f"/applications/{application}"
        if case.granted:
            assert case.household is not None
            size, needs_place, needs = case.household
            await world.post(
                "intake",
                f"{path}/decision",
                AGENCY,
                {
                    "request_id": world.request_id(case.key, "decision"),
                    "decided_on": case.decided_on.isoformat(),
                    "outcome": "granted",
                    "permit_type": "permanent",
                    "valid_from": case.decided_on.isoformat(),
                    "household": {
                        "size": size,
                        "age_bands": ["26_64"] + ["under_12"] * (size - 1),
                        "needs_municipal_place": needs_place,
                        "special_needs": list(needs),
                    },
                },
            )
            world.state.count("granted")
            world.state.count("permit_holders_needing_place", needs_place)
            return
        await world.post(
            "intake",
            f"{path}/decision",
            AGENCY,
            {
                "request_id": world.request_id(case.key, "decision"),
                "decided_on": case.decided_on.isoformat(),
                "outcome": "refused",
                "removal_order": "refusal_of_entry" if case.dublin else "expulsion",
                "destination_country": case.destination,
                "immediate_enforcement": case.dublin,
            },
        )
        world.state.count("refused")
        if case.dublin:
            await world.post(
                "intake", f"{path}/dublin-transfer", AGENCY, {"accepted_on": case.decided_on.isoformat()}
            )
        if case.enforceable_on is None:
            return
        await world.post(
            "intake",
            f"{path}/enforceability",
            AGENCY,
            {"enforceable_on": case.enforceable_on.isoformat(), "appeal_waived": case.appeal_waived},
        )
        world.state.count("enforceable")
        if case.inhibition is not None:
            ordered, lifted = case.inhibition
            inhibition = await world.post(
                "intake",
                f"{path}/inhibitions",
                AGENCY,
                {
                    "request_id": world.request_id(case.key, "inhibition"),
                    "court": "Migrationsdomstolen",
                    "ordered_on": ordered.isoformat(),
                },
            )
            world.state.count("inhibitions")
            if lifted is not None:
                await world.post(
                    "intake",
                    f"{path}/inhibitions/{inhibition['inhibition_id']}/lift",
                    AGENCY,
                    {"lifted_on": max(lifted, ordered + timedelta(days=1)).isoformat()},
                )
