"""What every walk shares: the callers, the printed steps, and the dates relative to today."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from handoff_cli.credentials import Caller
from handoff_cli.suite import Suite

T = TypeVar("T")

AGENCY = Caller("agency", subject="agency:return-unit-malmo")
POLICE = Caller("police", department="POL-SYD")
MONITOR = Caller("monitor", subject="monitor:MON-07")
COUNTY_BOARD = Caller("county_board", county="12")
MUNICIPALITY = Caller("municipality", municipality="1280")
OPERATOR = Caller("operator", subject="operator:on-call")


@dataclass(frozen=True)
class Step:
    number: int
    caller: Caller
    service: str
    call: str
    result: str
    waited: float | None = None

    def line(self) -> str:
        waited = f" (waited {self.waited:.1f} s)" if self.waited is not None else ""
        head = f"{self.number:>2}  {self.caller.role:<13} {self.service:<16} {self.call}{waited}"
        return f"{head}\n      {self.result}"


@dataclass
class Walk:
    """The state of one walk: the suite, today, a run id for request ids, the steps so far."""

    suite: Suite
    say: Callable[[Step], None]
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    steps: list[Step] = field(default_factory=list)
    timeout: float = 60.0

    def day(self, days_from_today: int) -> str:
        return (self.today + timedelta(days=days_from_today)).isoformat()

    def request_id(self, name: str) -> str:
        return f"flow-{self.run}-{name}"

    def record(
        self, caller: Caller, service: str, call: str, result: str, waited: float | None = None
    ) -> None:
        step = Step(len(self.steps) + 1, caller, service, call, result, waited)
        self.steps.append(step)
        self.say(step)

    async def timed(self, work: Awaitable[T]) -> tuple[T, float]:
        started = time.monotonic()
        value = await work
        return value, time.monotonic() - started

    async def post(self, caller: Caller, service: str, path: str, body: Any) -> Any:
        return await self.suite.post(service, path, caller, body)
