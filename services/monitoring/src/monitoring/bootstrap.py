"""Wiring monitoring together: its definition (rules, routes, events, tables) and its runtime.

The runtime is the shared :class:`ServiceRuntime` plus one background task of its own, the
webhook dispatcher, started and stopped with the service (and woken by every commit); its app
carries the ombudsman's pages under ``/ui`` besides the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from handoff_plumbing import metrics as plumbing_metrics
from handoff_plumbing.clock import Clock, SystemClock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas.events.monitoring import (
    MonitoringDecisionMadeV1,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    NoticeMissingV1,
    NoticeRevisionMissingV1,
)
from monitoring import event_handlers
from monitoring.adapters import metrics, orm
from monitoring.adapters.dispatcher import DispatchOptions, WebhookDispatcher
from monitoring.domain.rules import MonitoringRules
from monitoring.entrypoints import web
from monitoring.entrypoints.http import routers
from monitoring.settings import MonitoringSettings

__all__ = ["MonitoringRuntime", "MonitoringSettings", "build", "definition"]


def definition(rules: MonitoringRules | None = None) -> ServiceDefinition:
    rules = rules or MonitoringSettings().rules()
    return ServiceDefinition(
        name="monitoring",
        title="Handoff monitoring: the forced-return monitor",
        description="The independent monitor (ombudsman): notices of planned removals and their "
        "timeliness, monitoring decisions, reports, webhooks to its own systems, and statistics.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=routers,
        subscriptions=event_handlers.subscriptions(rules),
        publishes=[
            NoticeAcknowledgedV1,
            NoticeLateV1,
            NoticeMissingV1,
            NoticeRevisionMissingV1,
            MonitoringDecisionMadeV1,
            MonitoringReportFiledV1,
        ],
        rules=rules,
    )


class MonitoringRuntime(ServiceRuntime):
    """The service runtime plus the webhook dispatcher."""

    def __init__(
        self,
        definition: ServiceDefinition,
        settings: MonitoringSettings,
        *,
        rules: MonitoringRules,
        clock: Clock | None = None,
        delivery_clock: Clock | None = None,
        webhook_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(definition, settings, clock=clock, uow_class=self._unit_of_work)
        self.rules = rules
        self.monitoring_settings = settings
        self.delivery_clock = delivery_clock or SystemClock()
        self.dispatcher = WebhookDispatcher(
            self.sessions,
            clock=self.delivery_clock,
            options=DispatchOptions(
                timeout_seconds=settings.webhook_timeout_seconds,
                backoff_initial_seconds=settings.webhook_backoff_initial_seconds,
                backoff_max_seconds=settings.webhook_backoff_max_seconds,
                poll_seconds=settings.webhook_poll_seconds,
                batch_size=settings.webhook_batch_size,
            ),
            transport=webhook_transport,
        )

    def _unit_of_work(self, *args: Any, on_commit: Any = None, **kwargs: Any) -> UnitOfWork:
        """The plumbing's unit of work; a commit also wakes the dispatcher."""

        def committed() -> None:
            if on_commit is not None:
                on_commit()
            self.dispatcher.notify()

        return UnitOfWork(*args, on_commit=committed, **kwargs)

    def create_app(self) -> FastAPI:
        """The API, plus the ombudsman's pages (outside the API's OpenAPI document)."""
        app = super().create_app()
        web.install(app, self.monitoring_settings)
        return app

    async def start(self, *, consume: bool = True, relay: bool = True) -> None:
        await super().start(consume=consume, relay=relay)
        plumbing_metrics.register_probe(
            self.dispatcher, metrics.probe(self.sessions, self.delivery_clock.now)
        )
        self.dispatcher.start()

    async def stop(self) -> None:
        plumbing_metrics.unregister_probe(self.dispatcher)
        await self.dispatcher.stop()
        await super().stop()


def build(
    settings: MonitoringSettings | None = None,
    *,
    clock: Clock | None = None,
    delivery_clock: Clock | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
) -> MonitoringRuntime:
    settings = settings or MonitoringSettings()
    rules = settings.rules()
    return MonitoringRuntime(
        definition(rules),
        settings,
        rules=rules,
        clock=clock,
        delivery_clock=delivery_clock,
        webhook_transport=webhook_transport,
    )
