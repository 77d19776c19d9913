"""What the chain made of what its edges accepted, read back over the services' own APIs.

* every accepted application is known at returns once, and each refused one has exactly one
  return case there;
* every handover returns accepted reached the Police once;
* every removal plan the Police accepted has exactly one notice at the monitor;
* every permit whose household needs a place has exactly one waiting case at resettlement.

``lost`` counts what is missing, ``doubled`` what came more than once, ``stuck`` the rows
still pending or parked in any outbox and the dead letters not re-driven.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from handoff_devtools.chaos.cluster import Cluster, bearer
from handoff_devtools.chaos.journeys import Accepted

PAGE = 500


@dataclass
class Tally:
    lost: int = 0
    doubled: int = 0
    stuck: int = 0
    published: int = 0
    consumed: int = 0
    lines: list[str] = field(default_factory=list)

    def count(self, what: str, expected: Iterable[str], seen: Counter[str]) -> None:
        wanted = list(expected)
        missing = [key for key in wanted if seen[key] == 0]
        extra = sum(seen[key] - 1 for key in wanted if seen[key] > 1)
        self.lost += len(missing)
        self.doubled += extra
        self.lines.append(f"{what}: {len(wanted) - len(missing)} of {len(wanted)}, {extra} doubled")


async def listing(
    cluster: Cluster, client: httpx.AsyncClient, service: str, path: str, role: str, key: str
) -> Counter[str]:
    """How often each ``key`` appears over every page of a listing."""
    seen: Counter[str] = Counter()
    offset = 0
    while True:
        answer = await client.get(
            f"{cluster.services[service].url}{path}",
            params={"limit": PAGE, "offset": offset},
            headers=bearer(role),
            timeout=60,
        )
        answer.raise_for_status()
        page: dict[str, Any] = answer.json()
        seen.update(str(item[key]) for item in page["items"])
        offset += PAGE
        if offset >= page["total"]:
            return seen


async def known_at_returns(cluster: Cluster, client: httpx.AsyncClient, ids: list[str]) -> Counter[str]:
    seen: Counter[str] = Counter()
    for application_id in ids:
        answer = await client.get(
            f"{cluster.services['returns'].url}/applications/{application_id}", headers=bearer("agency")
        )
        seen[application_id] = 1 if answer.status_code == 200 else 0
    return seen


async def account(cluster: Cluster, client: httpx.AsyncClient, accepted: Accepted) -> Tally:
    tally = Tally()
    cases = await listing(cluster, client, "returns", "/return-cases", "agency", "application_id")
    granted_known = await known_at_returns(cluster, client, accepted.granted)
    tally.count("applications at returns", accepted.refused + accepted.granted, cases + granted_known)
    handovers = await listing(cluster, client, "police-handover", "/handovers", "police", "return_case_id")
    tally.count("handovers at the Police", accepted.handovers, handovers)
    notices = await listing(cluster, client, "monitoring", "/notices", "monitor", "plan_id")
    tally.count("plans' notices at the monitor", accepted.plans, notices)
    waiting = await listing(cluster, client, "resettlement", "/cases", "agency", "application_id")
    tally.count("permits at resettlement", accepted.granted, waiting)
    for name in cluster.services:
        status = await cluster.status(client, name)
        if status is None:
            tally.stuck += 1  # a service that does not answer holds whatever it holds
            continue
        outbox = status["outbox"]
        tally.stuck += outbox["pending"] + outbox["parked"] + status["dead_letters"]
        tally.published += outbox["published"]
        tally.consumed += sum(row["count"] for row in status["inbox"] if row["outcome"] == "processed")
    return tally
