"""Events in, events out, over the real broker: handovers, inhibitions, the monitor's feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from handoff_devtools.testing.helpers import auth, eventually, headers_of, produce, read_topic
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_schemas.events.common import Transport
from handoff_schemas.events.intake import InhibitionLiftedV1, InhibitionOrderedV1
from handoff_schemas.events.monitoring import (
    MonitoringDecision,
    MonitoringDecisionMadeV1,
    MonitoringDecisionReason,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    RemovalPhase,
)
from handoff_schemas.events.police import (
    CancellationReason,
    HandoverAcceptedV1,
    HandoverRejectedV1,
    MissingItemProblem,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
)
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from handoff_schemas.topics import (
    INTAKE_APPLICATION_V1,
    MONITORING_NOTICE_V1,
    MONITORING_REPORT_V1,
    POLICE_ENFORCEMENT_CASE_V1,
    POLICE_REMOVAL_PLAN_V1,
    RETURNS_HANDOVER_V1,
)
from police_handover.bootstrap import PoliceHandoverSettings, build

pytestmark = [pytest.mark.db, pytest.mark.kafka]
PERSONAL = (b"Testi", b"1989-04-01", b"TEST00001", b"Testgatan", b"211 00")


async def test_handovers_are_answered_accepted_or_rejected_with_every_item(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_doc: Callable[..., dict[str, Any]],
    as_cloud_event: Any,
) -> None:
    _, client = await service(build, PoliceHandoverSettings)
    now = datetime.now(UTC)
    complete = CaseHandedOverToPoliceV1.model_validate(package_doc(now))
    incomplete = CaseHandedOverToPoliceV1.model_validate(
        package_doc(
            now, travel_document_status="not_requested", last_known_address=None, counselling_history=[]
        )
    )
    messages = [as_cloud_event(complete, source="returns"), as_cloud_event(incomplete, source="returns")]
    await produce(kafka, topic_prefix + RETURNS_HANDOVER_V1.name, messages)

    records = await read_topic(kafka, topic_prefix + POLICE_ENFORCEMENT_CASE_V1.name, count=2)
    by_key = {record.key.decode(): record for record in records}
    accepted_record = by_key[complete.return_case_id]
    rejected_record = by_key[incomplete.return_case_id]
    assert headers_of(accepted_record)["ce_type"] == HandoverAcceptedV1.event_type
    accepted = HandoverAcceptedV1.model_validate_json(accepted_record.value)
    assert accepted.handover_id == complete.handover_id
    assert accepted.responsible_department == "POL-SYD"
    rejected = HandoverRejectedV1.model_validate_json(rejected_record.value)
    assert {(item.item, item.problem) for item in rejected.missing} == {
        ("travel_document_status", MissingItemProblem.MISSING),
        ("last_known_address", MissingItemProblem.MISSING),
        ("counselling_history", MissingItemProblem.MISSING),
    }
    for record in records:
        for personal in PERSONAL:
            assert personal not in record.value

    police = auth("police")
    case = (await client.get(f"/enforcement-cases/{accepted.enforcement_case_id}", headers=police)).json()
    assert case["status"] == "open"
    assert case["package"]["identity"]["full_name"] == "Testi Testinen"  # the Police's own data
    listed = (await client.get("/enforcement-cases", headers=police)).json()
    assert listed["total"] == 1
    assert "package" not in listed["items"][0]
    answers = (await client.get("/handovers", params={"outcome": "rejected"}, headers=police)).json()
    assert [h["handover_id"] for h in answers["items"]] == [incomplete.handover_id]
    assert len(answers["items"][0]["missing"]) == 3

    # The same handover delivered again (a new CloudEvent id) is answered only once.
    await produce(
        kafka, topic_prefix + RETURNS_HANDOVER_V1.name, [as_cloud_event(complete, source="returns")]
    )

    async def processed() -> int:
        status = (await client.get("/ops/status", headers=auth("operator"))).json()
        return sum(row["count"] for row in status["inbox"] if row["consumer"] == "returns-handovers")

    await eventually(processed, until=lambda n: n == 3)
    outbox = (await client.get("/ops/status", headers=auth("operator"))).json()["outbox"]
    assert outbox["pending"] + outbox["published"] == 2


async def test_an_inhibition_cancels_the_plan_and_nothing_proceeds_until_it_is_lifted(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
    as_cloud_event: Any,
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    package = package_at(datetime.now(UTC))
    case_id = await accept(runtime, package)
    police = auth("police")
    created = await client.post("/removal-plans", json=plan_for(case_id), headers=police)
    assert created.status_code == 201, created.text
    plan_id = created.json()["plan_id"]

    today = datetime.now(UTC).date()
    ordered = InhibitionOrderedV1(
        application_id=package.application_id, inhibition_id="INH-T1", court="MIGD-MALMO", ordered_on=today
    )
    await produce(
        kafka, topic_prefix + INTAKE_APPLICATION_V1.name, [as_cloud_event(ordered, source="intake")]
    )

    records = await read_topic(kafka, topic_prefix + POLICE_REMOVAL_PLAN_V1.name, count=2)
    types = [headers_of(r)["ce_type"] for r in records]
    assert types == [RemovalPlanCreatedV1.event_type, RemovalPlanCancelledV1.event_type]
    cancelled = RemovalPlanCancelledV1.model_validate_json(records[1].value)
    assert (cancelled.plan_id, cancelled.reason) == (plan_id, CancellationReason.INHIBITION_ORDERED)
    plan = (await client.get(f"/removal-plans/{plan_id}", headers=police)).json()
    assert plan["status"] == "cancelled"
    assert plan["allowed_transitions"] == []
    case = (await client.get(f"/enforcement-cases/{case_id}", headers=police)).json()
    assert case["status"] == "suspended"
    refused = await client.post("/removal-plans", json=plan_for(case_id), headers=police)
    assert refused.status_code == 409
    assert "suspended" in refused.json()["detail"]
    detention = {"enforcement_case_id": case_id, "facility": "FV-HELSINKI", "ground": "risk_of_absconding"}
    assert (await client.post("/detentions", json=detention, headers=police)).status_code == 409

    lifted = InhibitionLiftedV1(
        application_id=package.application_id, inhibition_id="INH-T1", court="MIGD-MALMO", lifted_on=today
    )
    await produce(kafka, topic_prefix + INTAKE_APPLICATION_V1.name, [as_cloud_event(lifted, source="intake")])

    async def status() -> str:
        response = await client.get(f"/enforcement-cases/{case_id}", headers=police)
        return str(response.json()["status"])

    await eventually(status, until=lambda s: s == "open")
    again = await client.post("/removal-plans", json=plan_for(case_id), headers=police)
    assert again.status_code == 201, again.text


async def test_the_monitors_acknowledgement_decision_and_report_show_on_the_plan(
    service: Any,
    kafka: KafkaAccess,
    topic_prefix: str,
    package_at: Callable[..., CaseHandedOverToPoliceV1],
    accept: Any,
    plan_for: Callable[..., dict[str, Any]],
    as_cloud_event: Any,
) -> None:
    runtime, client = await service(build, PoliceHandoverSettings)
    case_id = await accept(runtime, package_at(datetime.now(UTC)))
    police = auth("police")
    plan_id = (await client.post("/removal-plans", json=plan_for(case_id), headers=police)).json()["plan_id"]
    assert (await client.get(f"/removal-plans/{plan_id}", headers=police)).json()["monitoring"] is None

    now = datetime.now(UTC)
    acknowledged = NoticeAcknowledgedV1(
        notice_id="N-1", plan_id=plan_id, received_at=now - timedelta(seconds=2), acknowledged_at=now
    )
    decided = MonitoringDecisionMadeV1(
        notice_id="N-1",
        plan_id=plan_id,
        decision=MonitoringDecision.MONITOR,
        monitors=["MON-07"],
        decided_at=now,
        reason=MonitoringDecisionReason.VULNERABLE_RETURNEE,
    )
    report = MonitoringReportFiledV1(
        report_id="REP-1",
        plan_id=plan_id,
        filed_at=now,
        phases_observed=[RemovalPhase.PRE_DEPARTURE],
        published=False,
    )
    late = NoticeLateV1(
        notice_id="N-1",
        plan_id=plan_id,
        responsible_department="POL-SYD",
        transport=Transport.SCHEDULED_FLIGHT,
        received_at=now,
        planned_departure=now + timedelta(days=2),
        lead_time_working_days=2,
        required_working_days=5,
    )
    notices = [acknowledged, late, decided]
    await produce(
        kafka,
        topic_prefix + MONITORING_NOTICE_V1.name,
        [as_cloud_event(notice, source="monitoring") for notice in notices],
    )
    await produce(
        kafka, topic_prefix + MONITORING_REPORT_V1.name, [as_cloud_event(report, source="monitoring")]
    )

    async def monitoring() -> dict[str, Any] | None:
        body = (await client.get(f"/removal-plans/{plan_id}", headers=police)).json()
        result: dict[str, Any] | None = body["monitoring"]
        return result

    seen = await eventually(monitoring, until=lambda m: bool(m and m["decision"] and m["reports"]))
    assert seen is not None
    assert seen["notice_id"] == "N-1"
    assert seen["acknowledged_at"] is not None
    assert seen["decision"]["decision"] == "monitor"
    assert seen["decision"]["monitors"] == ["MON-07"]
    assert [r["report_id"] for r in seen["reports"]] == ["REP-1"]
    assert seen["late"]["lead_time_working_days"] == 2
    assert seen["late"]["required_working_days"] == 5
    listed = (await client.get("/removal-plans", headers=police)).json()
    assert listed["items"][0]["monitoring"]["notice_id"] == "N-1"
