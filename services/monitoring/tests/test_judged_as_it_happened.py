"""The monitor judges what actually happened: a removal carried out or aborted other than its last
notice said (another day, transport, escort or destination), and a revision that changes what the
monitor prepares by, are judged anew against the policy and flagged per department, on SQLite and
PostgreSQL, through the real consumer path (no broker)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from handoff_plumbing.paging import Paging
from handoff_schemas.events.monitoring import NoticeLateV1
from handoff_schemas.events.police_measures import (
    DetentionReviewedV1,
    LighterMeasureEndedV1,
    LighterMeasureKind,
    LighterMeasureOrderedV1,
)
from monitoring import queries
from monitoring.adapters import orm
from monitoring.adapters.notice_document import NoticeOut
from monitoring.adapters.notices import NoticeFilter

pytestmark = pytest.mark.db
DEPARTURE = "2026-12-15T06:40:00+02:00"  # as every plan here says (the fixtures' IN_GOOD_TIME)
A_DAY_AFTER = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)  # when the Police report the removals


async def published(runtime: Any, suffix: str) -> list[dict[str, Any]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(orm.outbox.c.event_type, orm.outbox.c.payload).order_by(orm.outbox.c.position)
        )
    return [json.loads(payload) for event_type, payload in rows if event_type.endswith(suffix)]


def facts(**changes: str) -> dict[str, Any]:
    return {
        "revision": 1,
        "transport": "scheduled_flight",
        "escort_level": "escorted_to_destination",
        "destination_country": "IRQ",
        **changes,
    }


async def test_a_removal_unlike_its_notice_is_flagged_per_department_with_the_missing_revision(
    offline, police, feed
) -> None:
    def plan(department: str) -> Any:
        return police.plan(responsible_department=department, planned_departure=DEPARTURE)

    as_planned, earlier, charter = plan("POL-SYD"), plan("POL-SYD"), plan("POL-SYD")
    escort, rerouted, quiet = plan("POL-OULU"), plan("POL-OULU"), plan("POL-OULU")
    elsewhere = plan("POL-ITA")
    await feed(offline, as_planned, earlier, charter, escort, rerouted, quiet, elsewhere)

    # A revision that sends the removal elsewhere five days before it: judged anew from its arrival.
    offline.clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    rerouted_2 = police.revision(rerouted, destination_country="TUR")
    await feed(offline, rerouted_2)

    offline.clock.set(A_DAY_AFTER)
    await feed(
        offline,
        police.executed(as_planned.plan_id, as_planned.return_case_id),
        police.executed(earlier.plan_id, earlier.return_case_id, executed_at="2026-12-14T07:00:00+02:00"),
        police.executed(charter.plan_id, charter.return_case_id, carried_out_as=facts(transport="charter")),
        police.aborted(
            escort.plan_id, escort.return_case_id, attempted_as=facts(escort_level="escorted_to_departure")
        ),
        police.executed(rerouted_2.plan_id, rerouted_2.return_case_id),
        police.executed(quiet.plan_id, quiet.return_case_id, carried_out_as=facts(revision=3)),
        police.executed(
            elsewhere.plan_id,
            elsewhere.return_case_id,
            carried_out_as=facts(revision=2, destination_country="TUR"),
        ),
    )

    flags = {p["plan_id"]: p for p in await published(offline, "notice-revision-missing.v1")}
    assert set(flags) == {earlier.plan_id, charter.plan_id, escort.plan_id, elsewhere.plan_id}
    assert flags[earlier.plan_id]["changes"] == [
        {"fact": "day", "notified": "2026-12-15", "actual": "2026-12-14"}
    ]
    assert flags[charter.plan_id]["changes"] == [
        {"fact": "transport", "notified": "scheduled_flight", "actual": "charter"}
    ]
    assert (
        flags[charter.plan_id]["lead_time_working_days"],
        flags[charter.plan_id]["required_working_days"],
    ) == (
        -1,
        10,
    )
    assert flags[escort.plan_id]["happened"] == "aborted"
    assert flags[escort.plan_id]["changes"][0]["fact"] == "escort_level"
    assert (flags[earlier.plan_id]["notified_revision"], flags[earlier.plan_id]["missing_revision"]) == (1, 2)
    assert (
        flags[elsewhere.plan_id]["responsible_department"],
        flags[elsewhere.plan_id]["missing_revision"],
    ) == (
        "POL-ITA",
        2,
    )
    [late_revision] = [
        p for p in await published(offline, "notice-late.v1") if p["plan_id"] == rerouted.plan_id
    ]
    late = NoticeLateV1.model_validate(late_revision)
    assert (late.revision, late.changed_facts, late.lead_time_working_days) == (2, ["destination_country"], 3)

    rows = await queries.statistics(
        offline.uow(), offline.rules, department=None, from_month=None, to_month=None
    )
    figures = {r.department: (r.notices, r.on_time, r.late, r.missing, r.unannounced_changes) for r in rows}
    assert figures == {
        "POL-SYD": (3, 1, 2, 0, 2),
        "POL-OULU": (3, 1, 2, 0, 1),
        "POL-ITA": (1, 0, 1, 0, 1),
    }
    notice = next(
        f.notice
        for f in (await queries.notices(offline.uow(), *_all(offline)))[0]
        if f.notice.plan_id == charter.plan_id
    )
    assert notice.deviation is not None
    assert notice.timeliness.value == "late"


def _all(runtime: Any) -> tuple[NoticeFilter, Any, Paging]:
    return NoticeFilter(), runtime.rules, Paging(limit=100)


async def test_lighter_measures_and_the_next_detention_review_show_on_the_notice(
    offline, police, feed
) -> None:

    plan = police.plan()
    detained = police.detained(plan.return_case_id)
    reviewed = DetentionReviewedV1(
        return_case_id=plan.return_case_id,
        detention_id=detained.detention_id,
        reviewed_on=datetime(2026, 11, 20).date(),
        review_number=1,
        next_review_due_on=datetime(2026, 12, 4).date(),
    )
    duty = LighterMeasureOrderedV1(
        return_case_id=plan.return_case_id,
        enforcement_case_id="EC-1",
        measure_id="LM-1",
        kind="reporting_duty",
        ordered_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    passport = duty.model_copy(update={"measure_id": "LM-2", "kind": LighterMeasureKind.PASSPORT_SURRENDERED})
    lifted = LighterMeasureEndedV1(
        return_case_id=plan.return_case_id,
        measure_id="LM-1",
        kind="reporting_duty",
        ended_at=datetime(2026, 11, 20, tzinfo=UTC),
        reason="replaced_by_detention",
    )
    await feed(offline, plan, detained, reviewed, duty, passport, lifted)

    files, _ = await queries.notices(offline.uow(), *_all(offline))
    [view] = [NoticeOut.of(f) for f in files]
    assert (view.detention.status, str(view.detention.review_due_on)) == ("detained", "2026-12-04")
    assert view.lighter_measures == ["passport_surrendered"]
