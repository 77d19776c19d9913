"""The webhook subscriptions and the durable delivery queue with its log of attempts.

Deliveries are written in the same transaction as the notice change they announce, so a
notice cannot be stored without its deliveries (nor the other way round). The dispatcher
takes due deliveries in queue order, at most the oldest pending one per subscription and
plan, so the deliveries of one plan reach each endpoint in order.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff_plumbing.paging import Paging
from monitoring.adapters.orm import (
    webhook_attempts,
    webhook_deliveries,
    webhook_secrets,
    webhook_subscriptions,
)
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.webhook import DeliveryStatus, WebhookSecret, WebhookSubscription


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, subscription: WebhookSubscription) -> None:
        await self._session.execute(
            insert(webhook_subscriptions).values(
                subscription_id=subscription.subscription_id,
                url=subscription.url,
                event_types=[t.value for t in subscription.event_types],
                created_at=subscription.created_at,
                created_by=subscription.created_by,
                deleted_at=subscription.deleted_at,
            )
        )
        await self._save_secrets(subscription)

    async def save(self, subscription: WebhookSubscription) -> None:
        await self._session.execute(
            update(webhook_subscriptions)
            .where(webhook_subscriptions.c.subscription_id == subscription.subscription_id)
            .values(deleted_at=subscription.deleted_at)
        )
        await self._save_secrets(subscription)

    async def _save_secrets(self, subscription: WebhookSubscription) -> None:
        """New secrets are added; a secret's only change is its retirement."""
        stored = set(
            await self._session.scalars(
                select(webhook_secrets.c.secret_id).where(
                    webhook_secrets.c.subscription_id == subscription.subscription_id
                )
            )
        )
        for secret in subscription.secrets:
            if secret.secret_id not in stored:
                await self._session.execute(
                    insert(webhook_secrets).values(
                        secret_id=secret.secret_id,
                        subscription_id=subscription.subscription_id,
                        secret=secret.secret,
                        created_at=secret.created_at,
                        retired_at=secret.retired_at,
                    )
                )
            elif secret.retired_at is not None:
                await self._session.execute(
                    update(webhook_secrets)
                    .where(
                        webhook_secrets.c.secret_id == secret.secret_id,
                        webhook_secrets.c.retired_at.is_(None),
                    )
                    .values(retired_at=secret.retired_at)
                )

    async def get(self, subscription_id: str) -> WebhookSubscription | None:
        row = (
            await self._session.execute(
                select(webhook_subscriptions).where(
                    webhook_subscriptions.c.subscription_id == subscription_id
                )
            )
        ).first()
        if row is None:
            return None
        return _subscription(
            row._mapping, (await secrets_of(self._session, [subscription_id]))[subscription_id]
        )

    async def listed(self, *, include_deleted: bool) -> list[WebhookSubscription]:
        query = select(webhook_subscriptions).order_by(
            webhook_subscriptions.c.created_at, webhook_subscriptions.c.subscription_id
        )
        if not include_deleted:
            query = query.where(webhook_subscriptions.c.deleted_at.is_(None))
        rows = [row._mapping for row in await self._session.execute(query)]
        secrets = await secrets_of(self._session, [row["subscription_id"] for row in rows])
        return [_subscription(row, secrets[row["subscription_id"]]) for row in rows]


async def secrets_of(
    session: AsyncSession, subscription_ids: list[str], *, active_only: bool = False
) -> dict[str, list[WebhookSecret]]:
    """The secrets of each subscription, oldest first."""
    found: dict[str, list[WebhookSecret]] = {subscription_id: [] for subscription_id in subscription_ids}
    if not subscription_ids:
        return found
    query = (
        select(webhook_secrets)
        .where(webhook_secrets.c.subscription_id.in_(subscription_ids))
        .order_by(webhook_secrets.c.created_at, webhook_secrets.c.secret_id)
    )
    if active_only:
        query = query.where(webhook_secrets.c.retired_at.is_(None))
    for row in await session.execute(query):
        found[row.subscription_id].append(
            WebhookSecret(row.secret_id, row.secret, row.created_at, row.retired_at)
        )
    return found


