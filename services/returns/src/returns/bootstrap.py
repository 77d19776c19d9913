"""Wiring returns together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.consumer import Subscription
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import ApplicationRegisteredV1
from handoff_schemas.topics import INTAKE_APPLICATION_V1
from returns import handlers
from returns.adapters import orm
from returns.entrypoints.http import router


class ReturnsSettings(Settings):
    service_name: str = "returns"
    http_port: int = 8002


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="returns",
        title="Handoff returns: return counselling",
        description="The Migration Agency's return counselling: return cases, voluntary departure, "
        "handover to the Police.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[router],
        subscriptions=[
            Subscription(
                name="intake-applications",
                topics=[INTAKE_APPLICATION_V1.name],
                handlers={ApplicationRegisteredV1: handlers.application_registered},
            )
        ],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    return ServiceRuntime(definition(), settings or ReturnsSettings(), clock=clock)
