"""Latency from a removal plan's commit at the Police to the notice readable at the monitor.

    uv run python benchmarks/notice_latency.py [--rates 100 1000] [--ramp 1500 2000 3000] [--seconds 5]

The monitor runs as its own process (python -m monitoring, SQLite, the real broker); the
Police side runs in this process and commits removal-plan-created events through its unit
of work and outbox at the offered rate, exactly the path a plan created over HTTP takes
after its validation. For each plan: commit time at the Police -> the notice's
``received_at`` in the monitor's database (its consumer stores it in the same transaction
as the acknowledgement). Each rate runs against a fresh monitor; after the given rates a
ramp of higher ones finds the highest the monitor sustains (every notice arrives, p99
under a second). Printed: offered and achieved rate, p50/p99 latency, and beside them the
raw round trip of one message through the same broker, measured in the same run.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import access, percentile, raw_round_trips

from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.helpers import read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.police import RemovalPlanCreatedV1
from handoff_schemas.topics import POLICE_REMOVAL_PLAN_V1
from police_handover.bootstrap import PoliceHandoverSettings, build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads(
    (ROOT / "shared/schemas/examples/handoff.police.removal-plan-created.v1.json").read_text()
)


def plan(index: int, departure: datetime) -> RemovalPlanCreatedV1:
    data = {**EXAMPLE["data"], "plan_id": f"PL-BENCH-{index:06d}", "return_case_id": f"RC-BENCH-{index:06d}"}
    data["planned_departure"] = departure.isoformat()
    return RemovalPlanCreatedV1.model_validate(data)


async def offer_load(
    kafka: KafkaAccess, prefix: str, tmp: Path, rate: float, count: int
) -> tuple[dict[str, float], float]:
    """Commit ``count`` plans at ``rate`` per second; returns commit wall times and the span."""
    settings = PoliceHandoverSettings(
        **kafka.settings("police-handover"),
        development_mode=True,
        kafka_topic_prefix=prefix,
        database_url=f"sqlite+aiosqlite:///{tmp / 'police.db'}",
        relay_poll_seconds=0.05,
    )
    runtime = build(settings)
    await runtime.start(consume=False)
    await asyncio.wait_for(runtime.kafka_connected.wait(), 60)
    departure = datetime.now(UTC) + timedelta(days=40)
    committed: dict[str, float] = {}
    started = time.perf_counter()
    try:
        index = 0
        while index < count:
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            # Every plan that is due by now goes in one transaction: at high rates the Police
            # side must not be the bottleneck (one SQLite commit waits for the disk, ~2-3 ms),
            # as many concurrent requests would share a commit on PostgreSQL.
            due = min(count, int((time.perf_counter() - started) * rate) + 1)
            events = [plan(i, departure) for i in range(index, max(due, index + 1))]
            async with runtime.uow() as uow:
                for event in events:
                    await uow.publish(event)
                await uow.commit()
            at = time.time()
            committed.update((event.plan_id, at) for event in events)
            index += len(events)
        span = time.perf_counter() - started
        while await _pending(runtime):
            await asyncio.sleep(0.1)
    finally:
        await runtime.stop()
    return committed, span


async def _pending(runtime) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    outbox = runtime.definition.outbox
    async with runtime.sessions() as session:
        return bool(await session.scalar(select(func.count()).where(outbox.c.published_at.is_(None))))


def notices(db: Path) -> dict[str, float]:
    try:
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT plan_id, received_at FROM notices").fetchall()
    except sqlite3.OperationalError:  # the monitor has not created its tables yet
        return {}
    return {plan_id: datetime.fromisoformat(str(at)).replace(tzinfo=UTC).timestamp() for plan_id, at in rows}


async def sent_times(kafka: KafkaAccess, topic: str, count: int) -> dict[str, float]:
    """When the Police's relay sent each plan: the records' timestamps (the producer's clock)."""
    records = await read_topic(kafka, topic, count=count, timeout=60)
    return {r.key.decode(): r.timestamp / 1000 for r in records if r.key}


@dataclass
class Run:
    offered: float
    committed_rate: float
    latencies: list[float]
    plans: int
    to_kafka: list[float]
    from_kafka: list[float]

    @property
    def sustained(self) -> bool:
        """The monitor kept up: every notice arrived, and the slowest within a second."""
        return len(self.latencies) == self.plans and percentile(self.latencies, 0.99) < 1.0


def one_rate(kafka: KafkaAccess, tmp: Path, rate: float, count: int, port: int) -> Run:
    """A fresh monitor process (own database, own topics) taking ``count`` plans at ``rate``/s."""
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    asyncio.run(kafka.grant(prefix))
    monitor_db = tmp / f"monitoring-{prefix}db"
    env = {
        **os.environ,
        **kafka.environment("monitoring"),
        "DEVELOPMENT_MODE": "true",
        "KAFKA_TOPIC_PREFIX": prefix,
        "DATABASE_URL": f"sqlite+aiosqlite:///{monitor_db}",
        "HTTP_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    monitor = subprocess.Popen([sys.executable, "-m", "monitoring"], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not monitor_db.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # the monitor's consumer joins its group
        committed, span = asyncio.run(offer_load(kafka, prefix, tmp, rate, count))
        deadline = time.monotonic() + 120
        seen: dict[str, float] = {}
        while time.monotonic() < deadline:
            seen = notices(monitor_db)
            if len(seen) >= len(committed):
                break
            time.sleep(0.5)
    finally:
        monitor.terminate()
        monitor.wait(30)
    latencies = [seen[p] - committed[p] for p in committed if p in seen]
    sent = asyncio.run(sent_times(kafka, prefix + POLICE_REMOVAL_PLAN_V1.name, len(committed)))
    to_kafka = [sent[p] - committed[p] for p in committed if p in sent]
    from_kafka = [seen[p] - sent[p] for p in committed if p in sent and p in seen]
    return Run(rate, len(committed) / span, latencies, count, to_kafka, from_kafka)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rates", type=float, nargs="+", default=[100, 1000], help="plans/s offered")
    parser.add_argument("--seconds", type=float, default=5, help="how long each rate is offered")
    parser.add_argument(
        "--ramp",
        type=float,
        nargs="*",
        default=[1500, 2000, 3000, 4000],
        help="higher rates tried in turn to find the highest the monitor sustains",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        broker = LocalKafka(tmp / "kafka")
        broker.start()
        kafka = access(broker)
        try:
            raw = asyncio.run(raw_round_trips(kafka))
            raw_p50 = percentile(raw, 0.5)
            print(
                f"baseline: raw round trip of one message through the broker p50 {raw_p50 * 1000:.1f} ms, "
                f"p99 {percentile(raw, 0.99) * 1000:.1f} ms",
                flush=True,
            )
            highest: Run | None = None
            for index, rate in enumerate([*args.rates, *args.ramp]):
                run = one_rate(kafka, tmp, rate, max(50, int(rate * args.seconds)), 28104 + index)
                report(run, raw_p50)
                if run.sustained and rate in args.ramp + args.rates:
                    highest = run if highest is None or run.offered > highest.offered else highest
                if rate in args.ramp and not run.sustained:
                    break
        finally:
            broker.stop()
    if highest is not None:
        print(f"highest rate sustained (every notice, p99 under 1 s): {highest.offered:.0f} plans/s")
    return 0


def report(run: Run, raw_p50: float) -> None:
    head = f"{run.offered:>6.0f} plans/s offered ({run.committed_rate:.0f}/s committed at the Police): "
    if not run.latencies:
        print(head + "no notice arrived at the monitor", flush=True)
        return
    p50, p99 = percentile(run.latencies, 0.5), percentile(run.latencies, 0.99)
    print(
        head + f"commit -> notice readable p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms "
        f"({len(run.latencies)}/{run.plans} notices; p50 = {p50 / raw_p50:.0f}x the raw round trip)",
        flush=True,
    )
    if run.to_kafka and run.from_kafka:
        print(
            " " * 8 + "of which commit -> sent by the Police's relay "
            f"p50 {percentile(run.to_kafka, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(run.to_kafka, 0.99) * 1000:.0f} ms; "
            f"sent -> notice readable p50 {percentile(run.from_kafka, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(run.from_kafka, 0.99) * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
