"""What every stage works with: the suite, the drawn year, the run's state, and the callers."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from handoff_cli.credentials import Caller
from handoff_cli.simulation.caseload import CasePlan, Year
from handoff_cli.simulation.households import PlacesAgreement, QuotaHousehold
from handoff_cli.simulation.state import RunState
from handoff_cli.suite import Suite

AGENCY = Caller("agency", subject="agency:simulator")
POLICE = Caller("police", subject="police:simulator")
MONITOR = Caller("monitor", subject="monitor:simulator")


def county_board(county: str) -> Caller:
    return Caller("county_board", county=county)


def municipality(code: str) -> Caller:
    return Caller("municipality", municipality=code)


@dataclass
class World:
    suite: Suite
    year: Year
    households: list[QuotaHousehold]
    agreements: list[PlacesAgreement]
    state: RunState
    timeout: float = 300.0  # how long a stage waits for the events it caused to arrive downstream
    concurrency: int = 16
    failures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.year.today

    @property
    def cases(self) -> list[CasePlan]:
        return self.year.cases

    def request_id(self, key: str, step: str) -> str:
        """Stable within a run, so a resumed step is answered with its first result."""
        return f"sim-{self.state.run}-{key}-{step}"

    def chance(self, *parts: object) -> random.Random:
        """A generator for a choice made during the run, fixed by the seed and what it is about."""
        text = "|".join(str(p) for p in (self.year.seed, *parts))
        return random.Random(zlib.crc32(text.encode()))

    async def post(self, service: str, path: str, caller: Caller, body: Any) -> Any:
        self.state.requests += 1
        return await self.suite.post(service, path, caller, body)

    async def get(self, service: str, path: str, caller: Caller, **params: Any) -> Any:
        self.state.requests += 1
        return await self.suite.get(service, path, caller, **params)

    async def call(self, service: str, method: str, path: str, caller: Caller, body: Any) -> Any:
        self.state.requests += 1
        return await self.suite.call(service, method, path, caller, json=body)


def working_days_from_now(days: int, *, hour: int = 8) -> datetime:
    """A departure ``days`` working days (Monday to Friday) after today, at ``hour`` UTC."""
    moment = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment
