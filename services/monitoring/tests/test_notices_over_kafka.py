"""Removal plans from the Police's topic become notices: acknowledged, late, or missing, per department.

The Police's events go onto the real broker as CloudEvents; the monitor's answers are read
back from its notice topic. The clock stands still on Monday 23 November 2026, noon in
Helsinki, so that the lead times are known in working days:

* POL-ITA gives 7 working days' notice of a scheduled flight (5 required): on time;
* POL-LAPPI gives the same 7 days for a charter (10 required): late;
* POL-OULU gives good notice of a land removal, then moves it to 2 working days away (3
  required): late from the revision on;
* POL-HELSINKI carries out a removal the monitor never heard of: missing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handoff_devtools.testing.helpers import auth, eventually, headers_of, read_topic
from handoff_schemas.events.monitoring import NoticeAcknowledgedV1, NoticeLateV1, NoticeMissingV1
from handoff_schemas.topics import MONITORING_NOTICE_V1

pytestmark = [pytest.mark.db, pytest.mark.kafka]
HELSINKI = ZoneInfo("Europe/Helsinki")
DEPARTS = datetime(2026, 12, 2, 8, 0, tzinfo=HELSINKI)  # 7 working days after Monday 23 November
ACK, LATE, MISSING = NoticeAcknowledgedV1.event_type, NoticeLateV1.event_type, NoticeMissingV1.event_type
MONITOR = auth("monitor")


async def test_on_time_late_and_missing_notices_each_reach_the_police_per_department(
    monitoring, fixed_clock, police, send, kafka, topic_prefix
) -> None:
    _, client = await monitoring(clock=fixed_clock)
    on_time = police.plan(
        responsible_department="POL-ITA", transport="scheduled_flight", planned_departure=DEPARTS
    )
    late = police.plan(responsible_department="POL-LAPPI", transport="charter", planned_departure=DEPARTS)
    moved = police.plan(responsible_department="POL-OULU", transport="land", planned_departure=DEPARTS)
    sooner = police.revision(moved, planned_departure="2026-11-25T08:00:00+02:00")  # 2 working days
    unannounced = police.executed(
        executed_at="2026-11-21T06:50:00+02:00", responsible_department="POL-HELSINKI"
    )

    await send(police.accepted(unannounced.return_case_id, "POL-HELSINKI"))

    async def status() -> dict[str, Any]:
        return (await client.get("/ops/status", headers=auth("operator"))).json()

    await eventually(
        status,
        until=lambda s: any(i["consumer"] == "enforcement-cases" and i["count"] == 1 for i in s["inbox"]),
    )
    await send(on_time, late, moved, sooner, unannounced)

    records = await read_topic(kafka, topic_prefix + MONITORING_NOTICE_V1.name, count=7)
    by_plan: dict[str, list[str]] = defaultdict(list)
    bodies: dict[tuple[str, str], bytes] = {}
    for record in records:
        plan_id, event_type = record.key.decode(), headers_of(record)["ce_type"]
        by_plan[plan_id].append(event_type)
        bodies[(plan_id, event_type)] = record.value
    assert dict(by_plan) == {
        on_time.plan_id: [ACK],
        late.plan_id: [ACK, LATE],
        moved.plan_id: [ACK, ACK, LATE],  # each revision is acknowledged
        unannounced.plan_id: [MISSING],
    }

    ack = NoticeAcknowledgedV1.model_validate_json(bodies[(on_time.plan_id, ACK)])
    assert ack.received_at == fixed_clock.now()
    assert ack.acknowledged_at == fixed_clock.now()
    charter = NoticeLateV1.model_validate_json(bodies[(late.plan_id, LATE)])
    assert charter.responsible_department == "POL-LAPPI"
    assert (charter.lead_time_working_days, charter.required_working_days) == (7, 10)
    assert charter.received_at == fixed_clock.now()
    revised = NoticeLateV1.model_validate_json(bodies[(moved.plan_id, LATE)])
    assert (
        revised.responsible_department,
        revised.lead_time_working_days,
        revised.required_working_days,
    ) == (
        "POL-OULU",
        2,
        3,
    )
    missing = NoticeMissingV1.model_validate_json(bodies[(unannounced.plan_id, MISSING)])
    assert missing.responsible_department == "POL-HELSINKI"
    assert missing.first_seen_event_type == "handoff.police.removal-executed.v1"

    listed = (await client.get("/notices", headers=MONITOR)).json()
    assert {n["plan_id"]: (n["timeliness"], n["responsible_department"]) for n in listed["items"]} == {
        on_time.plan_id: ("on_time", "POL-ITA"),
        late.plan_id: ("late", "POL-LAPPI"),
        moved.plan_id: ("late", "POL-OULU"),
        unannounced.plan_id: ("missing", "POL-HELSINKI"),
    }
    one = (await client.get(f"/notices/{ack.notice_id}", headers=MONITOR)).json()
    assert one["person_ref"] == on_time.person_ref
    assert (one["lead_time_working_days"], one["required_working_days"]) == (7, 5)
    late_only = await client.get(
        "/notices", params={"timeliness": "late", "department": "POL-OULU"}, headers=MONITOR
    )
    [revised_notice] = late_only.json()["items"]
    assert (revised_notice["revision"], revised_notice["version"]) == (2, 2)

    rows = {
        (r["department"], r["month"]): r for r in (await client.get("/statistics", headers=MONITOR)).json()
    }
    assert set(rows) == {
        ("POL-ITA", "2026-12"),
        ("POL-LAPPI", "2026-12"),
        ("POL-OULU", "2026-11"),
        ("POL-HELSINKI", "2026-11"),
    }
    ita = rows[("POL-ITA", "2026-12")]
    assert (ita["notices"], ita["on_time"], ita["late"], ita["missing"], ita["share_on_time"]) == (
        1,
        1,
        0,
        0,
        1.0,
    )
    assert ita["median_lead_time_working_days"] == 7
    assert (rows[("POL-LAPPI", "2026-12")]["late"], rows[("POL-LAPPI", "2026-12")]["share_on_time"]) == (
        1,
        0.0,
    )
    assert rows[("POL-OULU", "2026-11")]["median_lead_time_working_days"] == 2
    helsinki = rows[("POL-HELSINKI", "2026-11")]
    assert (helsinki["notices"], helsinki["missing"], helsinki["removals"], helsinki["monitored"]) == (
        0,
        1,
        1,
        0,
    )

    published = (await client.get("/statistics/published", headers=auth("police"))).json()
    helsinki_published = next(r for r in published if r["department"] == "POL-HELSINKI")
    assert (helsinki_published["notices"], helsinki_published["missing"]) == (0, "<5")
    assert "missing" in helsinki_published["suppressed"]
