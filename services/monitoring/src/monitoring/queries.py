"""The monitor's reads behind the HTTP API: one unit of work each, never a change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handoff_plumbing.errors import NotFound
from handoff_plumbing.paging import Paging
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.common import Transport
from monitoring.adapters.decisions import DecisionRepository
from monitoring.adapters.enforcement_cases import EnforcementRepository
from monitoring.adapters.lighter_measures import LighterMeasureRepository
from monitoring.adapters.notices import NoticeFilter, NoticeRepository
from monitoring.adapters.reports import ReportRepository
from monitoring.adapters.webhooks import DeliveryQueue, DeliveryRecord, SubscriptionRepository
from monitoring.domain.decision import Decision
from monitoring.domain.notice import Notice, NoticeStatus, Timeliness
from monitoring.domain.notice_file import NoticeFile, notice_file
from monitoring.domain.priority import order_key
from monitoring.domain.report import Report
from monitoring.domain.rules import MonitoringRules
from monitoring.domain.statistics import DepartmentMonth, RemovalRecord, tabulate
from monitoring.domain.webhook import DeliveryStatus, WebhookSubscription

# --------------------------------------------------------------------------- notices


async def notice_files(
    uow: UnitOfWork, notices: Sequence[Notice], rules: MonitoringRules
) -> list[NoticeFile]:
    """Each notice with its detention, latest decision and priority, read in a unit of work already open."""
    detentions = await EnforcementRepository(uow.session).detentions_for(n.return_case_id for n in notices)
    measures = await LighterMeasureRepository(uow.session).for_cases(n.return_case_id for n in notices)
    decisions = await DecisionRepository(uow.session).latest_for(n.notice_id for n in notices)
    return [
        notice_file(
            n,
            detentions=detentions.get(n.return_case_id, []),
            decision=decisions.get(n.notice_id),
            risk_countries=rules.risk_countries,
            lighter_measures=measures.get(n.return_case_id, []),
        )
        for n in notices
    ]


async def notices(
    uow: UnitOfWork, where: NoticeFilter, rules: MonitoringRules, paging: Paging
) -> tuple[list[NoticeFile], int]:
    async with uow:
        found, total = await NoticeRepository(uow.session).page(where, paging)
        return await notice_files(uow, found, rules), total


async def notice(uow: UnitOfWork, notice_id: str, rules: MonitoringRules) -> NoticeFile:
    async with uow:
        found = await NoticeRepository(uow.session).get(notice_id)
        if found is None:
            raise NotFound("notice", notice_id)
        [file] = await notice_files(uow, [found], rules)
        return file


async def upcoming(
    uow: UnitOfWork,
    rules: MonitoringRules,
    paging: Paging,
    *,
    decided: bool | None,
    department: str | None,
    transport: Transport | None = None,
    timeliness: Timeliness | None = None,
) -> tuple[list[NoticeFile], int]:
    """Planned removals not yet departed, by priority (highest first), then soonest departure."""
    async with uow:
        planned = [
            n
            for n in await NoticeRepository(uow.session).planned_after(uow.clock.now())
            if department in (None, n.responsible_department)
            and transport in (None, n.plan and n.plan.transport)
            and timeliness in (None, n.timeliness)
        ]
        files = await notice_files(uow, planned, rules)
    if decided is not None:
        files = [f for f in files if (f.decision is not None) is decided]
    ordered = sorted(files, key=_upcoming_order)
    return paging.of(ordered), len(ordered)


def _upcoming_order(file: NoticeFile) -> tuple[int, datetime, str]:
    plan = file.notice.plan
    assert plan is not None  # a planned notice always has its plan
    assert file.priority is not None
    return order_key(file.priority.score, plan.planned_departure, file.notice.plan_id)


async def departments(uow: UnitOfWork) -> list[str]:
    """Every police department the monitor has a notice from, in order."""
    async with uow:
        return await NoticeRepository(uow.session).departments()


# --------------------------------------------------------------------------- decisions, reports


async def decisions(uow: UnitOfWork, paging: Paging, *, notice_id: str | None) -> tuple[list[Decision], int]:
    async with uow:
        return await DecisionRepository(uow.session).page(paging, notice_id=notice_id)


async def decision(uow: UnitOfWork, decision_id: str) -> Decision:
    async with uow:
        found = await DecisionRepository(uow.session).get(decision_id)
    if found is None:
        raise NotFound("decision", decision_id)
    return found


async def reports(
    uow: UnitOfWork, paging: Paging, *, published: bool | None, notice_id: str | None
) -> tuple[list[Report], int]:
    async with uow:
        return await ReportRepository(uow.session).page(paging, published=published, notice_id=notice_id)


async def report(uow: UnitOfWork, report_id: str, *, published_only: bool = False) -> Report:
    async with uow:
        found = await ReportRepository(uow.session).get(report_id)
    if found is None or (published_only and not found.published):
        raise NotFound("published report" if published_only else "report", report_id)
    return found


# --------------------------------------------------------------------------- webhooks


async def subscriptions(uow: UnitOfWork, *, include_deleted: bool) -> list[WebhookSubscription]:
    async with uow:
        return await SubscriptionRepository(uow.session).listed(include_deleted=include_deleted)


async def subscription(uow: UnitOfWork, subscription_id: str) -> WebhookSubscription:
    async with uow:
        found = await SubscriptionRepository(uow.session).get(subscription_id)
    if found is None:
        raise NotFound("webhook subscription", subscription_id)
    return found


async def delivery_log(
    uow: UnitOfWork, subscription_id: str, paging: Paging, *, status: DeliveryStatus | None
) -> tuple[list[DeliveryRecord], int]:
    async with uow:
        if await SubscriptionRepository(uow.session).get(subscription_id) is None:
            raise NotFound("webhook subscription", subscription_id)
        return await DeliveryQueue(uow.session).log(subscription_id, paging, status=status)


# --------------------------------------------------------------------------- statistics


async def statistics(
    uow: UnitOfWork,
    rules: MonitoringRules,
    *,
    department: str | None,
    from_month: str | None,
    to_month: str | None,
) -> list[DepartmentMonth]:
    async with uow:
        found = await NoticeRepository(uow.session).all(department=department)
        latest = await DecisionRepository(uow.session).latest_for()
        filed = {r.notice_id: r for r in await ReportRepository(uow.session).all()}
    records = []
    for notice in found:
        when: datetime | None = notice.removal_date
        if when is None:
            continue
        month = rules.month_of(when)
        if (from_month and month < from_month) or (to_month and month > to_month):
            continue
        decision = latest.get(notice.notice_id)
        report = filed.get(notice.notice_id)
        records.append(
            RemovalRecord(
                department=notice.responsible_department,
                month=month,
                notified=notice.timeliness is not Timeliness.MISSING,
                on_time=notice.timeliness is Timeliness.ON_TIME,
                lead_time_working_days=notice.lead_time_working_days,
                carried_out=notice.status in (NoticeStatus.EXECUTED, NoticeStatus.ABORTED),
                monitored=decision is not None and decision.monitored,
                phases=frozenset(report.phases_observed) if report else frozenset(),
                unannounced_change=notice.deviation is not None,
            )
        )
    return tabulate(records)
