"""What each Police event does to the monitor's notices, through the real consumer path (no broker)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from handoff_devtools.testing.helpers import committed
from handoff_plumbing.consumer import Result
from handoff_plumbing.paging import Paging
from monitoring import commands, queries
from monitoring.adapters import orm
from monitoring.adapters.notice_document import NoticeOut
from monitoring.adapters.notices import NoticeFilter
from monitoring.domain.notice import NoticeHappening

pytestmark = pytest.mark.db


async def rows(runtime: Any, table: Any, *where: Any) -> list[Any]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(table).where(*where))).all())


async def outbox_types(runtime: Any) -> list[str]:
    return [row.event_type for row in await rows(runtime, orm.outbox)]


async def notice_of(runtime: Any, plan_id: str) -> Any:
    files, _ = await queries.notices(runtime.uow(), NoticeFilter(), runtime.rules, Paging(limit=200))
    return next(NoticeOut.of(f) for f in files if f.notice.plan_id == plan_id)


async def test_a_plan_sent_twice_is_one_notice_acknowledged_once_and_closes_with_what_the_police_reported(
    offline, police, feed
) -> None:
    plan = police.plan()
    assert await feed(offline, plan, plan) == [Result.PROCESSED, Result.PROCESSED]
    assert await outbox_types(offline) == ["handoff.monitoring.notice-acknowledged.v1"]
    assert len(await rows(offline, orm.notices)) == 1

    await feed(offline, police.executed(plan.plan_id, plan.return_case_id))
    notice = await notice_of(offline, plan.plan_id)
    assert (notice.status, notice.timeliness) == ("executed", "on_time")  # closing keeps the timeliness
    assert notice.outcome.use_of_force is True
    assert notice.outcome.restraints_used == ["handcuffs"]


async def test_detention_from_the_enforcement_case_shows_on_the_notice_and_raises_its_priority(
    offline, police, feed
) -> None:
    plan = police.plan(vulnerabilities=[], precautions=[])
    await feed(offline, plan)
    before = await notice_of(offline, plan.plan_id)
    assert (before.detention.status, before.priority.score) == ("not_detained", 0)

    detention = police.detained(plan.return_case_id)
    await feed(offline, detention)
    detained = await notice_of(offline, plan.plan_id)
    assert detained.detention.status == "detained"
    assert detained.detention.facility == detention.facility
    assert detained.priority.reasons == ["detention"]
    assert detained.version == before.version + 1

    await feed(offline, police.released(detention))
    assert (await notice_of(offline, plan.plan_id)).detention.status == "released"


async def test_removals_never_announced_are_missing_notices_and_learn_their_department_later(
    offline, police, feed
) -> None:
    executed = police.executed(responsible_department=None)  # as a producer before the field existed
    aborted = police.aborted(at_departure=True)
    await feed(offline, executed, aborted)
    assert (await notice_of(offline, executed.plan_id)).responsible_department == "UNKNOWN"
    assert (
        await notice_of(offline, aborted.plan_id)
    ).responsible_department == aborted.responsible_department
    await feed(offline, police.accepted(executed.return_case_id, "POL-ITA"))
    notice = await notice_of(offline, executed.plan_id)
    assert (notice.responsible_department, notice.timeliness, notice.status) == (
        "POL-ITA",
        "missing",
        "executed",
    )
    notice = await notice_of(offline, aborted.plan_id)
    assert (notice.timeliness, notice.status, notice.outcome.aborted_at_departure) == (
        "missing",
        "aborted",
        True,
    )

    await feed(offline, police.cancelled("PL-never-seen", "RC-never-seen"))  # nothing removed, nothing stored
    assert len(await rows(offline, orm.notices)) == 2
    assert await outbox_types(offline) == ["handoff.monitoring.notice-missing.v1"] * 2


async def test_webhook_deliveries_are_queued_with_the_notice_for_each_happening(
    offline, police, feed
) -> None:
    subscription = await committed(
        offline.uow(),
        lambda uow: commands.subscribe(
            uow,
            commands.Subscribe(
                url="https://ombudsman.example/hook", secret=None, event_types=["notice.late"], created_by="t"
            ),
            offline.rules,
        ),
    )
    await committed(
        offline.uow(),
        lambda uow: commands.subscribe(
            uow,
            commands.Subscribe(
                url="https://ombudsman.example/all",
                secret=None,
                event_types=list(NoticeHappening),
                created_by="t",
            ),
            offline.rules,
        ),
    )
    late = police.plan(transport="charter", planned_departure="2026-11-26T08:00:00+02:00")
    await feed(offline, late)
    deliveries = await rows(offline, orm.webhook_deliveries)
    assert sorted((d.subscription_id == subscription.subscription_id, d.event_type) for d in deliveries) == [
        (False, "notice.late"),
        (False, "notice.received"),
        (True, "notice.late"),
    ]
    async with offline.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(orm.webhook_attempts)) == 0
