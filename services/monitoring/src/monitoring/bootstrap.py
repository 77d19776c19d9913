"""Wiring monitoring together: its definition, settings and runtime.

The domain of this authority comes in its own issue; until then the service runs with
its database, outbox relay, dead-letter handling and a subscription to its upstream topic,
taking no action on the events it reads.
"""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.topics import POLICE_REMOVAL_PLAN_V1
from monitoring.adapters import orm


class MonitoringSettings(Settings):
    service_name: str = "monitoring"
    http_port: int = 8004


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="monitoring",
        title="Handoff monitoring: the forced-return monitor",
        description="The independent monitor (ombudsman): notices of planned removals and their timeliness.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        subscriptions=[Subscription(name="upstream", topics=[POLICE_REMOVAL_PLAN_V1.name])],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    return ServiceRuntime(definition(), settings or MonitoringSettings(), clock=clock)
