"""Webhook subscriptions of the monitor's own systems, and their delivery logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from handoff_plumbing.http import Uow
from monitoring import commands
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.webhook import DeliveryStatus
from monitoring.entrypoints.common import (
    DOMAIN_ERRORS,
    REQUEST_ID_DESCRIPTION,
    Limit,
    Monitor,
    Offset,
    Policy,
    http_error,
)
from monitoring.views import AttemptOut, DeliveryOut, Page, WebhookCreatedOut, WebhookOut

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request_id: str | None = Field(
        default=None, min_length=1, max_length=128, description=REQUEST_ID_DESCRIPTION
    )
    url: str = Field(
        min_length=1,
        max_length=2048,
        description="https URL of the receiving system (http only to localhost).",
    )
    secret: str | None = Field(
        default=None,
        min_length=32,
        max_length=256,
        description="HMAC-SHA256 key for X-Handoff-Signature-256; generated when left out.",
    )
    event_types: list[NoticeHappening] = Field(
        default_factory=lambda: list(NoticeHappening), min_length=1, description="What to push; default all."
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe an endpoint to pushed notices",
    responses={200: {"description": "Already subscribed under this request id", "model": WebhookCreatedOut}},
)
async def subscribe(
    body: WebhookIn, uow: Uow, caller: Monitor, policy: Policy, response: Response
) -> WebhookCreatedOut:
    command = commands.Subscribe(
        url=body.url,
        secret=body.secret,
        event_types=body.event_types,
        created_by=caller.subject,
        request_id=body.request_id,
    )
    try:
        subscription, created = await commands.subscribe(uow, command, policy)
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
    if not created:
        response.status_code = status.HTTP_200_OK
    return WebhookCreatedOut.model_validate(
        {**WebhookOut.of(subscription).model_dump(), "secret": subscription.secret}
    )


@router.get("", summary="Webhook subscriptions (secrets are never shown again)")
async def list_subscriptions(uow: Uow, _caller: Monitor, include_deleted: bool = False) -> list[WebhookOut]:
    return [WebhookOut.of(s) for s in await commands.list_subscriptions(uow, include_deleted=include_deleted)]


@router.get("/{subscription_id}", summary="One webhook subscription")
async def get_subscription(subscription_id: str, uow: Uow, _caller: Monitor) -> WebhookOut:
    try:
        return WebhookOut.of(await commands.get_subscription(uow, subscription_id))
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc


@router.delete(
    "/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription: pending deliveries are cancelled, the log is kept",
)
async def unsubscribe(subscription_id: str, uow: Uow, _caller: Monitor) -> Response:
    try:
        await commands.unsubscribe(uow, subscription_id)
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{subscription_id}/deliveries", summary="The delivery log: each delivery and its attempts")
async def delivery_log(
    subscription_id: str,
    uow: Uow,
    _caller: Monitor,
    status_: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DeliveryOut]:
    try:
        records, total = await commands.delivery_log(
            uow, subscription_id, status=status_, limit=limit, offset=offset
        )
    except DOMAIN_ERRORS as exc:
        raise http_error(exc) from exc
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
    return Page[DeliveryOut](items=items, total=total, limit=limit, offset=offset)
