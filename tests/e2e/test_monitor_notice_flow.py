"""Issue 5's headline flow on the real broker, four services through their HTTP APIs:
application -> refusal -> enforceable -> return case -> absconded -> handover accepted ->
removal plan created at the Police -> notice stored and acknowledged at the monitor,
pushed to the ombudsman's webhook, and the acknowledgement visible on the Police's plan;
the Police's HTTP request and the monitor's handling of it are one trace."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from opentelemetry.trace import SpanKind
from standardwebhooks import Webhook

from handoff_devtools.testing.helpers import auth, eventually, read_topic
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from monitoring.bootstrap import MonitoringSettings
from monitoring.bootstrap import build as build_monitoring
from police_handover.bootstrap import PoliceHandoverSettings
from police_handover.bootstrap import build as build_police
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]
POLICE, MONITOR = auth("police"), auth("monitor")
SECRET = "whsec_dGhlLW9tYnVkc21hbnMtd2ViaG9vay1zZWNyZXQ="
PERSONAL = (b"Testi Flowperson", b"1994-02-03", b"FLOW12345", b"Testgatan")


@pytest.fixture
async def ombudsman() -> AsyncIterator[tuple[int, list[tuple[dict[str, str], bytes]]]]:
    """The ombudsman's own system: a tiny HTTP receiver on 127.0.0.1."""
    received: list[tuple[dict[str, str], bytes]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)
        }
        received.append((headers, await reader.readexactly(int(headers.get("content-length", "0")))))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], received


async def test_a_planned_removal_reaches_the_monitor_in_time_and_in_one_trace(
    service, kafka, topic_prefix, hand_over, plan_removal, ombudsman, spans
) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)
    _, police = await service(build_police, PoliceHandoverSettings)
    _, monitor = await service(build_monitoring, MonitoringSettings)
    port, pushed = ombudsman
    hook = await monitor.post(
        "/webhooks",
        headers=MONITOR,
        json={"request_id": "e2e-hook", "url": f"http://127.0.0.1:{port}/notices", "secret": SECRET},
    )
    assert hook.status_code == 201, hook.text

    _, case_id = await hand_over(intake, returns)

    departure = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    _, plan = await plan_removal(police, case_id, request_id="e2e-plan", departure=departure.isoformat())
    plan_id = plan["plan_id"]
    returned = await eventually(
        lambda: returns.get(f"/return-cases/{case_id}", headers=auth("agency")),
        until=lambda r: r.json()["status"] != "open",
    )
    assert "handed_over" in json.dumps(returned.json())

    async def notices() -> dict:
        return (await monitor.get("/notices", headers=MONITOR)).json()

    listing = await eventually(notices, until=lambda page: page["total"] == 1)
    notice = listing["items"][0]
    assert notice["plan_id"] == plan_id
    notice_text = json.dumps(listing)
    assert all(value.decode() not in notice_text for value in PERSONAL)

    [ack] = await read_topic(kafka, topic_prefix + "handoff.monitoring.notice.v1", count=1)
    assert json.loads(ack.value)["plan_id"] == plan_id
    plan = await eventually(
        lambda: police.get(f"/removal-plans/{plan_id}", headers=POLICE),
        until=lambda r: (r.json().get("monitoring") or {}).get("acknowledged_at") is not None,
    )
    assert plan.json()["monitoring"]["notice_id"] == notice["notice_id"]

    await eventually(lambda: _count(pushed), until=lambda n: n >= 1)
    headers, body = pushed[0]
    Webhook(SECRET).verify(body, headers)  # Standard Webhooks: signature and timestamp
    assert plan_id in body.decode()
    assert all(value not in body for value in PERSONAL)

    [plan_event] = await read_topic(kafka, topic_prefix + "handoff.police.removal-plan.v1", count=1)
    assert all(value not in plan_event.value for value in PERSONAL)

    finished = spans.get_finished_spans()
    request = next(
        s for s in finished if s.kind == SpanKind.SERVER and s.name.startswith("POST /removal-plans")
    )
    handled = [
        s
        for s in finished
        if s.kind == SpanKind.CONSUMER
        and ".monitoring" in str(s.attributes.get("messaging.consumer.group.name", ""))
        and str(s.attributes.get("messaging.destination.name", "")).endswith("handoff.police.removal-plan.v1")
    ]
    assert handled, "the monitor's handling of the plan left no span"
    assert {s.context.trace_id for s in handled} == {request.context.trace_id}


async def _count(items: list) -> int:
    return len(items)
