"""Wiring monitoring together: its settings, definition and runtime.

The runtime is the shared :class:`ServiceRuntime` plus one background task of its own, the
webhook dispatcher, started and stopped with the service (and woken by every commit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import httpx
from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from handoff_plumbing import metrics as plumbing_metrics
from handoff_plumbing.clock import Clock, SystemClock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_plumbing.uow import UnitOfWork
from handoff_plumbing.workdays import working_calendar
from handoff_schemas.events.common import Transport
from handoff_schemas.events.monitoring import (
    MonitoringDecisionMadeV1,
    MonitoringReportFiledV1,
    NoticeAcknowledgedV1,
    NoticeLateV1,
    NoticeMissingV1,
)
from handoff_schemas.topics import POLICE_ENFORCEMENT_CASE_V1, POLICE_REMOVAL_PLAN_V1
from monitoring.adapters import metrics, orm
from monitoring.adapters.dispatcher import DispatchOptions, WebhookDispatcher
from monitoring.domain.lead_time import DEFAULT_REQUIRED_WORKING_DAYS, LeadTimePolicy
from monitoring.entrypoints import notices, reports, statistics, webhooks
from monitoring.handlers import PoliceEvents
from monitoring.policy import MonitoringPolicy


class MonitoringSettings(Settings):
    service_name: str = "monitoring"
    http_port: int = 8004
    lead_time_working_days: dict[Transport, int] = Field(
        default_factory=lambda: dict(DEFAULT_REQUIRED_WORKING_DAYS),
        description="Working days of notice the monitor requires per transport, as JSON; transports "
        'left out keep their default (charter 10, scheduled_flight 5, land 3, sea 3), e.g. {"charter": 15}.',
    )
    calendar_country: str = Field(
        default="FI",
        description="Country (ISO 3166-1 alpha-2) whose public holidays are not working days.",
    )
    calendar_timezone: str = Field(
        default="Europe/Helsinki", description="The monitor's time zone: dates and months are counted in it."
    )
    risk_countries: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-3 codes of destinations (or transit countries) that raise a "
        'removal\'s priority: comma-separated ("AFG,IRQ") or a JSON list.',
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_backoff_initial_seconds: float = Field(default=1.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=300.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_batch_size: int = Field(default=100, ge=1)
    webhook_allow_plain_http: bool = Field(
        default=False,
        description="Allow http:// webhook URLs to other hosts than this one (never in production).",
    )

    @field_validator("lead_time_working_days", mode="after")
    @classmethod
    def _complete_policy(cls, value: dict[Transport, int]) -> dict[Transport, int]:
        negative = sorted(t.value for t, days in value.items() if days < 0)
        if negative:
            raise ValueError(f"a required lead time is never negative: {negative}")
        return {**DEFAULT_REQUIRED_WORKING_DAYS, **value}

    @field_validator("calendar_country", mode="after")
    @classmethod
    def _known_country(cls, value: str) -> str:
        country = value.upper()
        if country not in holidays.list_supported_countries():
            raise ValueError(f"no holiday calendar for {value!r}")
        return country

    @field_validator("calendar_timezone", mode="after")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (is tzdata installed?)") from exc
        return value

    @field_validator("risk_countries", mode="before")
    @classmethod
    def _country_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("risk_countries", mode="after")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        codes = [code.upper() for code in value]
        bad = [code for code in codes if len(code) != 3 or not code.isalpha()]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-3 codes: {bad}")
        return sorted(set(codes))


def policy_from(settings: MonitoringSettings) -> MonitoringPolicy:
    return MonitoringPolicy(
        lead_time=LeadTimePolicy(
            required=dict(settings.lead_time_working_days),
            calendar=working_calendar(settings.calendar_country),
            zone=ZoneInfo(settings.calendar_timezone),
        ),
        risk_countries=frozenset(settings.risk_countries),
        allow_plain_http_webhooks=settings.webhook_allow_plain_http,
    )


def definition(policy: MonitoringPolicy | None = None) -> ServiceDefinition:
    police = PoliceEvents(policy or policy_from(MonitoringSettings()))
    return ServiceDefinition(
        name="monitoring",
        title="Handoff monitoring: the forced-return monitor",
        description="The independent monitor (ombudsman): notices of planned removals and their "
        "timeliness, monitoring decisions, reports, webhooks to its own systems, and statistics.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[notices.router, reports.router, webhooks.router, statistics.router],
        subscriptions=[
            Subscription(
                name="removal-plans",
                topics=[POLICE_REMOVAL_PLAN_V1.name],
                handlers=police.removal_plan_handlers(),
            ),
            Subscription(
                name="enforcement-cases",
                topics=[POLICE_ENFORCEMENT_CASE_V1.name],
                handlers=police.enforcement_case_handlers(),
            ),
        ],
        publishes=[
            NoticeAcknowledgedV1,
            NoticeLateV1,
            NoticeMissingV1,
            MonitoringDecisionMadeV1,
            MonitoringReportFiledV1,
        ],
    )


class MonitoringRuntime(ServiceRuntime):
    """The service runtime plus the webhook dispatcher."""

    def __init__(
        self,
        definition: ServiceDefinition,
        settings: MonitoringSettings,
        *,
        policy: MonitoringPolicy,
        clock: Clock | None = None,
        delivery_clock: Clock | None = None,
        webhook_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(definition, settings, clock=clock, uow_class=self._unit_of_work)
        self.policy = policy
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
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    delivery_clock: Clock | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
) -> MonitoringRuntime:
    if settings is None:
        settings = MonitoringSettings()
    elif not isinstance(settings, MonitoringSettings):
        settings = MonitoringSettings(**settings.model_dump())
    policy = policy_from(settings)
    return MonitoringRuntime(
        definition(policy),
        settings,
        policy=policy,
        clock=clock,
        delivery_clock=delivery_clock,
        webhook_transport=webhook_transport,
    )
