"""One case's journey through the chain, over the services' public HTTP APIs, as the
authorities' systems would drive it, surviving any service or the broker being away.

A refusal: intake registers the application, refuses it and records it enforceable; returns
opens the return case from intake's events, records counselling and absconding and hands the
case over; the Police accept the handover from returns' event and plan the removal; the
monitor gets the plan's notice. A grant (one case in five): intake grants a permit whose
household needs a municipal place, and resettlement opens a waiting case from intake's event.

Every POST carries a ``request_id`` (or is guarded by the state it changes), so a request
repeated after a connection was cut by a SIGKILL changes nothing twice. What an edge
answered 200/201 to is *accepted* and recorded in :class:`Accepted`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from handoff_devtools.chaos.cluster import Cluster, bearer

AGENCY, POLICE = bearer("agency"), bearer("police")
RETRYABLE = (httpx.TransportError,)


class JourneyFailed(RuntimeError):
    """An edge refused what it should have taken, or never answered within the deadline."""


@dataclass
class Accepted:
    """What the edges accepted: the ids each downstream service must account for once."""

    refused: list[str] = field(default_factory=list)  # application ids
    granted: list[str] = field(default_factory=list)
    handovers: list[str] = field(default_factory=list)  # return case ids
    plans: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass
class Journeys:
    cluster: Cluster
    client: httpx.AsyncClient
    run: str
    accepted: Accepted
    deadline_seconds: float = 600.0
    today: date = field(default_factory=lambda: datetime.now(UTC).date())

    def url(self, service: str, path: str) -> str:
        return f"{self.cluster.services[service].url}{path}"

    async def call(
        self,
        method: str,
        service: str,
        path: str,
        *,
        headers: dict[str, str],
        body: Any = None,
        params: dict[str, Any] | None = None,
        accept: tuple[int, ...] = (200, 201),
    ) -> httpx.Response:
        """The request, repeated while the service is away (connection refused or cut)."""
        deadline = time.monotonic() + self.deadline_seconds
        delay = 0.1
        while True:
            try:
                answer = await self.client.request(
                    method, self.url(service, path), headers=headers, json=body, params=params, timeout=30
                )
            except RETRYABLE:
                answer = None
            if answer is not None and answer.status_code in accept:
                return answer
            if answer is not None and answer.status_code < 500:
                raise JourneyFailed(f"{method} {service}{path}: {answer.status_code} {answer.text[:300]}")
            if time.monotonic() > deadline:
                raise JourneyFailed(f"{method} {service}{path}: no answer in {self.deadline_seconds:.0f}s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def until(self, what: str, probe: Callable[[], Awaitable[Any]]) -> Any:
        """Poll ``probe`` until it gives something (the eventual step of another service)."""
        deadline = time.monotonic() + self.deadline_seconds
        while True:
            found = await probe()
            if found:
                return found
            if time.monotonic() > deadline:
                raise JourneyFailed(f"{what}: not seen in {self.deadline_seconds:.0f}s")
            await asyncio.sleep(0.25)

    async def one(self, number: int) -> None:
        key = f"{self.run}-{number}"
        try:
            if number % 5 == 4:
                await self.grant(key)
            else:
                await self.refusal(key)
        except JourneyFailed as failure:
            self.accepted.failed.append(f"case {key}: {failure}")

    # ------------------------------------------------------------------ the two journeys

    async def register(self, key: str) -> str:
        body = {
            "request_id": f"{key}-app",
            "applicant": {
                "full_name": "Kaos Testperson",
                "date_of_birth": "1990-05-06",
                "nationality": "IRQ",
            },
            "lodged_on": (self.today - timedelta(days=200)).isoformat(),
            "identity_documents": [{"kind": "passport", "number": f"P{key}"[:64], "issuing_country": "IRQ"}],
            "vulnerabilities": [],
        }
        answer = await self.call("POST", "intake", "/applications", headers=AGENCY, body=body)
        application_id: str = answer.json()["application_id"]
        return application_id

    async def grant(self, key: str) -> None:
        application_id = await self.register(key)
        household = {"size": 2, "age_bands": ["26_64", "under_12"], "needs_municipal_place": True}
        decision = {
            "request_id": f"{key}-grant",
            "decided_on": (self.today - timedelta(days=30)).isoformat(),
            "outcome": "granted",
            "permit_type": "permanent",
            "household": household,
        }
        await self.call(
            "POST", "intake", f"/applications/{application_id}/decision", headers=AGENCY, body=decision
        )
        self.accepted.granted.append(application_id)

    async def refusal(self, key: str) -> None:
        application_id = await self.register(key)
        decided_on = self.today - timedelta(days=90)
        decision = {
            "request_id": f"{key}-refusal",
            "decided_on": decided_on.isoformat(),
            "outcome": "refused",
            "removal_order": "expulsion",
            "destination_country": "IRQ",
        }
        path = f"/applications/{application_id}"
        decided = await self.call("POST", "intake", f"{path}/decision", headers=AGENCY, body=decision)
        enforceable_on = date.fromisoformat(decided.json()["decision"]["earliest_enforceable_on"])
        await self.enforce(path, enforceable_on)
        self.accepted.refused.append(application_id)
        case_id = await self.return_case(application_id)
        await self.counsel_and_hand_over(key, case_id, enforceable_on)
        self.accepted.handovers.append(case_id)
        enforcement_case_id = await self.accepted_handover(case_id)
        plan = {
            "request_id": f"{key}-plan",
            "enforcement_case_id": enforcement_case_id,
            "readmission_basis": "bilateral_readmission_agreement",
            "transport": "scheduled_flight",
            "escort_level": "escorted_to_destination",
            "planned_departure": (datetime.now(UTC) + timedelta(days=40)).isoformat(),
        }
        created = await self.call("POST", "police-handover", "/removal-plans", headers=POLICE, body=plan)
        self.accepted.plans.append(created.json()["plan_id"])

    async def enforce(self, path: str, enforceable_on: date) -> None:
        """Guarded by the application's state: a repeat after a lost answer is a 409, so the
        application itself says whether the first one took."""
        body = {"enforceable_on": enforceable_on.isoformat()}
        answer = await self.call(
            "POST", "intake", f"{path}/enforceability", headers=AGENCY, body=body, accept=(200, 409)
        )
        if answer.status_code == 409:
            current = await self.call("GET", "intake", path, headers=AGENCY)
            if current.json()["decision"]["enforceable_on"] is None:
                raise JourneyFailed(f"{path}/enforceability: {answer.text[:300]}")

    async def return_case(self, application_id: str) -> str:
        async def opened() -> str | None:
            params = {"application_id": application_id}
            page = (await self.call("GET", "returns", "/return-cases", headers=AGENCY, params=params)).json()
            return str(page["items"][0]["return_case_id"]) if page["total"] else None

        found: str = await self.until(f"return case of {application_id}", opened)
        return found

    async def counsel_and_hand_over(self, key: str, case_id: str, enforceable_on: date) -> None:
        base = f"/return-cases/{case_id}"
        meeting = {
            "request_id": f"{key}-c1",
            "meeting_number": 1,
            "held_on": (enforceable_on + timedelta(days=3)).isoformat(),
            "language": "ar",
            "interpreter_used": True,
            "stance": "refuses",
        }
        await self.call("POST", "returns", f"{base}/counselling", headers=AGENCY, body=meeting)
        absconded = {
            "request_id": f"{key}-abs",
            "noticed_on": (enforceable_on + timedelta(days=10)).isoformat(),
            "whereabouts_code": "1280",
            "last_known_address": {
                "street_address": "Testgatan 1",
                "postal_code": "21100",
                "municipality_code": "1280",
                "known_on": (enforceable_on + timedelta(days=5)).isoformat(),
            },
        }
        await self.call("POST", "returns", f"{base}/absconding", headers=AGENCY, body=absconded)

        async def handed_over() -> bool:
            body = {"request_id": f"{key}-handover", "grounds": "absconded"}
            answer = await self.call(
                "POST", "returns", f"{base}/handover", headers=AGENCY, body=body, accept=(200, 201, 409)
            )
            return answer.status_code != 409  # 409: the identity from intake not learned yet

        await self.until(f"handover of {case_id}", handed_over)

    async def accepted_handover(self, case_id: str) -> str:
        async def accepted() -> str | None:
            params = {"return_case_id": case_id}
            page = (
                await self.call("GET", "police-handover", "/handovers", headers=POLICE, params=params)
            ).json()
            if not page["total"]:
                return None
            handover = page["items"][0]
            if handover["outcome"] != "accepted":
                raise JourneyFailed(f"handover of {case_id} {handover['outcome']}: {handover}")
            return str(handover["enforcement_case_id"])

        found: str = await self.until(f"the Police's answer to {case_id}", accepted)
        return found
