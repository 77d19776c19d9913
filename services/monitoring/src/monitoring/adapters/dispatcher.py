"""The webhook dispatcher: a background task that pushes queued deliveries to the monitor's systems.

It runs beside the outbox relay for as long as the service runs. Each pass takes the due
deliveries (the oldest pending one per subscription and plan), posts each body signed as
Standard Webhooks say (the ``standardwebhooks`` library's signature, one per active secret,
over the delivery's id, this attempt's timestamp and the body), and records the attempt;
a failure schedules the next try with exponential backoff and holds back the rest of that
subscription for this pass. Nothing is ever dropped: an endpoint that was down gets
everything, in order per plan, when it answers again.

Retry timing is operational rather than a domain rule, so the dispatcher keeps its own
clock (the wall clock unless a test injects another).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from handoff_plumbing.clock import Clock
from monitoring.adapters import metrics
from monitoring.adapters.webhooks import DeliveryQueue, DueDelivery
from monitoring.domain.webhook import EVENT_HEADER, retry_delay

log = structlog.get_logger("monitoring.webhooks")


def standard_webhook_headers(
    delivery_id: str, secrets: tuple[str, ...], body: str, at: datetime
) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (a ``v1,`` signature per secret)."""
    moment = at.astimezone(UTC)
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(delivery_id, moment, body) for secret in secrets),
    }


@dataclass
class DispatchStats:
    delivered: int = 0
    failed_attempts: int = 0


@dataclass(frozen=True)
class DispatchOptions:
    timeout_seconds: float = 10.0
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 300.0
    poll_seconds: float = 1.0
    batch_size: int = 100


class WebhookDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        options: DispatchOptions,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._options = options
        self._transport = transport
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self.stats = DispatchStats()

    def notify(self) -> None:
        """Something was committed that may have queued deliveries: look now."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self.run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            task, self._task = self._task, None
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                delivered = await self.dispatch_due()
            except Exception as exc:  # noqa: BLE001  (the dispatcher must outlive any failure)
                failures += 1
                delay = retry_delay(
                    failures,
                    initial=self._options.backoff_initial_seconds,
                    maximum=self._options.backoff_max_seconds,
                )
                log.warning("webhook dispatch failed; retrying", error=repr(exc), retry_in=delay)
                await self._sleep(delay)
                continue
            failures = 0
            if not delivered:
                await self._sleep(self._options.poll_seconds)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self._options.timeout_seconds, follow_redirects=False, transport=self._transport
            )
        return self._client

    async def dispatch_due(self) -> int:
        """One pass over the due deliveries; returns how many were delivered."""
        async with self._sessions() as session:
            due = await DeliveryQueue(session).due(self._clock.now(), limit=self._options.batch_size)
            await session.rollback()
        held_back: set[str] = set()
        delivered = 0
        for delivery in due:
            if self._stopping.is_set():
                break
            if delivery.subscription_id in held_back:
                continue
            if await self._attempt(delivery):
                delivered += 1
            else:
                held_back.add(delivery.subscription_id)
        return delivered

    async def _attempt(self, delivery: DueDelivery) -> bool:
        body = delivery.body.encode()
        headers = {
            "content-type": "application/json",
            "user-agent": "handoff-monitoring-webhooks/2",
            EVENT_HEADER: delivery.event_type,
            **standard_webhook_headers(
                delivery.delivery_id, delivery.secrets, delivery.body, self._clock.now()
            ),
        }
        started = time.monotonic()
        status_code: int | None = None
        error: str | None = None
        try:
            response = await self._http().post(delivery.url, content=body, headers=headers)
            status_code = response.status_code
            if not response.is_success:
                error = f"HTTP {status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        ok = error is None
        metrics.webhook_attempted(ok, time.monotonic() - started)
        attempted_at = self._clock.now()
        next_attempt_at = None
        if not ok:
            delay = retry_delay(
                delivery.attempts + 1,
                initial=self._options.backoff_initial_seconds,
                maximum=self._options.backoff_max_seconds,
            )
            next_attempt_at = attempted_at + timedelta(seconds=delay)
        async with self._sessions() as session:
            await DeliveryQueue(session).record(
                delivery,
                attempted_at=attempted_at,
                status_code=status_code,
                error=error,
                duration_ms=int((time.monotonic() - started) * 1000),
                delivered=ok,
                next_attempt_at=next_attempt_at,
            )
            await session.commit()
        if ok:
            self.stats.delivered += 1
        else:
            self.stats.failed_attempts += 1
            log.warning(
                "webhook delivery failed; will retry",
                delivery_id=delivery.delivery_id,
                subscription_id=delivery.subscription_id,
                attempts=delivery.attempts + 1,
                error=error,
                retry_at=next_attempt_at.isoformat() if next_attempt_at else None,
            )
        return ok
