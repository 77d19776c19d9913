"""An operator lists, reads and re-drives dead letters; a re-drive is recorded and effectively-once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from handoff_devtools.testing import ledger as ledger_service
from handoff_devtools.testing.helpers import auth, eventually, produce
from handoff_devtools.testing.ledger import LEDGER_TOPIC, LedgerEntryV1, count_effects, effect_rows
from handoff_schemas import attributes_for, encode

pytestmark = [pytest.mark.db, pytest.mark.kafka]


def message(event: LedgerEntryV1) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    attributes = attributes_for(event, source="test", now=datetime.now(UTC))
    return (
        event.account.encode(),
        encode(event),
        [(k, v.encode()) for k, v in attributes.to_headers().items()],
    )


async def test_a_dead_letter_is_redriven_once_its_cause_is_fixed(ledger, kafka, topic_prefix) -> None:
    runtime = await ledger()
    account = f"acc-{uuid.uuid4().hex[:6]}"
    stuck = LedgerEntryV1(entry_id=uuid.uuid4().hex, account=account, amount=12)
    ledger_service.FAILING.add(account)  # a bug, say: this account cannot be booked for now
    try:
        sent = message(stuck)
        event_id = dict(sent[2])["ce_id"].decode()
        await produce(kafka, topic_prefix + LEDGER_TOPIC.name, [sent])
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=runtime.create_app()),
            base_url="http://ledger",
            headers=auth("operator", "ops-on-call"),
        ) as client:
            page = await eventually(
                lambda: client.get("/ops/dead-letters"), until=lambda r: r.json()["total"] == 1
            )
            [summary] = page.json()["items"]
            assert (summary["event_id"], summary["error_type"], summary["attempts"]) == (
                event_id,
                "HandlerFailure",
                3,
            )
            detail = (await client.get(f"/ops/dead-letters/{summary['dead_letter_id']}")).json()
            assert detail["payload"]["account"] == account
            assert detail["headers"]["ce_type"] == LedgerEntryV1.event_type
            assert await count_effects(runtime) == 0

            # Re-driven while the cause remains: a new dead letter, the first one marked re-driven.
            bad = await client.post(
                f"/ops/dead-letters/{summary['dead_letter_id']}/redrive", json={"reason": "try it"}
            )
            assert bad.status_code == 200, bad.text
            assert bad.json()["redrive_outcome"] == "dead_lettered"
            listed = (await client.get("/ops/dead-letters", params={"redriven": "false"})).json()
            [second] = listed["items"]
            assert second["dead_letter_id"] != summary["dead_letter_id"]

            ledger_service.FAILING.discard(account)  # the cause is fixed
            fixed = await client.post(
                f"/ops/dead-letters/{second['dead_letter_id']}/redrive", json={"reason": "booking fixed"}
            )
            assert fixed.status_code == 200, fixed.text
            assert fixed.json()["redrive_outcome"] == "processed"
            assert [row[2] for row in await effect_rows(runtime) if row[1] == account] == [12]

            again = await client.post(
                f"/ops/dead-letters/{second['dead_letter_id']}/redrive", json={"reason": "twice"}
            )
            assert again.status_code == 409
            assert again.headers["content-type"].startswith("application/problem+json")
            assert (await client.get("/ops/status")).json()["dead_letters"] == 0
            assert [row[2] for row in await effect_rows(runtime) if row[1] == account] == [12]  # once

            actions = runtime.operator_actions
            async with runtime.sessions() as session:
                rows = (
                    await session.execute(
                        select(actions.c.action, actions.c.actor, actions.c.detail).order_by(actions.c.at)
                    )
                ).all()
            assert [(a, who, detail["outcome"]) for a, who, detail in rows] == [
                ("dead-letter.redrive", "ops-on-call", "dead_lettered"),
                ("dead-letter.redrive", "ops-on-call", "processed"),
            ]
            no_reason = await client.post(f"/ops/dead-letters/{second['dead_letter_id']}/redrive", json={})
            assert no_reason.status_code == 422
            assert (
                await client.post("/ops/dead-letters/nope/redrive", json={"reason": "x" * 5})
            ).status_code == 404
    finally:
        ledger_service.FAILING.discard(account)
