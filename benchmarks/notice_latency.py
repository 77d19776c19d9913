"""Latency from a removal plan's commit at the Police to the notice readable at the monitor.

    uv run python benchmarks/notice_latency.py [--rate 1000] [--plans 3000]   # make bench

The monitor runs as its own process (python -m monitoring, SQLite, the real broker); the
Police side runs in this process and commits removal-plan-created events through its unit
of work and outbox at the offered rate, exactly the path a plan created over HTTP takes
after its validation. For each plan: commit time at the Police -> the notice's
``received_at`` in the monitor's database (its consumer stores it in the same transaction
as the acknowledgement). Printed: offered and achieved rate, p50/p99 latency, and beside it
the raw round trip of one message through the same broker measured in the same run.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import access, percentile, raw_round_trips

from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.police import RemovalPlanCreatedV1
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
        for index in range(count):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            event = plan(index, departure)
            async with runtime.uow() as uow:
                await uow.publish(event)
                await uow.commit()
            committed[event.plan_id] = time.time()
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
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT plan_id, received_at FROM notices").fetchall()
    return {plan_id: datetime.fromisoformat(str(at)).replace(tzinfo=UTC).timestamp() for plan_id, at in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rate", type=float, default=1000.0, help="plans per second offered")
    parser.add_argument("--plans", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        broker = LocalKafka(tmp / "kafka")
        broker.start()
        kafka = access(broker)
        prefix = f"bench{uuid.uuid4().hex[:6]}."
        asyncio.run(kafka.grant(prefix))
        monitor_db = tmp / "monitoring.db"
        env = {
            **os.environ,
            **kafka.environment("monitoring"),
            "DEVELOPMENT_MODE": "true",
            "KAFKA_TOPIC_PREFIX": prefix,
            "DATABASE_URL": f"sqlite+aiosqlite:///{monitor_db}",
            "HTTP_PORT": "28104",
            "LOG_LEVEL": "WARNING",
        }
        monitor = subprocess.Popen([sys.executable, "-m", "monitoring"], env=env, cwd=ROOT)
        try:
            raw = asyncio.run(raw_round_trips(kafka))
            deadline = time.monotonic() + 60
            while not monitor_db.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(3)  # the monitor's consumer joins its group
            committed, span = asyncio.run(offer_load(kafka, prefix, tmp, args.rate, args.plans))
            deadline = time.monotonic() + 600
            seen: dict[str, float] = {}
            while time.monotonic() < deadline:
                seen = notices(monitor_db)
                if len(seen) >= len(committed):
                    break
                time.sleep(0.5)
        finally:
            monitor.terminate()
            monitor.wait(30)
            broker.stop()
    latencies = [seen[p] - committed[p] for p in committed if p in seen]
    raw_p50 = percentile(raw, 0.5)
    print(
        f"baseline: raw round trip of one message through the broker p50 {raw_p50 * 1000:.1f} ms, "
        f"p99 {percentile(raw, 0.99) * 1000:.1f} ms"
    )
    print(
        f"load: {args.plans} plans offered at {args.rate:.0f}/s, committed at {len(committed) / span:.0f}/s"
    )
    if not latencies:
        print("no notice arrived at the monitor")
        return 1
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(
        f"plan commit -> notice readable at the monitor: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms "
        f"({len(latencies)}/{len(committed)} notices; p50 = {p50 / raw_p50:.0f}x the raw round trip)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
