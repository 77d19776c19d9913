"""The journey's new events across services on the real broker.

1. A Dublin case: intake registers it with a Eurodac hit and the receiving state's acceptance, the
   refusal becomes enforceable, returns opens a return case, hands it over, the Police accept it and
   plan the removal, the monitor gets its notice. Then intake records the transfer carried out:
   responsibility moves to Germany, the Police close their case and cancel the plan, the monitor's
   notice is cancelled, and returns knows it (no return is counted).
2. The monitor judges what actually happened: the Police carry out one removal as planned and one
   by charter instead of the notified scheduled flight; the monitor flags the second with the
   revision that was missing, the Police learn it, and the Police's notice statistics show the same
   figures as the monitor's, per department.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from handoff_devtools.testing.helpers import auth, eventually, produce, read_topic
from handoff_schemas import attributes_for, encode
from handoff_schemas.events.returns import CaseHandedOverToPoliceV1
from intake.bootstrap import IntakeSettings
from intake.bootstrap import build as build_intake
from monitoring.bootstrap import MonitoringSettings
from monitoring.bootstrap import build as build_monitoring
from police_handover.bootstrap import PoliceHandoverSettings
from police_handover.bootstrap import build as build_police
from returns.bootstrap import ReturnsSettings
from returns.bootstrap import build as build_returns

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.db]
AGENCY, POLICE, MONITOR = auth("agency"), auth("police"), auth("monitor")
EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "shared/schemas/examples/handoff.returns.case-handed-over-to-police.v1.json"
)


async def ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_a_dublin_case_transferred_closes_everyone_s_case(service, kafka, topic_prefix) -> None:
    _, intake = await service(build_intake, IntakeSettings)
    _, returns = await service(build_returns, ReturnsSettings)
    _, police = await service(build_police, PoliceHandoverSettings)
    _, monitor = await service(build_monitoring, MonitoringSettings)
    today = datetime.now(UTC).date()

    def day(offset: int) -> str:
        return (today - timedelta(days=offset)).isoformat()

    application = await ok(
        await intake.post(
            "/applications",
            headers=AGENCY,
            json={
                "applicant": {
                    "full_name": "Dublin Testperson",
                    "date_of_birth": "1990-02-03",
                    "nationality": "IRQ",
                },
                "lodged_on": day(120),
                "eurodac_hit": True,
                "identity_documents": [
                    {
                        "kind": "passport",
                        "number": "DUB12345",
                        "issuing_country": "IRQ",
                        "expires_on": "2031-01-01",
                    }
                ],
            },
        )
    )
    application_id = application["application_id"]
    base = f"/applications/{application_id}"
    await ok(
        await intake.post(
            f"{base}/dublin-transfer", headers=AGENCY, json={"accepted_on": day(60), "receiving_state": "DEU"}
        )
    )
    await ok(
        await intake.post(
            f"{base}/decision",
            headers=AGENCY,
            json={
                "decided_on": day(50),
                "outcome": "refused",
                "removal_order": "refusal_of_entry",
                "destination_country": "DEU",
                "immediate_enforcement": True,
            },
        )
    )
    await ok(await intake.post(f"{base}/enforceability", headers=AGENCY, json={"enforceable_on": day(50)}))

    cases = await eventually(
        lambda: returns.get("/return-cases", params={"application_id": application_id}, headers=AGENCY),
        until=lambda r: r.json()["total"] == 1,
    )
    case_id = cases.json()["items"][0]["return_case_id"]
    counselling = {
        "meeting_number": 1,
        "held_on": day(30),
        "language": "ar",
        "interpreter_used": True,
        "stance": "refuses",
    }
    await ok(await returns.post(f"/return-cases/{case_id}/counselling", headers=AGENCY, json=counselling))
    await ok(
        await returns.post(
            f"/return-cases/{case_id}/absconding",
            headers=AGENCY,
            json={
                "noticed_on": day(10),
                "last_known_address": {
                    "street_address": "Testgatan 2",
                    "municipality_code": "1280",
                    "known_on": day(12),
                },
            },
        )
    )
    handed = await eventually(
        lambda: returns.post(
            f"/return-cases/{case_id}/handover", headers=AGENCY, json={"grounds": "absconded"}
        ),
        until=lambda r: r.status_code == 201,
    )
    assert handed.status_code == 201, handed.text
    handovers = await eventually(
        lambda: police.get("/handovers", params={"return_case_id": case_id}, headers=POLICE),
        until=lambda r: r.json()["total"] == 1,
    )
    enforcement_case_id = handovers.json()["items"][0]["enforcement_case_id"]
    assert enforcement_case_id is not None, handovers.text
    plan = await ok(
        await police.post(
            "/removal-plans",
            headers=POLICE,
            json={
                "enforcement_case_id": enforcement_case_id,
                "readmission_basis": "dublin_regulation",
                "transport": "scheduled_flight",
                "escort_level": "escorted_to_destination",
                "planned_departure": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
            },
        )
    )
    await eventually(lambda: monitor.get("/notices", headers=MONITOR), until=lambda r: r.json()["total"] == 1)

    transferred = await ok(
        await intake.post(
            f"{base}/dublin-transfer/carried-out", headers=AGENCY, json={"transferred_on": day(0)}
        )
    )
    assert transferred["dublin_transfer"]["receiving_state"] == "DEU"

    closed = await eventually(
        lambda: police.get(f"/enforcement-cases/{enforcement_case_id}", headers=POLICE),
        until=lambda r: r.json()["closed_reason"] == "dublin_transfer",
    )
    assert closed.json()["status"] == "closed"
    cancelled = await ok(await police.get(f"/removal-plans/{plan['plan_id']}", headers=POLICE))
    assert cancelled["status"] == "cancelled"
    assert "DEU" in cancelled["ending"]["note"]
    notice = await eventually(
        lambda: monitor.get("/notices", headers=MONITOR),
        until=lambda r: r.json()["items"][0]["status"] == "cancelled",
    )
    assert notice.json()["items"][0]["plan_id"] == plan["plan_id"]

    case = await ok(await returns.get(f"/return-cases/{case_id}", headers=AGENCY))
    assert (case["status"], case["closure_reason"]) == ("handed_over", "handed_over_to_police")
    on_case_topic = await read_topic(kafka, topic_prefix + "handoff.returns.return-case.v1", count=4)
    kinds = [dict(r.headers)["ce_type"].decode().split(".")[2] for r in on_case_topic]
    assert kinds == ["return-case-opened", "counselling-held", "person-absconded", "return-case-closed"]
    csv = await returns.get(
        "/statistics/eurostat",
        params={"quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}"},
        headers=AGENCY,
    )
    assert "returned" not in csv.text  # a Dublin transfer is no return
    assert "DEU" not in csv.text  # nor is the transfer decision an order to leave


def handover_package(department_area: str) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """A complete handover as returns would publish it, with fresh ids and dates."""
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))["data"]
    today = datetime.now(UTC).date()

    def day(offset: int) -> str:
        return (today - timedelta(days=offset)).isoformat()

    suffix = uuid.uuid4().hex[:8]
    document.update(
        return_case_id=f"RC-{suffix}",
        handover_id=f"HO-{suffix}",
        application_id=f"APP-{suffix}",
        person_ref=f"P-{suffix}",
        handed_over_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        enforceable_on=day(40),
        vulnerabilities=[],
    )
    document["identity"]["documents"][0]["expires_on"] = (today + timedelta(days=1000)).isoformat()
    document["decisions"][0]["decided_on"] = day(60)
    document["counselling_history"][0]["held_on"] = day(30)
    document["counselling_history"][1]["held_on"] = day(15)
    document["last_known_address"].update(known_on=day(5), municipality_code=department_area)
    document["inhibitions"][0].update(ordered_on=day(35), lifted_on=day(28))
    event = CaseHandedOverToPoliceV1.model_validate(document)
    headers = attributes_for(event, source="urn:test:returns", now=datetime.now(UTC)).to_headers()
    return event.aggregate_id().encode(), encode(event), [(k, v.encode()) for k, v in headers.items()]


async def test_a_removal_unlike_its_notice_is_flagged_and_both_authorities_count_it_alike(
    service, kafka, topic_prefix
) -> None:
    _, police = await service(build_police, PoliceHandoverSettings)
    _, monitor = await service(build_monitoring, MonitoringSettings)
    packages = [handover_package(area) for area in ("1280", "1280", "0180")]  # Skåne twice, Stockholm
    await produce(kafka, topic_prefix + "handoff.returns.handover.v1", packages)
    accepted = await eventually(
        lambda: police.get("/enforcement-cases", headers=POLICE), until=lambda r: r.json()["total"] == 3
    )
    cases = {c["return_case_id"]: c for c in accepted.json()["items"]}
    soon = datetime.now(UTC) + timedelta(minutes=3)
    plans = []
    for key, _, _ in packages:
        case = cases[key.decode()]
        departure = soon if case["responsible_department"] == "POL-SYD" else soon + timedelta(days=30)
        plans.append(
            await ok(
                await police.post(
                    "/removal-plans",
                    headers=POLICE,
                    json={
                        "enforcement_case_id": case["enforcement_case_id"],
                        "readmission_basis": "bilateral_readmission_agreement",
                        "transport": "scheduled_flight",
                        "escort_level": "escorted_to_destination",
                        "planned_departure": departure.isoformat(),
                    },
                )
            )
        )
    await eventually(lambda: monitor.get("/notices", headers=MONITOR), until=lambda r: r.json()["total"] == 3)
    as_planned, by_charter, later = plans
    assert (as_planned["responsible_department"], later["responsible_department"]) == (
        "POL-SYD",
        "POL-STOCKHOLM",
    )
    for plan, changes in ((as_planned, {}), (by_charter, {"transport": "charter"})):
        body = {"use_of_force": False, "executed_at": plan["planned_departure"], **changes}
        await ok(await police.post(f"/removal-plans/{plan['plan_id']}/execution", headers=POLICE, json=body))

    flagged = await eventually(
        lambda: police.get(f"/removal-plans/{by_charter['plan_id']}", headers=POLICE),
        until=lambda r: (r.json().get("monitoring") or {}).get("revision_missing") is not None,
    )
    missing = flagged.json()["monitoring"]["revision_missing"]
    assert (missing["notified_revision"], missing["missing_revision"]) == (1, 2)
    assert missing["changes"] == [{"fact": "transport", "notified": "scheduled_flight", "actual": "charter"}]
    assert flagged.json()["monitoring"]["timeliness"] == "late"

    columns = ("department", "month", "notices", "on_time", "late", "missing", "unannounced_changes")

    async def both() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        at_monitor = (await monitor.get("/statistics", headers=MONITOR)).json()
        at_police = (await police.get("/stats/notices", headers=POLICE)).json()
        return [tuple(r[c] for c in columns) for r in at_monitor], [
            tuple(r[c] for c in columns) for r in at_police
        ]

    monitor_rows, police_rows = await eventually(
        both, until=lambda rows: rows[0] == rows[1] and len(rows[0]) == 2
    )
    by_department = {row[0]: row[2:] for row in monitor_rows}
    # POL-SYD: two notices given minutes ahead (late), one of them carried out by charter instead.
    assert by_department["POL-SYD"] == (2, 0, 2, 0, 1)
    assert by_department["POL-STOCKHOLM"] == (1, 1, 0, 0, 0)
    assert police_rows == monitor_rows
    [flag] = [
        json.loads(r.value)
        for r in await read_topic(kafka, topic_prefix + "handoff.monitoring.notice.v1", count=6)
        if dict(r.headers)["ce_type"] == b"handoff.monitoring.notice-revision-missing.v1"
    ]
    assert (flag["plan_id"], flag["responsible_department"]) == (by_charter["plan_id"], "POL-SYD")
    assert date.fromisoformat(flag["happened_at"][:10]) >= datetime.now(UTC).date() - timedelta(days=1)
