"""Wiring intake together: its definition, settings and runtime."""

from __future__ import annotations

from pathlib import Path

from handoff_plumbing.clock import Clock
from handoff_plumbing.service import ServiceDefinition, ServiceRuntime
from handoff_plumbing.settings import Settings
from handoff_schemas.events.intake import ApplicationRegisteredV1
from intake.adapters import orm
from intake.entrypoints.http import router


class IntakeSettings(Settings):
    service_name: str = "intake"
    http_port: int = 8001


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="intake",
        title="Handoff intake: asylum applications and decisions",
        description="The Migration Agency's intake: registers asylum applications and decides them.",
        metadata=orm.metadata,
        outbox=orm.outbox,
        inbox=orm.inbox,
        migrations_dir=Path(__file__).parent / "migrations",
        routers=[router],
        publishes=[ApplicationRegisteredV1],
    )


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> ServiceRuntime:
    return ServiceRuntime(definition(), settings or IntakeSettings(), clock=clock)
