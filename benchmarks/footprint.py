"""Footprint and hand-off latency of the suite, printed as figures (never asserted).

    uv run python benchmarks/footprint.py        # what `make bench` runs

1. Starts a fresh local Kafka broker from the jars: start-up time, resident memory at rest.
2. Baseline: the raw round trip of one message through that broker (produce, acks=all,
   consumed by a waiting consumer), p50/p99 over many messages.
3. Starts the five services (tools/run_suite.py, SQLite) on it: resident memory of each at
   rest, and the hand-off latency from intake's HTTP 201 to the application being readable
   at returns, p50/p99, also as a ratio of the raw round trip measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import ROUND_TRIPS, access, percentile, raw_round_trips, rss_mib

from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.helpers import auth

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ["intake", "returns", "police_handover", "monitoring", "resettlement"]
HANDOFFS = 100


def service_pids() -> dict[str, int]:
    pids: dict[str, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(cmd) >= 3 and cmd[1] == b"-m" and cmd[2].decode() in SERVICES:
            pids[cmd[2].decode()] = int(proc.name)
    return pids


async def handoffs(base: int) -> list[float]:
    samples = []
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(HANDOFFS):
            started = time.perf_counter()
            created = await client.post(
                f"http://127.0.0.1:{base}/applications",
                headers=auth("agency"),
                json={
                    "applicant": {
                        "full_name": f"Bench {chr(ord('a') + i % 26)}{chr(ord('a') + i // 26 % 26)}",
                        "date_of_birth": "1990-01-01",
                        "nationality": "SYR",
                    },
                    "lodged_on": "2026-11-01",
                },
            )
            if created.status_code != 201:
                raise SystemExit(f"intake refused the application: {created.status_code} {created.text}")
            application_id = created.json()["application_id"]
            while (
                await client.get(
                    f"http://127.0.0.1:{base + 1}/applications/{application_id}", headers=auth("agency")
                )
            ).status_code != 200:
                await asyncio.sleep(0.02)
            samples.append(time.perf_counter() - started)
    return samples


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        broker = LocalKafka(Path(tmp) / "kafka")
        broker.start()
        kafka = access(broker)
        try:
            time.sleep(5)
            print(
                f"broker: Kafka started in {broker.startup_seconds:.2f}s; "
                f"RSS at rest {broker.rss_bytes() / 2**20:.0f} MiB"
            )
            raw = asyncio.run(raw_round_trips(kafka))
            print(
                f"baseline: raw round trip through the broker p50 {percentile(raw, 0.5) * 1000:.1f} ms, "
                f"p99 {percentile(raw, 0.99) * 1000:.1f} ms ({ROUND_TRIPS} messages)"
            )
            base = 28001
            env = {**os.environ, **kafka.environment(), "LOG_LEVEL": "WARNING"}
            suite = subprocess.Popen(
                [sys.executable, "tools/run_suite.py", "--base-port", str(base), "--var", f"{tmp}/var"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                for line in suite.stdout:  # type: ignore[union-attr]
                    if "Stop with Ctrl-C" in line:
                        break
                time.sleep(5)
                for name, pid in sorted(service_pids().items()):
                    print(f"service: {name:<16} RSS at rest {rss_mib(pid):.0f} MiB")
                latency = asyncio.run(handoffs(base))
                p50, p99 = percentile(latency, 0.5), percentile(latency, 0.99)
                print(
                    f"hand-off intake HTTP -> returns readable: p50 {p50 * 1000:.1f} ms, "
                    f"p99 {p99 * 1000:.1f} ms ({HANDOFFS} applications); "
                    f"p50 = {p50 / statistics.median(raw):.1f}x the raw round trip"
                )
            finally:
                suite.send_signal(signal.SIGTERM)
                suite.wait(60)
        finally:
            broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
