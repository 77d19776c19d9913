"""The monitor's commands behind the HTTP API: load, call the domain, store, stage its events.

Each runs inside the unit of work it is given and does not commit: the HTTP edge
(:data:`handoff_plumbing.http.commands.Command`) commits, together with the answer it
remembers under the caller's ``request_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handoff_plumbing.errors import InvalidInput, NotFound
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.monitoring import MonitoringDecision, MonitoringDecisionReason, RemovalPhase
from monitoring.adapters.decisions import DecisionRepository
from monitoring.adapters.notices import NoticeRepository
from monitoring.adapters.reports import ReportRepository
from monitoring.adapters.webhooks import DeliveryQueue, SubscriptionRepository
from monitoring.domain.decision import Decision
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.report import Finding, Report
from monitoring.domain.rules import MonitoringRules
from monitoring.domain.webhook import WebhookSecret, WebhookSubscription


@dataclass(frozen=True)
class Decide:
    notice_id: str
    decision: MonitoringDecision
    monitors: Sequence[str]
    reason: MonitoringDecisionReason
    decided_by: str


async def decide(uow: UnitOfWork, command: Decide) -> Decision:
    decisions = DecisionRepository(uow.session)
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
    )
    await decisions.add(decision)
    await uow.publish(event)
    return decision


@dataclass(frozen=True)
class FileReport:
    notice_id: str
    phases_observed: Sequence[RemovalPhase]
    findings: Sequence[Finding]
    recommendations: Sequence[str]
    publish: bool
    filed_by: str


async def file_report(uow: UnitOfWork, command: FileReport) -> Report:
    reports = ReportRepository(uow.session)
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
    )
    await reports.add(report)
    if event is not None:
        await uow.publish(event)
    return report


async def publish_report(uow: UnitOfWork, report_id: str) -> Report:
    reports = ReportRepository(uow.session)
    report = await reports.get(report_id)
    if report is None:
        raise NotFound("report", report_id)
    event = report.publish(now=uow.clock.now())
    if event is not None:
        await reports.save(report)
        await uow.publish(event)
    return report


@dataclass(frozen=True)
class Subscribe:
    url: str
    secret: str | None
    event_types: Sequence[NoticeHappening]
    created_by: str


async def subscribe(uow: UnitOfWork, command: Subscribe, rules: MonitoringRules) -> WebhookSubscription:
    subscription = WebhookSubscription.create(
        url=command.url,
        secret=command.secret,
        event_types=command.event_types,
        created_by=command.created_by,
        now=uow.clock.now(),
        allow_plain_http=rules.allow_plain_http_webhooks,
    )
    await SubscriptionRepository(uow.session).add(subscription)
    return subscription


async def _active_subscription(uow: UnitOfWork, subscription_id: str) -> WebhookSubscription:
    subscription = await SubscriptionRepository(uow.session).get(subscription_id)
    if subscription is None or not subscription.active:
        raise NotFound("webhook subscription", subscription_id)
    return subscription


async def add_secret(
    uow: UnitOfWork, subscription_id: str, secret: str | None
) -> tuple[WebhookSubscription, WebhookSecret]:
    """Rotation: a new secret signs every delivery from now on, beside the active ones."""
    subscription = await _active_subscription(uow, subscription_id)
    added = subscription.add_secret(secret, now=uow.clock.now())
    await SubscriptionRepository(uow.session).save(subscription)
    return subscription, added


async def retire_secret(uow: UnitOfWork, subscription_id: str, secret_id: str) -> WebhookSubscription:
    """Rotation: the secret signs no more deliveries (the last active one cannot be retired)."""
    subscription = await _active_subscription(uow, subscription_id)
    subscription.retire_secret(secret_id, now=uow.clock.now())
    await SubscriptionRepository(uow.session).save(subscription)
    return subscription


async def unsubscribe(uow: UnitOfWork, subscription_id: str) -> None:
    """Delete a subscription (again is fine); its pending deliveries are cancelled, its log kept."""
    subscriptions = SubscriptionRepository(uow.session)
    subscription = await subscriptions.get(subscription_id)
    if subscription is None:
        raise NotFound("webhook subscription", subscription_id)
    if subscription.delete(now=uow.clock.now()):
        await subscriptions.save(subscription)
        await DeliveryQueue(uow.session).cancel_pending(subscription_id)
