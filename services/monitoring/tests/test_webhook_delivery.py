"""Push delivery to the monitor's own systems: a receiver on 127.0.0.1 that first fails, then recovers.

Nothing is lost while it fails: every notice arrives once it answers again, in order per
plan, and every delivery verifies with the ``standardwebhooks`` library under the
subscription's secret; rotating the secret keeps every delivery verifiable.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from handoff_devtools.testing.helpers import auth, eventually
from handoff_devtools.testing.metrics import scrape
from monitoring.domain.webhook import EVENT_HEADER

pytestmark = [pytest.mark.db, pytest.mark.kafka]
MONITOR = auth("monitor")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # Standard Webhooks' own example secret
NEW_SECRET = "whsec_c2Vjb25kLXNlY3JldC1vZi10aGUtb21idWRzbWFu"


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
        payload = Webhook(SECRET).verify(body, headers)  # what the ombudsman's receiver runs
        assert payload["delivery_id"] == headers["webhook-id"]
        assert payload["event"] == headers[EVENT_HEADER.lower()]
        seen_ids.add(payload["delivery_id"])
        arrived[payload["plan_id"]].append((payload["event"], payload["notice_version"]))
        assert payload["notice"]["plan_id"] == payload["plan_id"]
    assert dict(arrived) == expected
    assert len(seen_ids) == 6
    retries = defaultdict(list)  # a retry keeps its webhook-id and is signed anew
    for headers, _body, _status in receiver.received:
        retries[headers["webhook-id"]].append(headers["webhook-signature"])
    assert set(retries) == seen_ids

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


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


async def test_a_rotated_secret_keeps_every_delivery_verifiable(monitoring, police, feed) -> None:
    receiver = Receiver(failures=0)
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    runtime, client = await monitoring()
    hook = {"url": f"http://127.0.0.1:{receiver.port}/notices", "secret": SECRET}
    subscription = (await client.post("/webhooks", json=hook, headers=MONITOR)).json()
    path = f"/webhooks/{subscription['subscription_id']}"
    old_id = subscription["secret_id"]

    async def accepted() -> int:
        return len(receiver.accepted)

    async def deliver() -> tuple[dict[str, str], bytes]:
        count = len(receiver.accepted) + 1
        await feed(runtime, police.plan())
        await eventually(accepted, until=lambda n: n >= count, timeout=20)
        return receiver.accepted[-1]

    async with server:
        headers, body = await deliver()
        assert verifies(SECRET, headers, body)
        assert not verifies(NEW_SECRET, headers, body)

        # The monitor adds the new secret: both sign until the receiver has moved over.
        added = await client.post(f"{path}/secrets", json={"secret": NEW_SECRET}, headers=MONITOR)
        assert added.status_code == 201, added.text
        assert added.json()["secret"] == NEW_SECRET
        headers, body = await deliver()
        assert len(headers["webhook-signature"].split(" ")) == 2
        assert verifies(SECRET, headers, body)
        assert verifies(NEW_SECRET, headers, body)

        retired = await client.delete(f"{path}/secrets/{old_id}", headers=MONITOR)
        assert retired.status_code == 200, retired.text
        assert [s["retired_at"] is not None for s in retired.json()["secrets"]] == [True, False]
        headers, body = await deliver()
        assert verifies(NEW_SECRET, headers, body)
        assert not verifies(SECRET, headers, body)

        last = await client.delete(f"{path}/secrets/{added.json()['secret_id']}", headers=MONITOR)
        assert last.status_code == 409  # the last active secret stays
        assert SECRET not in (await client.get(path, headers=MONITOR)).text
        server.close()
