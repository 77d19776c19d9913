"""The monitor's HTTP API: decisions, reports, paging, upcoming removals, webhooks; its 4xx answers."""

from __future__ import annotations

from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, headers_of, read_topic, topic_size
from handoff_schemas.events.monitoring import MonitoringDecisionMadeV1, MonitoringReportFiledV1
from handoff_schemas.topics import MONITORING_NOTICE_V1, MONITORING_REPORT_V1

pytestmark = [pytest.mark.db, pytest.mark.kafka]
MONITOR = auth("monitor")
MONITOR_IT = {"decision": "monitor", "monitors": ["MON-07", "MON-12"], "reason": "vulnerable_returnee"}


def locations(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json()["errors"]]


async def notice_for(client: Any, plan_id: str) -> dict[str, Any]:
    items = (await client.get("/notices", params={"limit": 200}, headers=MONITOR)).json()["items"]
    return next(n for n in items if n["plan_id"] == plan_id)


async def test_a_decision_goes_to_the_police_once_and_its_mistakes_name_the_field(
    monitoring, fixed_clock, police, feed, kafka, topic_prefix
) -> None:
    runtime, client = await monitoring(clock=fixed_clock)
    plan = police.plan()
    await feed(runtime, plan)
    notice = await notice_for(client, plan.plan_id)
    url = f"/notices/{notice['notice_id']}/decisions"

    assert ["body", "monitors"] in locations(
        await client.post(url, json={**MONITOR_IT, "monitors": []}, headers=MONITOR)
    )
    assert ["body", "reason"] in locations(
        await client.post(url, json={**MONITOR_IT, "reason": "no_capacity"}, headers=MONITOR)
    )
    assert ["body", "monitors", "0"] in locations(
        await client.post(url, json={**MONITOR_IT, "monitors": ["Maija Meikäläinen"]}, headers=MONITOR)
    )
    assert ["body", "decision"] in locations(
        await client.post(url, json={**MONITOR_IT, "decision": "maybe"}, headers=MONITOR)
    )
    assert ["body", "surprise"] in locations(
        await client.post(url, json={**MONITOR_IT, "surprise": 1}, headers=MONITOR)
    )
    unknown = await client.post("/notices/N-none/decisions", json=MONITOR_IT, headers=MONITOR)
    assert unknown.status_code == 404

    body = {**MONITOR_IT, "request_id": "ombudsman-desk-1"}
    desk = auth("monitor", "MON-07")
    first = await client.post(url, json=body, headers=desk)
    again = await client.post(url, json=body, headers=desk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert first.json()["decided_by"] == "MON-07"
    changed = await client.post(
        url, json={"decision": "not_monitor", "monitors": [], "reason": "no_capacity"}, headers=MONITOR
    )
    assert changed.status_code == 201
    assert (await notice_for(client, plan.plan_id))["latest_decision"]["decision"] == "not_monitor"
    decisions = (
        await client.get("/decisions", params={"notice_id": notice["notice_id"]}, headers=MONITOR)
    ).json()
    assert decisions["total"] == 2
    assert (
        await client.get(f"/decisions/{first.json()['decision_id']}", headers=MONITOR)
    ).json() == first.json()
    assert (await client.get("/decisions/DEC-none", headers=MONITOR)).status_code == 404

    records = await read_topic(kafka, topic_prefix + MONITORING_NOTICE_V1.name, count=3)
    assert [headers_of(r)["ce_type"] for r in records][1:] == [MonitoringDecisionMadeV1.event_type] * 2
    made = MonitoringDecisionMadeV1.model_validate_json(records[1].value)
    assert (made.plan_id, made.monitors, made.reason) == (
        plan.plan_id,
        ["MON-07", "MON-12"],
        "vulnerable_returnee",
    )
    assert records[1].key.decode() == plan.plan_id

    await feed(runtime, police.executed(plan.plan_id, plan.return_case_id))
    late = await client.post(url, json=MONITOR_IT, headers=MONITOR)
    assert late.status_code == 409
    assert "executed" in late.json()["detail"]


async def test_a_report_is_filed_once_on_a_monitored_removal_and_published_when_the_monitor_says(
    monitoring, fixed_clock, police, feed, kafka, topic_prefix
) -> None:
    runtime, client = await monitoring(clock=fixed_clock)
    plan = police.plan()
    await feed(runtime, plan)
    notice = await notice_for(client, plan.plan_id)
    report = {
        "request_id": "report-1",
        "notice_id": notice["notice_id"],
        "phases_observed": ["in_flight", "pre_departure"],
        "findings": [
            {
                "right": "medicines_and_patient_records",
                "observation": "Records were not translated.",
                "severity": "concern",
            }
        ],
        "recommendations": ["Translate patient records before departure."],
    }
    not_decided = await client.post("/reports", json=report, headers=MONITOR)
    assert not_decided.status_code == 409
    await client.post(f"/notices/{notice['notice_id']}/decisions", json=MONITOR_IT, headers=MONITOR)
    assert ["body", "notice_id"] in locations(
        await client.post("/reports", json={**report, "notice_id": "N-none"}, headers=MONITOR)
    )
    assert ["body", "phases_observed"] in locations(
        await client.post(
            "/reports", json={**report, "phases_observed": ["transfer", "transfer"]}, headers=MONITOR
        )
    )
    assert ["body", "findings", 0, "severity"] in locations(
        await client.post(
            "/reports",
            json={**report, "findings": [{**report["findings"][0], "severity": "dreadful"}]},
            headers=MONITOR,
        )
    )

    filed = await client.post("/reports", json=report, headers=MONITOR)
    assert filed.status_code == 201, filed.text
    assert filed.json()["phases_observed"] == ["pre_departure", "in_flight"]
    assert (await client.post("/reports", json=report, headers=MONITOR)).status_code == 200
    second = await client.post("/reports", json={**report, "request_id": "report-2"}, headers=MONITOR)
    assert second.status_code == 409
    report_id = filed.json()["report_id"]
    assert (await client.get("/reports", params={"published": "false"}, headers=MONITOR)).json()["total"] == 1
    assert (await client.get("/published-reports", headers=MONITOR)).json()["total"] == 0

    published = await client.post(f"/reports/{report_id}/publish", headers=MONITOR)
    assert published.json()["published"] is True
    assert (await client.post(f"/reports/{report_id}/publish", headers=MONITOR)).json() == published.json()
    assert (await client.get("/published-reports", headers=auth("police"))).json()["items"][0][
        "report_id"
    ] == report_id
    assert (await client.get("/reports/REP-none", headers=MONITOR)).status_code == 404
    assert (await client.post("/reports/REP-none/publish", headers=MONITOR)).status_code == 404

    # the report topic is read by the Police: only the published report goes out, once
    filed_events = await read_topic(kafka, topic_prefix + MONITORING_REPORT_V1.name, count=1)
    states = [MonitoringReportFiledV1.model_validate_json(r.value).published for r in filed_events]
    assert states == [True]
    assert {r.key.decode() for r in filed_events} == {plan.plan_id}
    assert await topic_size(kafka, topic_prefix + MONITORING_REPORT_V1.name) == 1

    statistics = (await client.get("/statistics", headers=MONITOR)).json()
    [row] = statistics
    assert row["phases_monitored"] == {
        "pre_departure": 1,
        "transfer": 0,
        "in_flight": 1,
        "handover_at_destination": 0,
    }


async def test_notices_page_and_upcoming_removals_come_by_priority_then_date(
    monitoring, fixed_clock, police, feed
) -> None:
    runtime, client = await monitoring(clock=fixed_clock, risk_countries="AFG")
    plain_soon = police.plan(
        vulnerabilities=[], precautions=[], planned_departure="2026-12-10T06:00:00+02:00"
    )
    plain_later = police.plan(
        vulnerabilities=[], precautions=[], planned_departure="2026-12-20T06:00:00+02:00"
    )
    child_to_risk = police.plan(
        vulnerabilities=["unaccompanied_minor"],
        precautions=[{"precaution": "best_interests_of_child_assessed", "status": "done"}],
        age_band="12_17",
        minor=True,
        destination_country="AFG",
        transport="charter",
        planned_departure="2027-01-15T06:00:00+02:00",
    )
    gone = police.plan()
    await feed(
        runtime,
        plain_later,
        child_to_risk,
        plain_soon,
        gone,
        police.executed(gone.plan_id, gone.return_case_id),
    )

    page = (await client.get("/notices", params={"limit": 2}, headers=MONITOR)).json()
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (4, 2, 2, 0)
    rest = (await client.get("/notices", params={"limit": 2, "offset": 2}, headers=MONITOR)).json()
    assert {n["plan_id"] for n in page["items"] + rest["items"]} == {
        plain_soon.plan_id,
        plain_later.plan_id,
        child_to_risk.plan_id,
        gone.plan_id,
    }
    assert ["query", "limit"] in locations(await client.get("/notices", params={"limit": 0}, headers=MONITOR))
    assert ["query", "status"] in locations(
        await client.get("/notices", params={"status": "lost"}, headers=MONITOR)
    )
    for query in ({"departure_to": "9999-12-31"}, {"departure_from": "0001-01-01"}, {"department": "P\x00"}):
        [name] = query
        assert ["query", name] in locations(await client.get("/notices", params=query, headers=MONITOR))
    for query in ({"to_month": "0000-01"}, {"from_month": "9999-12"}, {"to_month": "2026-13"}):
        [name] = query
        assert ["query", name] in locations(await client.get("/statistics", params=query, headers=MONITOR))
    december = await client.get(
        "/notices", params={"departure_from": "2026-12-10", "departure_to": "2026-12-10"}, headers=MONITOR
    )
    assert [n["plan_id"] for n in december.json()["items"]] == [plain_soon.plan_id]

    upcoming = (await client.get("/upcoming-removals", headers=MONITOR)).json()
    assert [n["plan_id"] for n in upcoming["items"]] == [
        child_to_risk.plan_id,
        plain_soon.plan_id,
        plain_later.plan_id,
    ]
    top = upcoming["items"][0]["priority"]
    assert top["level"] == "high"
    assert top["reasons"] == ["vulnerability:unaccompanied_minor", "minor", "risk_destination", "charter"]
    await client.post(
        f"/notices/{upcoming['items'][0]['notice_id']}/decisions", json=MONITOR_IT, headers=MONITOR
    )
    undecided = (await client.get("/upcoming-removals", params={"decided": "false"}, headers=MONITOR)).json()
    assert [n["plan_id"] for n in undecided["items"]] == [plain_soon.plan_id, plain_later.plan_id]
    assert (await client.get("/notices/N-none", headers=MONITOR)).status_code == 404


async def test_webhook_subscriptions_are_created_once_listed_without_secrets_and_deleted(monitoring) -> None:
    _, client = await monitoring()
    assert ["body", "url"] in locations(
        await client.post("/webhooks", json={"url": "http://ombudsman.example/hook"}, headers=MONITOR)
    )
    assert ["body", "secret"] in locations(
        await client.post("/webhooks", json={"url": "https://o.example/", "secret": "short"}, headers=MONITOR)
    )
    assert ["body", "event_types", 0] in locations(
        await client.post(
            "/webhooks", json={"url": "https://o.example/", "event_types": ["everything"]}, headers=MONITOR
        )
    )
    for url in ("http://[", "https://xn--a.example/", "https://o.example:port/", "https://o.example/\x00"):
        assert ["body", "url"] in locations(
            await client.post("/webhooks", json={"url": url}, headers=MONITOR)
        )
    body = {
        "request_id": "hook-a",
        "url": "https://ombudsman.example/hook",
        "event_types": ["notice.late", "notice.missing"],
    }
    created = await client.post("/webhooks", json=body, headers=MONITOR)
    again = await client.post("/webhooks", json=body, headers=MONITOR)
    assert (created.status_code, again.status_code) == (201, 200)
    assert again.json() == created.json()
    assert len(created.json()["secret"]) >= 32
    subscription_id = created.json()["subscription_id"]

    listed = (await client.get("/webhooks", headers=MONITOR)).json()
    assert [s["subscription_id"] for s in listed] == [subscription_id]
    assert "secret" not in listed[0]
    assert "secret" not in (await client.get(f"/webhooks/{subscription_id}", headers=MONITOR)).json()
    assert (await client.get(f"/webhooks/{subscription_id}/deliveries", headers=MONITOR)).json()["total"] == 0

    assert (await client.delete(f"/webhooks/{subscription_id}", headers=MONITOR)).status_code == 204
    assert (await client.delete(f"/webhooks/{subscription_id}", headers=MONITOR)).status_code == 204
    assert (await client.get("/webhooks", headers=MONITOR)).json() == []
    kept = (await client.get("/webhooks", params={"include_deleted": "true"}, headers=MONITOR)).json()
    assert kept[0]["deleted_at"] is not None
    for method, path in [
        ("GET", "/webhooks/WH-none"),
        ("DELETE", "/webhooks/WH-none"),
        ("GET", "/webhooks/WH-none/deliveries"),
    ]:
        assert (await client.request(method, path, headers=MONITOR)).status_code == 404
