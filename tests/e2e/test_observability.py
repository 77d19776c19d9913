"""`make observe` as an operator uses it: the suite as five processes, Zipkin and Prometheus on
this machine. One case goes from the agency to the monitor through the real broker; then the
case's traces are found through Zipkin's own query API, with the spans of every service they
crossed, and Prometheus scrapes every service and has the alert rules loaded.

One trace cannot run from the agency's first request to the monitor's notice: the removal
plan that the notice is about is created by a separate request of the Police. So the case
is followed through its hand-offs, each a trace that starts at a person's HTTP request:
the application (intake -> returns, the Police, resettlement), the handover (returns -> the
Police -> the monitor, which learns the responsible department) and the removal plan (the
Police -> the monitor's notice -> its acknowledgement back at the Police).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from handoff_devtools.testing.fixtures import require_tool
from handoff_devtools.testing.helpers import auth, eventually, free_port_block
from handoff_devtools.testing.kafka import KafkaAccess

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
MONITOR = auth("monitor")
SERVICES = ["intake", "returns", "police-handover", "monitoring", "resettlement"]


async def traces_keyed_by(zipkin: httpx.AsyncClient, key: str) -> list[list[dict[str, Any]]]:
    """Traces holding a message published with Kafka key ``key`` (the case's aggregate id)."""
    response = await zipkin.get(
        "/api/v2/traces",
        params={"annotationQuery": f"messaging.kafka.message.key={key}", "limit": 50, "lookback": 3_600_000},
    )
    assert response.status_code == 200, response.text
    traces: list[list[dict[str, Any]]] = response.json()
    return traces


def started_by(traces: list[list[dict[str, Any]]], service: str, request: str) -> list[dict[str, Any]] | None:
    """The trace whose root span is ``service``'s handling of the HTTP request ``request``."""
    for spans in traces:
        roots = [s for s in spans if "parentId" not in s]
        if [(r["localEndpoint"]["serviceName"], r["kind"], r["name"]) for r in roots] == [
            (service, "SERVER", request.lower())
        ]:
            return spans
    return None


def services_in(spans: list[dict[str, Any]]) -> set[str]:
    return {span["localEndpoint"]["serviceName"] for span in spans}


def consumed_by(spans: list[dict[str, Any]], service: str, topic_suffix: str) -> bool:
    return any(
        span["localEndpoint"]["serviceName"] == service
        and span.get("kind") == "CONSUMER"
        and span.get("tags", {}).get("messaging.destination.name", "").endswith(topic_suffix)
        for span in spans
    )


async def test_one_case_in_zipkin_and_every_service_in_prometheus(
    kafka: KafkaAccess, topic_prefix: str, tmp_path: Path, hand_over, plan_removal
) -> None:
    require_tool("prometheus")
    base = free_port_block(7)
    zipkin_port, prometheus_port = base + 5, base + 6
    await kafka.grant(topic_prefix)
    env = {**os.environ, **kafka.environment(), "KAFKA_TOPIC_PREFIX": topic_prefix}
    env.pop("DATABASE_URL", None)
    ports = [
        "--base-port",
        str(base),
        "--zipkin-port",
        str(zipkin_port),
        "--prometheus-port",
        str(prometheus_port),
    ]
    stack = subprocess.Popen(
        [sys.executable, "tools/observe.py", *ports, "--scrape-interval=1s", f"--var={tmp_path / 'var'}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        lines: list[str] = []
        while not any("Stop with Ctrl-C" in line for line in lines):
            line = await asyncio.wait_for(asyncio.to_thread(stack.stdout.readline), 300)  # type: ignore[union-attr]
            assert line, f"the stack stopped before it was ready: {''.join(lines)}"
            lines.append(line)
        printed = "".join(lines)
        assert f"http://127.0.0.1:{zipkin_port}/zipkin/" in printed
        assert f"http://127.0.0.1:{prometheus_port}/targets" in printed

        def client(port: int) -> httpx.AsyncClient:
            return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)

        intake, returns, police, monitor = (client(base + i) for i in range(4))
        zipkin, prometheus = client(zipkin_port), client(prometheus_port)
        async with intake, returns, police, monitor, zipkin, prometheus:
            application_id, case_id = await hand_over(intake, returns)
            _, plan = await plan_removal(
                police, case_id, request_id="observe-plan", departure="2027-06-01T08:00:00+00:00"
            )
            plan_id = plan["plan_id"]
            await eventually(
                lambda: monitor.get("/notices", headers=MONITOR), until=lambda r: r.json()["total"] == 1
            )

            # The case's traces, found in the backend by the case's ids (spans are batched:
            # poll until each trace holds every service it crossed).
            async def trace(key: str, service: str, request: str, wanted: set[str]) -> list[dict[str, Any]]:
                async def found() -> list[dict[str, Any]] | None:
                    return started_by(await traces_keyed_by(zipkin, key), service, request)

                spans = await eventually(
                    found, until=lambda s: s is not None and services_in(s) >= wanted, timeout=60, interval=1
                )
                assert spans is not None
                return spans

            application = await trace(
                application_id,
                "intake",
                "POST /applications",
                {"intake", "returns", "police-handover", "resettlement"},
            )
            assert consumed_by(application, "returns", "handoff.intake.application.v1")
            handed_over = await trace(
                case_id,
                "returns",
                "POST /return-cases/{return_case_id}/handover",
                {"returns", "police-handover", "monitoring"},
            )
            assert consumed_by(handed_over, "police-handover", "handoff.returns.handover.v1")
            assert consumed_by(handed_over, "monitoring", "handoff.police.enforcement-case.v1")
            planned = await trace(
                plan_id, "police-handover", "POST /removal-plans", {"police-handover", "monitoring"}
            )
            assert consumed_by(planned, "monitoring", "handoff.police.removal-plan.v1")  # the notice
            assert consumed_by(
                planned, "police-handover", "handoff.monitoring.notice.v1"
            )  # its acknowledgement
            assert services_in(application) | services_in(handed_over) | services_in(planned) == set(SERVICES)

            # Prometheus scrapes all five and evaluates the rules.
            async def targets() -> dict[str, str]:
                active = (await prometheus.get("/api/v1/targets")).json()["data"]["activeTargets"]
                return {t["labels"]["service"]: t["health"] for t in active}

            assert await eventually(
                targets, until=lambda t: t == dict.fromkeys(SERVICES, "up"), timeout=60, interval=1
            )

            async def processed_at_the_monitor() -> list[dict[str, Any]]:
                query = 'sum(handoff_consumer_records_total{service="monitoring", outcome="processed"})'
                return (await prometheus.get("/api/v1/query", params={"query": query})).json()["data"][
                    "result"
                ]

            result = await eventually(
                processed_at_the_monitor, until=lambda r: r and float(r[0]["value"][1]) >= 2, timeout=60
            )
            assert float(result[0]["value"][1]) >= 2  # the enforcement case and the plan
            groups = (await prometheus.get("/api/v1/rules")).json()["data"]["groups"]
            rules = {rule["name"]: rule["health"] for group in groups for rule in group["rules"]}
            assert "HandoffServiceDown" in rules
            assert "HandoffNoticeMissing" in rules
            assert set(rules.values()) <= {"ok", "unknown"}, rules
    finally:
        stack.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(stack.wait, 90)
    assert code == 0
