"""Push delivery to the monitor's own systems: subscriptions, signatures, retry schedule.

Each delivery is a JSON body signed with HMAC-SHA256 under the subscription's secret; the
signature travels in ``X-Handoff-Signature-256: sha256=<hex>``, the delivery's id in
``X-Handoff-Delivery`` (receivers use it to drop a repeat: delivery is at-least-once) and the
kind of happening in ``X-Handoff-Event``. A failed delivery is retried with exponential
backoff, never dropped; deliveries of one plan go out in order.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from handoff_plumbing.errors import InvalidInput
from monitoring.domain.notice import NoticeHappening

SIGNATURE_HEADER = "X-Handoff-Signature-256"
DELIVERY_HEADER = "X-Handoff-Delivery"
EVENT_HEADER = "X-Handoff-Event"
MIN_SECRET_LENGTH = 32


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret, body), header)


def retry_delay(attempts: int, *, initial: float, maximum: float) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling, capped."""
    return float(min(maximum, initial * 2 ** max(0, attempts - 1)))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_plain_http: bool) -> str:
    """An https URL (plain http only to this machine, or when allowed), without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput("url", "an absolute http(s) URL")
    if parts.username or parts.password:
        raise InvalidInput("url", "credentials do not belong in the URL: deliveries are signed")
    if parts.scheme == "http" and not (allow_plain_http or _loopback(parts.hostname)):
        raise InvalidInput("url", "deliveries carry notices: https is required")
    return url


@dataclass
class WebhookSubscription:
    subscription_id: str
    url: str
    secret: str
    event_types: tuple[NoticeHappening, ...]
    created_at: datetime
    created_by: str
    deleted_at: datetime | None = None

    @classmethod
    def create(
        cls,
        *,
        url: str,
        secret: str | None,
        event_types: Collection[NoticeHappening],
        created_by: str,
        now: datetime,
        allow_plain_http: bool,
    ) -> WebhookSubscription:
        if secret is not None and len(secret) < MIN_SECRET_LENGTH:
            raise InvalidInput("secret", f"at least {MIN_SECRET_LENGTH} characters")
        if not event_types:
            raise InvalidInput("event_types", "at least one kind of happening")
        return cls(
            subscription_id=f"WH-{secrets.token_hex(6)}",
            url=check_url(url, allow_plain_http=allow_plain_http),
            secret=secret or secrets.token_urlsafe(32),
            event_types=tuple(t for t in NoticeHappening if t in set(event_types)),
            created_at=now,
            created_by=created_by,
        )

    @property
    def active(self) -> bool:
        return self.deleted_at is None

    def wants(self, happening: NoticeHappening) -> bool:
        return self.active and happening in self.event_types

    def delete(self, *, now: datetime) -> bool:
        if not self.active:
            return False
        self.deleted_at = now
        return True
