"""The monitor's own Prometheus metrics: webhook deliveries and notices by timeliness.

Delivery attempts are counted as they happen; the backlog and the notices live in the
database and are read at scrape time by :func:`probe` (registered by the runtime while it
runs). Labels are departments, timeliness and status: never a plan, a notice or a person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from prometheus_client import Counter, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff_plumbing.metrics import Probe, Sample, define_gauge
from monitoring.adapters.orm import notices, webhook_deliveries, webhook_subscriptions
from monitoring.domain.webhook import DeliveryStatus

WEBHOOK_FAILURES = Counter(
    "handoff_webhook_failures", "Webhook delivery attempts that failed (an error or a non-2xx answer)."
)
WEBHOOK_DELIVERY_SECONDS = Histogram(
    "handoff_webhook_delivery_seconds",
    "Time of one webhook delivery attempt, by outcome (delivered or failed).",
    ["outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
WEBHOOK_BACKLOG = define_gauge(
    "handoff_webhook_backlog", "Webhook deliveries waiting to reach the monitor's systems.", []
)
WEBHOOK_OLDEST_AGE = define_gauge(
    "handoff_webhook_oldest_pending_age_seconds",
    "Age of the oldest webhook delivery still waiting (0 when none is).",
    [],
)
NOTICES = define_gauge(
    "handoff_notices",
    "Notices of planned removals by responsible department, timeliness (on_time, late, missing) "
    "and status (planned, cancelled, executed, aborted).",
    ["department", "timeliness", "status"],
)
WEBHOOK_FAILURES.inc(0)


def webhook_attempted(delivered: bool, seconds: float) -> None:
    WEBHOOK_DELIVERY_SECONDS.labels("delivered" if delivered else "failed").observe(seconds)
    if not delivered:
        WEBHOOK_FAILURES.inc()


def probe(sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime]) -> Probe:
    async def samples() -> list[Sample]:
        d, s = webhook_deliveries, webhook_subscriptions
        async with sessions() as session:
            backlog, oldest = (
                await session.execute(
                    select(func.count(), func.min(d.c.created_at))
                    .select_from(d.join(s, s.c.subscription_id == d.c.subscription_id))
                    .where(d.c.status == DeliveryStatus.PENDING.value, s.c.deleted_at.is_(None))
                )
            ).one()
            counts = (
                await session.execute(
                    select(
                        notices.c.responsible_department, notices.c.timeliness, notices.c.status, func.count()
                    ).group_by(notices.c.responsible_department, notices.c.timeliness, notices.c.status)
                )
            ).all()
            await session.rollback()
        age = max(0.0, (now() - oldest).total_seconds()) if oldest is not None else 0.0
        return [
            Sample(WEBHOOK_BACKLOG, {}, backlog),
            Sample(WEBHOOK_OLDEST_AGE, {}, age),
            *(
                Sample(NOTICES, {"department": dept, "timeliness": timeliness, "status": status}, n)
                for dept, timeliness, status, n in counts
            ),
        ]

    return samples
