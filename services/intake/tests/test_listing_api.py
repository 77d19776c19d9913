"""Listing applications over intake's HTTP API: filters, paging with a total, bad queries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth

pytestmark = [pytest.mark.db, pytest.mark.kafka]
AGENCY = auth("agency")


async def test_applications_are_listed_by_status_and_deadline_a_page_at_a_time(intake, bodies, clock) -> None:
    _, client = await intake(decision_due_months=4)

    async def register(lodged_on: str, **changes: Any) -> str:
        response = await client.post(
            "/applications", json=bodies.application(lodged_on=lodged_on, **changes), headers=AGENCY
        )
        assert response.status_code == 201, response.text
        application_id: str = response.json()["application_id"]
        return application_id

    overdue = [
        await register("2026-07-01"),
        await register("2026-07-20", eurodac_hit=True),
    ]  # due 11-01, 11-20
    due_today = await register("2026-07-23")
    due_in_30 = await register("2026-08-22")
    refused = await register("2026-06-01")
    decided = await client.post(f"/applications/{refused}/decision", json=bodies.refusal(), headers=AGENCY)
    assert decided.status_code == 201

    async def listed(query: str) -> dict[str, Any]:
        response = await client.get(f"/applications?{query}", headers=AGENCY)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    everything = await listed("")
    assert everything["total"] == 5
    assert [a["application_id"] for a in everything["items"]] == [refused, *overdue, due_today, due_in_30]
    late = await listed("overdue=true")
    assert [a["application_id"] for a in late["items"]] == overdue
    assert all(a["overdue"] and a["decision_due_on"] <= "2026-11-22" for a in late["items"])
    assert (await listed("overdue=true&dublin=true"))["total"] == 1
    assert (await listed("overdue=false"))["total"] == 3
    assert [a["application_id"] for a in (await listed("decision_due_within_days=0"))["items"]] == [due_today]
    assert (await listed("decision_due_within_days=30"))["total"] == 2
    assert [a["application_id"] for a in (await listed("status=refused"))["items"]] == [refused]
    assert (await listed("status=undecided"))["total"] == 4
    assert (await listed("status=enforceable"))["total"] == 0

    first = await listed("limit=2")
    second = await listed("limit=2&offset=2")
    last = await listed("limit=2&offset=4")
    assert (first["total"], second["total"], last["total"]) == (5, 5, 5)
    assert [a["application_id"] for a in first["items"] + second["items"] + last["items"]] == [
        a["application_id"] for a in everything["items"]
    ]
    assert (first["limit"], second["offset"], len(last["items"])) == (2, 2, 1)

    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert (await listed("overdue=true"))["total"] == 3

    for query, field in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("status=pending", "status"),
        ("overdue=perhaps", "overdue"),
        ("decision_due_within_days=-1", "decision_due_within_days"),
        ("transfer_due_within_days=99999", "transfer_due_within_days"),
    ]:
        response = await client.get(f"/applications?{query}", headers=AGENCY)
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["loc"] == ["query", field]
