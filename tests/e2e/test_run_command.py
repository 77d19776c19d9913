"""The README's run command: five service processes on their embedded defaults (SQLite),
an event posted to intake's API consumed by returns through the real broker, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from handoff_devtools.testing.helpers import auth, eventually, free_port_block, port_free

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


async def test_run_command_brings_up_five_services_that_talk_through_kafka(
    kafka, topic_prefix, tmp_path
) -> None:
    base = free_port_block(5)
    await kafka.grant(topic_prefix)
    env = {**os.environ, **kafka.environment(), "KAFKA_TOPIC_PREFIX": topic_prefix}
    env.pop("DATABASE_URL", None)
    suite = subprocess.Popen(
        [sys.executable, "tools/run_suite.py", "--base-port", str(base), "--var", str(tmp_path / "var")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines: list[str] = []
        while not any("Stop with Ctrl-C" in line for line in lines):
            line = await asyncio.to_thread(suite.stdout.readline)  # type: ignore[union-attr]
            assert line, f"the suite stopped before it was ready: {''.join(lines)}"
            lines.append(line)
        printed = "".join(lines)
        for offset, name in enumerate(["intake", "returns", "police-handover", "monitoring", "resettlement"]):
            assert f"{name}" in printed
            assert f"http://127.0.0.1:{base + offset}/docs" in printed

        async with httpx.AsyncClient(timeout=10) as client:
            for offset in range(5):
                docs = await client.get(f"http://127.0.0.1:{base + offset}/openapi.json")
                assert docs.status_code == 200
            created = await client.post(
                f"http://127.0.0.1:{base}/applications",
                headers=auth("agency"),
                json={
                    "applicant": {"full_name": "R Un", "date_of_birth": "1980-05-05", "nationality": "ERI"},
                    "lodged_on": "2026-11-01",
                },
            )
            assert created.status_code == 201, created.text
            application_id = created.json()["application_id"]

            async def at_returns() -> httpx.Response:
                return await client.get(
                    f"http://127.0.0.1:{base + 1}/applications/{application_id}", headers=auth("agency")
                )

            seen = await eventually(at_returns, until=lambda r: r.status_code == 200)
            assert seen.json()["person_ref"] == created.json()["person_ref"]
        assert sorted(p.name for p in (tmp_path / "var").glob("*.db")) == [
            "intake.db", "monitoring.db", "police-handover.db", "resettlement.db", "returns.db",
        ]  # fmt: skip
    finally:
        suite.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(suite.wait, 60)
    assert code == 0
    assert all(port_free(base + i) for i in range(5)), "a service outlived the suite"