def _subscription(row: Any, secrets: list[WebhookSecret]) -> WebhookSubscription:
    return WebhookSubscription(
        subscription_id=row["subscription_id"],
        url=row["url"],
        secrets=secrets,
        event_types=tuple(NoticeHappening(t) for t in row["event_types"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        deleted_at=row["deleted_at"],
    )


@dataclass(frozen=True)
class DueDelivery:
    position: int
    delivery_id: str
    subscription_id: str
    plan_id: str
    event_type: str
    body: str
    attempts: int
    url: str
    secrets: tuple[str, ...]  # the subscription's active secrets, each signs


@dataclass(frozen=True)
class Attempt:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class DeliveryRecord:
    delivery_id: str
    subscription_id: str
    plan_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    body: str
    log: tuple[Attempt, ...] = ()


class DeliveryQueue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self,
        *,
        subscriptions: list[WebhookSubscription],
        plan_id: str,
        happening: NoticeHappening,
        payload: Mapping[str, Any],
        now: datetime,
    ) -> int:
        """One delivery per subscription that wants ``happening``; returns how many."""
        count = 0
        for subscription in subscriptions:
            if not subscription.wants(happening):
                continue
            delivery_id = str(uuid.uuid4())
            body = json.dumps(
                {"delivery_id": delivery_id, "event": happening.value, **payload},
                separators=(",", ":"),
                sort_keys=True,
            )
            await self._session.execute(
                insert(webhook_deliveries).values(
                    delivery_id=delivery_id,
                    subscription_id=subscription.subscription_id,
                    plan_id=plan_id,
                    event_type=happening.value,
                    body=body,
                    created_at=now,
                    status=DeliveryStatus.PENDING.value,
                    attempts=0,
                    next_attempt_at=None,
                )
            )
            count += 1
        return count

    async def due(self, now: datetime, *, limit: int) -> list[DueDelivery]:
        """Pending deliveries due now, each the oldest pending one of its subscription and plan."""
        d, s = webhook_deliveries, webhook_subscriptions
        earlier = webhook_deliveries.alias("earlier")
        rows = await self._session.execute(
            select(
                d.c.position,
                d.c.delivery_id,
                d.c.subscription_id,
                d.c.plan_id,
                d.c.event_type,
                d.c.body,
                d.c.attempts,
                s.c.url,
            )
            .join(s, s.c.subscription_id == d.c.subscription_id)
            .where(
                d.c.status == DeliveryStatus.PENDING.value,
                s.c.deleted_at.is_(None),
                or_(d.c.next_attempt_at.is_(None), d.c.next_attempt_at <= now),
                ~exists().where(
                    earlier.c.subscription_id == d.c.subscription_id,
                    earlier.c.plan_id == d.c.plan_id,
                    earlier.c.status == DeliveryStatus.PENDING.value,
                    earlier.c.position < d.c.position,
                ),
            )
            .order_by(d.c.position)
            .limit(limit)
        )
        due = [row._mapping for row in rows]
        secrets = await secrets_of(
            self._session, sorted({row["subscription_id"] for row in due}), active_only=True
        )
        return [
            DueDelivery(**row, secrets=tuple(s.secret for s in secrets[row["subscription_id"]]))
            for row in due
        ]

    async def record(
        self,
        delivery: DueDelivery,
        *,
        attempted_at: datetime,
        status_code: int | None,
        error: str | None,
        duration_ms: int,
        delivered: bool,
        next_attempt_at: datetime | None,
    ) -> None:
        await self._session.execute(
            insert(webhook_attempts).values(
                delivery_id=delivery.delivery_id,
                attempted_at=attempted_at,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
            )
        )
        values: dict[str, Any] = {
            "attempts": webhook_deliveries.c.attempts + 1,
            "last_status_code": status_code,
            "last_error": error,
        }
        if delivered:
            values.update(
                status=DeliveryStatus.DELIVERED.value, delivered_at=attempted_at, next_attempt_at=None
            )
        else:
            values.update(next_attempt_at=next_attempt_at)
        await self._session.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.delivery_id == delivery.delivery_id,
                webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
            )
            .values(**values)
        )

    async def cancel_pending(self, subscription_id: str) -> None:
        await self._session.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.subscription_id == subscription_id,
                webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.CANCELLED.value, next_attempt_at=None)
        )

    async def log(
        self, subscription_id: str, paging: Paging, *, status: DeliveryStatus | None
    ) -> tuple[list[DeliveryRecord], int]:
        d = webhook_deliveries
        conditions = [d.c.subscription_id == subscription_id]
        if status is not None:
            conditions.append(d.c.status == status.value)
        total = await self._session.scalar(select(func.count()).select_from(d).where(*conditions))
        rows = (
            await self._session.execute(
                select(d)
                .where(*conditions)
                .order_by(d.c.position.desc())
                .limit(paging.limit)
                .offset(paging.offset)
            )
        ).all()
        ids = [row.delivery_id for row in rows]
        attempts: dict[str, list[Attempt]] = defaultdict(list)
        if ids:
            for attempt in await self._session.execute(
                select(webhook_attempts)
                .where(webhook_attempts.c.delivery_id.in_(ids))
                .order_by(webhook_attempts.c.attempt_id)
            ):
                attempts[attempt.delivery_id].append(
                    Attempt(attempt.attempted_at, attempt.status_code, attempt.error, attempt.duration_ms)
                )
        records = [
            DeliveryRecord(
                delivery_id=row.delivery_id,
                subscription_id=row.subscription_id,
                plan_id=row.plan_id,
                event_type=row.event_type,
                status=DeliveryStatus(row.status),
                attempts=row.attempts,
                created_at=row.created_at,
                next_attempt_at=row.next_attempt_at,
                delivered_at=row.delivered_at,
                last_status_code=row.last_status_code,
                last_error=row.last_error,
                body=row.body,
                log=tuple(attempts[row.delivery_id]),
            )
            for row in rows
        ]
        return records, int(total or 0)
