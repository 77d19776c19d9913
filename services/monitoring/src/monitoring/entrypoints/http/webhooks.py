"""Webhook subscriptions of the monitor's own systems, and their delivery logs."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import httpx
from fastapi import APIRouter, Query, Response, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from handoff_plumbing.http import Uow
from handoff_plumbing.http.commands import Command, RequestId, replayed
from handoff_plumbing.http.paging import Page, PagingQuery
from handoff_plumbing.http.types import Identifier, Text
from handoff_plumbing.uow import UnitOfWork
from monitoring import commands, queries
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.webhook import DeliveryStatus, WebhookSecret, WebhookSubscription
from monitoring.entrypoints.http.dependencies import Monitor, Rules
from monitoring.entrypoints.http.views import AttemptOut, DeliveryOut, WebhookCreatedOut, WebhookOut

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _sendable(url: str) -> str:
    """A URL the dispatcher can post to: one it cannot even build a request for is refused here,
    not found out at every delivery attempt."""
    try:
        urlsplit(url).port  # noqa: B018  (parsing is the check: a bad host or port raises)
        httpx.Request("POST", url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise PydanticCustomError(
            "url", "not a URL a delivery can be sent to: {error}", {"error": str(exc)}
        ) from exc
    return url


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    url: Annotated[str, Text(max_length=2048), AfterValidator(_sendable)] = Field(
        description="https URL of the receiving system (http only to localhost)."
    )
    secret: Annotated[str, Text(min_length=38, max_length=100)] | None = Field(
        default=None,
        description="Signing secret in Standard Webhooks' form, 'whsec_' and the base64 of 24-64 random "
        "bytes; generated when left out.",
    )
    event_types: list[NoticeHappening] = Field(
        default_factory=lambda: list(NoticeHappening), min_length=1, description="What to push; default all."
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe an endpoint to pushed notices",
    responses=replayed(WebhookCreatedOut),
)
async def subscribe(body: WebhookIn, command: Command, caller: Monitor, rules: Rules) -> WebhookCreatedOut:
    subscribe = commands.Subscribe(
        url=body.url, secret=body.secret, event_types=body.event_types, created_by=caller.subject
    )

    async def step(uow: UnitOfWork) -> WebhookCreatedOut:
        subscription = await commands.subscribe(uow, subscribe, rules)
        [first] = subscription.secrets
        return created(subscription, first)

    return await command.run(step, request_id=body.request_id, body=body)


def created(subscription: WebhookSubscription, secret: WebhookSecret) -> WebhookCreatedOut:
    return WebhookCreatedOut.model_validate(
        {**WebhookOut.of(subscription).model_dump(), "secret": secret.secret, "secret_id": secret.secret_id}
    )


class SecretIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: RequestId
    secret: Annotated[str, Text(min_length=38, max_length=100)] | None = Field(
        default=None, description="As on creation; generated when left out."
    )


@router.post(
    "/{subscription_id}/secrets",
    status_code=status.HTTP_201_CREATED,
    summary="Rotation: add a signing secret; deliveries carry a signature under each active secret",
    responses=replayed(WebhookCreatedOut),
)
async def add_secret(
    subscription_id: Identifier, body: SecretIn, command: Command, _caller: Monitor
) -> WebhookCreatedOut:
    async def step(uow: UnitOfWork) -> WebhookCreatedOut:
        return created(*await commands.add_secret(uow, subscription_id, body.secret))

    return await command.run(step, request_id=body.request_id, body=body)


@router.delete(
    "/{subscription_id}/secrets/{secret_id}",
    summary="Rotation: retire a signing secret (not the last active one)",
)
async def retire_secret(
    subscription_id: Identifier, secret_id: Identifier, command: Command, _caller: Monitor
) -> WebhookOut:
    async def step(uow: UnitOfWork) -> WebhookOut:
        return WebhookOut.of(await commands.retire_secret(uow, subscription_id, secret_id))

    return await command.run(step)


@router.get("", summary="Webhook subscriptions (secrets are never shown again)")
async def list_subscriptions(uow: Uow, _caller: Monitor, include_deleted: bool = False) -> list[WebhookOut]:
    return [WebhookOut.of(s) for s in await queries.subscriptions(uow, include_deleted=include_deleted)]


@router.get("/{subscription_id}", summary="One webhook subscription")
async def get_subscription(subscription_id: Identifier, uow: Uow, _caller: Monitor) -> WebhookOut:
    return WebhookOut.of(await queries.subscription(uow, subscription_id))


@router.delete(
    "/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription: pending deliveries are cancelled, the log is kept",
)
async def unsubscribe(subscription_id: Identifier, command: Command, _caller: Monitor) -> Response:
    async def step(uow: UnitOfWork) -> None:
        await commands.unsubscribe(uow, subscription_id)

    await command.run(step)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{subscription_id}/deliveries", summary="The delivery log: each delivery and its attempts")
async def delivery_log(
    subscription_id: Identifier,
    uow: Uow,
    _caller: Monitor,
    paging: PagingQuery,
    status_: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[DeliveryOut]:
    records, total = await queries.delivery_log(uow, subscription_id, paging, status=status_)
    items = [
        DeliveryOut(
            delivery_id=r.delivery_id,
            plan_id=r.plan_id,
            event_type=NoticeHappening(r.event_type),
            status=r.status,
            attempts=r.attempts,
            created_at=r.created_at,
            next_attempt_at=r.next_attempt_at,
            delivered_at=r.delivered_at,
            last_status_code=r.last_status_code,
            last_error=r.last_error,
            log=[
                AttemptOut(
                    attempted_at=a.attempted_at,
                    status_code=a.status_code,
                    error=a.error,
                    duration_ms=a.duration_ms,
                )
                for a in r.log
            ],
        )
        for r in records
    ]
    return Page[DeliveryOut].of(items, total, paging)
