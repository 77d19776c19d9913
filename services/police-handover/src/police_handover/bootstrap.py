"""Wiring police-handover together: its definition, settings and runtime.

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
from handoff_schemas.topics import RETURNS_RETURN_CASE_V1
from police_handover.adapters import orm


class PoliceHandoverSettings(Settings):
    service_name: str = "police-handover"
    http_port: int = 8003


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="police-handover",
        title="Handoff police-handover: enforcement of removals",
        description="The Police: accepts handovers of return cases, plans and carries out removals.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        subscriptions=[Subscription(name="upstream", topics=[RETURNS_RETURN_CASE_V1.name])],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    return ServiceRuntime(definition(), settings or PoliceHandoverSettings(), clock=clock)
