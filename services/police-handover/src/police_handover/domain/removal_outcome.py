"""How a removal plan ended: carried out (with force, restraints and incidents), aborted or cancelled,
and what the Police report was actually used when it differs from the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff_schemas.events.common import Transport
from handoff_schemas.events.police import AbortReason, CancellationReason, EscortLevel, Restraint


@dataclass(frozen=True)
class Execution:
    executed_at: datetime
    use_of_force: bool
    restraints_used: tuple[Restraint, ...] = ()
    incidents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actual:
    """What the Police report was actually used, where it differs from the plan (None: as planned)."""

    transport: Transport | None = None
    escort_level: EscortLevel | None = None
    destination_country: str | None = None


@dataclass(frozen=True)
class Ending:
    """How a plan ended without execution: aborted or cancelled."""

    at: datetime
    reason: AbortReason | CancellationReason
    note: str | None = None
    at_departure: bool | None = None
