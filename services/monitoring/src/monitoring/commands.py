"""The monitor's commands and queries behind the HTTP API: load, call the domain, commit.

Creation commands are idempotent under the caller's ``request_id``: a repeat returns what
the first one made (``created`` is False) and makes nothing new, also when two repeats race
(the unique request id decides, the loser reads the winner's result).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.monitoring import MonitoringDecision, MonitoringDecisionReason, RemovalPhase
from monitoring.adapters.repository import (
    DecisionRepository,
    EnforcementRepository,
    NoticeFilter,
    NoticeRepository,
    ReportRepository,
)
from monitoring.adapters.webhooks import DeliveryQueue, DeliveryRecord, SubscriptionRepository
from monitoring.domain.decision import Decision
from monitoring.domain.errors import Conflict, InvalidInput
from monitoring.domain.notice import Notice, NoticeHappening, NoticeStatus, Timeliness
from monitoring.domain.priority import order_key
from monitoring.domain.report import Finding, Report
from monitoring.domain.statistics import DepartmentMonth, RemovalRecord, tabulate
from monitoring.domain.webhook import DeliveryStatus, WebhookSubscription
from monitoring.policy import MonitoringPolicy
from monitoring.views import NoticeOut, notice_view

T = TypeVar("T")


class NotFound(LookupError):
    def __init__(self, what: str, identifier: str) -> None:
        super().__init__(f"no {what} {identifier!r}")
        self.what = what
        self.identifier = identifier


async def _idempotent(
    uow: UnitOfWork,
    create: Callable[[], Awaitable[tuple[T, bool]]],
    replay: Callable[[], Awaitable[T | None]],
) -> tuple[T, bool]:
    """Run ``create``; if a concurrent twin won the unique request id, return the twin's result.

    Any other lost race (two decisions on one notice at once) is a conflict: try again.
    """
    try:
        return await create()
    except IntegrityError as exc:
        async with uow:
            existing = await replay()
        if existing is None:
            raise Conflict("a concurrent change came first; repeat the request") from exc
        return existing, False


# --------------------------------------------------------------------------- notices


async def _views(uow: UnitOfWork, notices: Sequence[Notice], policy: MonitoringPolicy) -> list[NoticeOut]:
    detentions = await EnforcementRepository(uow.session).detentions_for(n.return_case_id for n in notices)
    decisions = await DecisionRepository(uow.session).latest_for(n.notice_id for n in notices)
    return [
        notice_view(
            n,
            detentions=detentions.get(n.return_case_id, []),
            decision=decisions.get(n.notice_id),
            risk_countries=policy.risk_countries,
        )
        for n in notices
    ]


async def list_notices(
    uow: UnitOfWork, where: NoticeFilter, policy: MonitoringPolicy, *, limit: int, offset: int
) -> tuple[list[NoticeOut], int]:
    async with uow:
        notices, total = await NoticeRepository(uow.session).page(where, limit=limit, offset=offset)
        return await _views(uow, notices, policy), total


async def get_notice(uow: UnitOfWork, notice_id: str, policy: MonitoringPolicy) -> NoticeOut:
    async with uow:
        notice = await NoticeRepository(uow.session).get(notice_id)
        if notice is None:
            raise NotFound("notice", notice_id)
        [view] = await _views(uow, [notice], policy)
        return view


async def upcoming(
    uow: UnitOfWork,
    policy: MonitoringPolicy,
    *,
    decided: bool | None,
    department: str | None,
    limit: int,
    offset: int,
) -> tuple[list[NoticeOut], int]:
    """Planned removals not yet departed, by priority (highest first), then soonest departure."""
    async with uow:
        notices = await NoticeRepository(uow.session).planned_after(uow.clock.now())
        if department is not None:
            notices = [n for n in notices if n.responsible_department == department]
        views = await _views(uow, notices, policy)
    if decided is not None:
        views = [v for v in views if (v.latest_decision is not None) is decided]
    ordered = sorted(views, key=_upcoming_order)
    return ordered[offset : offset + limit], len(ordered)


def _upcoming_order(view: NoticeOut) -> tuple[int, datetime, str]:
    assert view.priority is not None  # a planned notice always has its plan
    assert view.planned_departure is not None
    return order_key(view.priority.score, view.planned_departure, view.plan_id)


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decide:
    notice_id: str
    decision: MonitoringDecision
    monitors: Sequence[str]
    reason: MonitoringDecisionReason
    decided_by: str
    request_id: str | None = None


async def decide(uow: UnitOfWork, command: Decide) -> tuple[Decision, bool]:
    async def create() -> tuple[Decision, bool]:
        async with uow:
            decisions = DecisionRepository(uow.session)
            if command.request_id is not None:
                existing = await decisions.by_request_id(command.request_id)
                if existing is not None:
                    return existing, False
            notice = await NoticeRepository(uow.session).get(command.notice_id)
            if notice is None:
                raise NotFound("notice", command.notice_id)
            decision, event = Decision.make(
                notice,
                decision=command.decision,
                monitors=command.monitors,
                reason=command.reason,
                decided_by=command.decided_by,
                now=uow.clock.now(),
                previous=await decisions.count_for(notice.notice_id),
                request_id=command.request_id,
            )
            await decisions.add(decision)
            await uow.publish(event)
            await uow.commit()
            return decision, True

    async def replay() -> Decision | None:
        if command.request_id is None:
            return None
        return await DecisionRepository(uow.session).by_request_id(command.request_id)

    return await _idempotent(uow, create, replay)


async def list_decisions(
    uow: UnitOfWork, *, notice_id: str | None, limit: int, offset: int
) -> tuple[list[Decision], int]:
    async with uow:
        return await DecisionRepository(uow.session).page(notice_id=notice_id, limit=limit, offset=offset)


async def get_decision(uow: UnitOfWork, decision_id: str) -> Decision:
    async with uow:
        decision = await DecisionRepository(uow.session).get(decision_id)
    if decision is None:
        raise NotFound("decision", decision_id)
    return decision


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class FileReport:
    notice_id: str
    phases_observed: Sequence[RemovalPhase]
    findings: Sequence[Finding]
    recommendations: Sequence[str]
    publish: bool
    filed_by: str
    request_id: str | None = None


async def file_report(uow: UnitOfWork, command: FileReport) -> tuple[Report, bool]:
    async def create() -> tuple[Report, bool]:
        async with uow:
            reports = ReportRepository(uow.session)
            if command.request_id is not None:
                existing = await reports.by_request_id(command.request_id)
                if existing is not None:
                    return existing, False
            notice = await NoticeRepository(uow.session).get(command.notice_id)
            if notice is None:
                raise InvalidInput("notice_id", f"no notice {command.notice_id!r}")
            latest = await DecisionRepository(uow.session).latest_for([notice.notice_id])
            report, event = Report.file(
                notice,
                latest_decision=latest.get(notice.notice_id),
                existing=await reports.by_notice(notice.notice_id),
                phases_observed=command.phases_observed,
                findings=command.findings,
                recommendations=command.recommendations,
                publish=command.publish,
                filed_by=command.filed_by,
                now=uow.clock.now(),
                request_id=command.request_id,
            )
            await reports.add(report)
            if event is not None:
                await uow.publish(event)
            await uow.commit()
            return report, True

    async def replay() -> Report | None:
        if command.request_id is None:
            return None
        return await ReportRepository(uow.session).by_request_id(command.request_id)

    return await _idempotent(uow, create, replay)


async def publish_report(uow: UnitOfWork, report_id: str) -> Report:
    async with uow:
        reports = ReportRepository(uow.session)
        report = await reports.get(report_id)
        if report is None:
            raise NotFound("report", report_id)
        event = report.publish(now=uow.clock.now())
        if event is not None:
            await reports.save(report)
            await uow.publish(event)
            await uow.commit()
        return report


async def list_reports(
    uow: UnitOfWork, *, published: bool | None, notice_id: str | None, limit: int, offset: int
) -> tuple[list[Report], int]:
    async with uow:
        return await ReportRepository(uow.session).page(
            published=published, notice_id=notice_id, limit=limit, offset=offset
        )


async def get_report(uow: UnitOfWork, report_id: str, *, published_only: bool = False) -> Report:
    async with uow:
        report = await ReportRepository(uow.session).get(report_id)
    if report is None or (published_only and not report.published):
        raise NotFound("published report" if published_only else "report", report_id)
    return report


# --------------------------------------------------------------------------- webhooks


@dataclass(frozen=True)
class Subscribe:
    url: str
    secret: str | None
    event_types: Sequence[NoticeHappening]
    created_by: str
    request_id: str | None = None


async def subscribe(
    uow: UnitOfWork, command: Subscribe, policy: MonitoringPolicy
) -> tuple[WebhookSubscription, bool]:
    async def create() -> tuple[WebhookSubscription, bool]:
        async with uow:
            subscriptions = SubscriptionRepository(uow.session)
            if command.request_id is not None:
                existing = await subscriptions.by_request_id(command.request_id)
                if existing is not None:
                    return existing, False
            subscription = WebhookSubscription.create(
                url=command.url,
                secret=command.secret,
                event_types=command.event_types,
                created_by=command.created_by,
                now=uow.clock.now(),
                allow_plain_http=policy.allow_plain_http_webhooks,
                request_id=command.request_id,
            )
            await subscriptions.add(subscription)
            await uow.commit()
            return subscription, True

    async def replay() -> WebhookSubscription | None:
        if command.request_id is None:
            return None
        return await SubscriptionRepository(uow.session).by_request_id(command.request_id)

    return await _idempotent(uow, create, replay)


async def list_subscriptions(uow: UnitOfWork, *, include_deleted: bool) -> list[WebhookSubscription]:
    async with uow:
        return await SubscriptionRepository(uow.session).listed(include_deleted=include_deleted)


async def get_subscription(uow: UnitOfWork, subscription_id: str) -> WebhookSubscription:
    async with uow:
        subscription = await SubscriptionRepository(uow.session).get(subscription_id)
    if subscription is None:
        raise NotFound("webhook subscription", subscription_id)
    return subscription


async def unsubscribe(uow: UnitOfWork, subscription_id: str) -> None:
    """Delete a subscription (again is fine); its pending deliveries are cancelled, its log kept."""
    async with uow:
        subscriptions = SubscriptionRepository(uow.session)
        subscription = await subscriptions.get(subscription_id)
        if subscription is None:
            raise NotFound("webhook subscription", subscription_id)
        if subscription.delete(now=uow.clock.now()):
            await subscriptions.save(subscription)
            await DeliveryQueue(uow.session).cancel_pending(subscription_id)
            await uow.commit()


async def delivery_log(
    uow: UnitOfWork, subscription_id: str, *, status: DeliveryStatus | None, limit: int, offset: int
) -> tuple[list[DeliveryRecord], int]:
    async with uow:
        if await SubscriptionRepository(uow.session).get(subscription_id) is None:
            raise NotFound("webhook subscription", subscription_id)
        return await DeliveryQueue(uow.session).log(
            subscription_id, status=status, limit=limit, offset=offset
        )


# --------------------------------------------------------------------------- statistics


async def statistics(
    uow: UnitOfWork,
    policy: MonitoringPolicy,
    *,
    department: str | None,
    from_month: str | None,
    to_month: str | None,
) -> list[DepartmentMonth]:
    async with uow:
        notices = await NoticeRepository(uow.session).all(department=department)
        decisions = await DecisionRepository(uow.session).latest_for()
        reports = {r.notice_id: r for r in await ReportRepository(uow.session).all()}
    records = []
    for notice in notices:
        when: datetime | None = notice.removal_date
        if when is None:
            continue
        month = policy.month_of(when)
        if (from_month and month < from_month) or (to_month and month > to_month):
            continue
        decision = decisions.get(notice.notice_id)
        report = reports.get(notice.notice_id)
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
            )
        )
    return tabulate(records)
