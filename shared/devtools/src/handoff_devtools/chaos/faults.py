"""The faults of a chaos run: services SIGKILLed and restarted, the broker stopped and started
again on the same data and ports, and how long each takes to catch up.

After a fault, *caught up* means: the services it touched answer ready again, and every event
their outboxes held when the fault struck has been acknowledged by Kafka (the oldest row
still pending was written after the fault, or none is pending).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from handoff_devtools.chaos.cluster import Cluster


@dataclass(frozen=True)
class Fault:
    kind: str  # "kill" or "broker"
    service: str | None = None

    def __str__(self) -> str:
        return f"SIGKILL {self.service}" if self.kind == "kill" else "broker restart"


@dataclass
class FaultRecord:
    fault: Fault
    at_seconds: float
    catch_up_seconds: float | None

    def __str__(self) -> str:
        took = (
            "did not catch up"
            if self.catch_up_seconds is None
            else f"caught up in {self.catch_up_seconds:.1f}s"
        )
        return f"{self.fault} at {self.at_seconds:.0f}s: {took}"


def schedule(services: list[str], kills: int, broker_restarts: int, rng: random.Random) -> list[Fault]:
    faults = [Fault("kill", rng.choice(services)) for _ in range(kills)]
    faults += [Fault("broker") for _ in range(broker_restarts)]
    rng.shuffle(faults)
    return faults


async def caught_up(cluster: Cluster, client: httpx.AsyncClient, names: list[str], since: datetime) -> bool:
    for name in names:
        if not await cluster.ready(client, name):
            return False
        status = await cluster.status(client, name)
        if status is None:
            return False
        oldest = status["outbox"]["oldest_pending_at"]
        if oldest is not None and datetime.fromisoformat(oldest) < since:
            return False
    return True


async def strike(
    cluster: Cluster, client: httpx.AsyncClient, fault: Fault, rng: random.Random, timeout: float
) -> float | None:
    """Inflict ``fault``, bring the victim back, and answer the seconds until all caught up."""
    since = datetime.now(UTC)
    started = time.monotonic()
    if fault.kind == "kill":
        assert fault.service is not None
        victim = cluster.services[fault.service]
        victim.kill()
        await asyncio.sleep(rng.uniform(0.0, 1.0))
        victim.start()
        touched = [fault.service]
    else:
        await asyncio.to_thread(cluster.broker.stop)
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        await asyncio.to_thread(cluster.broker.start)
        touched = list(cluster.services)
    while time.monotonic() - started < timeout:
        if await caught_up(cluster, client, touched, since):
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    return None


async def run_faults(
    cluster: Cluster,
    client: httpx.AsyncClient,
    faults: list[Fault],
    *,
    rng: random.Random,
    gap_seconds: float,
    timeout: float,
    started: float,
    report: list[FaultRecord],
) -> None:
    """Each fault after a random pause (mean ``gap_seconds``), one at a time."""
    for fault in faults:
        await asyncio.sleep(rng.uniform(0.5 * gap_seconds, 1.5 * gap_seconds))
        at = time.monotonic() - started
        took = await strike(cluster, client, fault, rng, timeout)
        record = FaultRecord(fault, at, took)
        report.append(record)
        print(f"  fault {len(report)}: {record}", flush=True)
