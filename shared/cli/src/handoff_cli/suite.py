"""The running suite as the command sees it: five HTTP APIs, each called with a role's token.

Where the services are: ``--host`` and ``--base-port`` (the five ports follow each other in
the order of :data:`SERVICES`, as ``make run`` and ``tools/run_suite.py --base-port`` start
them), or one URL per service in ``HANDOFF_<SERVICE>_URL`` (e.g. ``HANDOFF_POLICE_HANDOVER_URL``).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

import httpx

from handoff_cli.credentials import Caller, issue_token

SERVICES = ("intake", "returns", "police-handover", "monitoring", "resettlement")
T = TypeVar("T")


@dataclass(frozen=True)
class SuiteAddress:
    urls: Mapping[str, str]

    @classmethod
    def of(cls, host: str = "127.0.0.1", base_port: int = 8001) -> SuiteAddress:
        urls = {}
        for offset, name in enumerate(SERVICES):
            variable = f"HANDOFF_{name.upper().replace('-', '_')}_URL"
            urls[name] = os.environ.get(variable) or f"http://{host}:{base_port + offset}"
        return cls(urls)


class ApiError(RuntimeError):
    """A service answered with an error; ``problem`` is its problem+json body."""

    def __init__(self, service: str, method: str, path: str, status: int, problem: Any) -> None:
        self.service, self.method, self.path, self.status, self.problem = (
            service,
            method,
            path,
            status,
            problem,
        )
        super().__init__(f"{service} {method} {path} -> {status}: {describe_problem(problem)}")

    @property
    def reason(self) -> str | None:
        return self.problem.get("reason") if isinstance(self.problem, dict) else None


class Unreachable(RuntimeError):
    """A service did not answer at all."""


class NotYet(TimeoutError):
    """A bounded wait ran out: the event the next step needs did not arrive in time."""


def describe_problem(problem: Any) -> str:
    """One line from a problem+json body: the detail, and each field error by its location."""
    if not isinstance(problem, dict):
        return str(problem)[:300]
    parts = [str(problem.get("detail") or problem.get("title") or "")]
    for error in problem.get("errors") or []:
        location = ".".join(str(p) for p in error.get("loc", []) if p != "body")
        parts.append(f"{location}: {error.get('msg')}")
    missing = problem.get("missing")
    if missing:
        parts.append(f"missing: {missing}")
    return "; ".join(p for p in parts if p)


@dataclass
class Suite:
    """HTTP clients for the five services; tokens issued once per caller and reused."""

    address: SuiteAddress
    timeout: float = 30.0
    max_connections: int = 32
    _clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    _tokens: dict[Caller, str] = field(default_factory=dict)

    async def __aenter__(self) -> Suite:
        limits = httpx.Limits(
            max_connections=self.max_connections, max_keepalive_connections=self.max_connections
        )
        for name, url in self.address.urls.items():
            self._clients[name] = httpx.AsyncClient(base_url=url, timeout=self.timeout, limits=limits)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    def token(self, caller: Caller) -> str:
        if caller not in self._tokens:
            self._tokens[caller] = issue_token(caller)
        return self._tokens[caller]

    async def send(
        self, service: str, method: str, path: str, caller: Caller, *, json: Any = None, params: Any = None
    ) -> httpx.Response:
        """The raw answer (for steps that look at the status themselves)."""
        headers = {"Authorization": f"Bearer {self.token(caller)}"}
        try:
            return await self._clients[service].request(
                method, path, json=json, params=params, headers=headers
            )
        except httpx.TransportError as exc:
            raise Unreachable(f"{service} at {self.address.urls[service]} did not answer: {exc!r}") from exc

    async def call(
        self, service: str, method: str, path: str, caller: Caller, *, json: Any = None, params: Any = None
    ) -> Any:
        """The answer's JSON body, or :class:`ApiError` with the service's problem."""
        response = await self.send(service, method, path, caller, json=json, params=params)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = response.text
            raise ApiError(service, method, path, response.status_code, problem)
        return response.json() if response.content else None

    async def get(self, service: str, path: str, caller: Caller, **params: Any) -> Any:
        return await self.call(
            service, "GET", path, caller, params={k: v for k, v in params.items() if v is not None}
        )

    async def post(self, service: str, path: str, caller: Caller, body: Any = None) -> Any:
        return await self.call(service, "POST", path, caller, json=body if body is not None else {})

    async def pages(self, service: str, path: str, caller: Caller, **params: Any) -> list[Any]:
        """Every item of a paged listing (``{items, total, limit, offset}``), 500 at a time."""
        items: list[Any] = []
        while True:
            page = await self.get(service, path, caller, limit=500, offset=len(items), **params)
            items.extend(page["items"])
            if not page["items"] or len(items) >= page["total"]:
                return items

    async def ready(self) -> dict[str, bool]:
        """Which services answer ``/health/ready`` with ready."""

        async def one(name: str) -> bool:
            try:
                response = await self._clients[name].get("/health/ready")
                return response.status_code == 200 and response.json().get("status") == "ready"
            except (httpx.HTTPError, ValueError):
                return False

        answers = await asyncio.gather(*(one(name) for name in SERVICES))
        return dict(zip(SERVICES, answers, strict=True))


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool],
    what: str,
    timeout: float = 60.0,
    interval: float = 0.2,
) -> T:
    """Poll ``probe`` until ``until`` holds, at most ``timeout`` seconds: the next step depends on
    an event crossing Kafka. Raises :class:`NotYet` naming ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        last = await probe()
        if until(last):
            return last
        if time.monotonic() > deadline:
            raise NotYet(f"{what}: not there after {timeout:.0f} s")
        await asyncio.sleep(interval)
