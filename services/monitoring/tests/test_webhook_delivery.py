"""Push delivery to the monitor's own systems: a receiver on 127.0.0.1 that first fails, then recovers.

Nothing is lost while it fails: every notice arrives once it answers again, in order per
plan, and every body carries a valid HMAC-SHA256 signature under the subscription's secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, eventually
from handoff_devtools.testing.metrics import scrape
from monitoring.domain.webhook import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature_matches

pytestmark = [pytest.mark.db, pytest.mark.kafka]
MONITOR = auth("monitor")
SECRET = "a-shared-secret-of-the-ombudsman-0123456789"


@dataclass
class Receiver:
    """A tiny HTTP/1.1 server: answers 500 to the first ``failures`` requests, then 200."""

    failures: int
    received: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            status = 500 if len(self.received) < self.failures else 200
            self.received.append((headers, body, status))
            reason = b"OK" if status == 200 else b"Internal Server Error"
            writer.write(
                b"HTTP/1.1 %d %s\r\ncontent-length: 0\r\nconnection: close\r\n\r\n" % (status, reason)
            )
            await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    @property
    def accepted(self) -> list[tuple[dict[str, str], bytes]]:
        return [(h, b) for h, b, status in self.received if status == 200]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    box = Receiver(failures=6)
    server = await asyncio.start_server(box.handle, "127.0.0.1", 0)
    box.port = server.sockets[0].getsockname()[1]
    async with server:
        yield box
        server.close()


async def test_a_failing_endpoint_loses_nothing_and_gets_every_notice_in_order_when_it_recovers(
    monitoring, fixed_clock, police, feed, receiver: Receiver
) -> None:
    runtime, client = await monitoring(clock=fixed_clock)
    before = await scrape(client)
    unreachable = await client.post(  # an endpoint that never answers: its deliveries wait
        "/webhooks",
        json={"request_id": "hook-0", "url": "http://127.0.0.1:1/down", "secret": SECRET},
        headers=MONITOR,
    )
    assert unreachable.status_code == 201, unreachable.text
    created = await client.post(
        "/webhooks",
        json={"request_id": "hook-1", "url": f"http://127.0.0.1:{receiver.port}/notices", "secret": SECRET},
        headers=MONITOR,
    )
    assert created.status_code == 201, created.text
    subscription = created.json()
    assert subscription["secret"] == SECRET

    a = police.plan()
    b = police.plan(transport="charter", planned_departure="2026-11-26T08:00:00+02:00")  # late
    await feed(runtime, a, b)
    await feed(runtime, police.revision(a, measure="detention"))
    await feed(runtime, police.executed(a.plan_id, a.return_case_id))
    missing = police.executed()
    await feed(runtime, missing)
    expected = {
        a.plan_id: [("notice.received", 1), ("notice.updated", 2), ("notice.closed", 3)],
        b.plan_id: [("notice.received", 1), ("notice.late", 1)],
        missing.plan_id: [("notice.missing", 1)],
    }

    async def all_accepted() -> int:
        return len(receiver.accepted)

    await eventually(all_accepted, until=lambda n: n >= 6, timeout=20)
    assert len([r for r in receiver.received if r[2] == 500]) == 6

    arrived: dict[str, list[tuple[str, int]]] = defaultdict(list)
    seen_ids = set()
    for headers, body in receiver.accepted:
        assert signature_matches(SECRET, body, headers[SIGNATURE_HEADER.lower()])
        payload = json.loads(body)
        assert payload["delivery_id"] == headers[DELIVERY_HEADER.lower()]
        assert payload["event"] == headers[EVENT_HEADER.lower()]
        seen_ids.add(payload["delivery_id"])
        arrived[payload["plan_id"]].append((payload["event"], payload["notice_version"]))
        assert payload["notice"]["plan_id"] == payload["plan_id"]
    assert dict(arrived) == expected
    assert len(seen_ids) == 6

    async def log() -> dict[str, Any]:
        response = await client.get(
            f"/webhooks/{subscription['subscription_id']}/deliveries", headers=MONITOR
        )
        return response.json()

    entries = await eventually(log, until=lambda page: all(d["status"] == "delivered" for d in page["items"]))
    assert entries["total"] == 6
    retried = [d for d in entries["items"] if d["attempts"] > 1]
    assert retried, "the failures show in the delivery log"
    for delivery in retried:
        assert [a["status_code"] for a in delivery["log"]][-1] == 200
        assert all(a["status_code"] == 500 and a["error"] == "HTTP 500" for a in delivery["log"][:-1])

    # What an operator's Prometheus sees: the failures, the six deliveries still waiting for the
    # endpoint that is down, and the notices by timeliness; no plan id in any label.
    after = await eventually(lambda: scrape(client), until=lambda m: m.value("handoff_webhook_backlog") == 6)
    assert after.value("handoff_webhook_oldest_pending_age_seconds") > 0
    assert after.delta(before, "handoff_webhook_failures_total") >= 6 + 6  # the 500s and the refusals
    assert after.delta(before, "handoff_webhook_delivery_seconds_count", outcome="delivered") == 6
    notices = {
        timeliness: after.value("handoff_notices", timeliness=timeliness)
        for timeliness in ("on_time", "late", "missing")
    }
    assert notices == {"on_time": 1, "late": 1, "missing": 1}
    assert after.value("handoff_notices", timeliness="on_time", status="executed") == 1
    assert all(plan_id not in after.text for plan_id in expected)
