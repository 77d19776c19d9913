"""Push delivery to the monitor's own systems: subscriptions, their secrets, retry schedule.

Deliveries follow Standard Webhooks (https://www.standardwebhooks.com): each carries
``webhook-id`` (the delivery's id, the same on every retry: receivers drop a repeat, as
delivery is at-least-once), ``webhook-timestamp`` (seconds since the epoch, of this attempt)
and ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` under each of
the subscription's active secrets, separated by spaces. A receiver accepts a delivery that
any of its secrets verifies and whose timestamp is within :data:`TOLERANCE` of its clock;
so a captured delivery cannot be replayed later, nor its timestamp changed. Several
secrets may be active at once, so a secret is rotated without a gap: add the new one,
move the receiver to it, retire the old one. The kind of happening travels in
``X-Handoff-Event``. A failed delivery is retried with exponential backoff, never dropped;
deliveries of one plan go out in order.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from secrets import token_bytes, token_hex
from urllib.parse import urlsplit

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from monitoring.domain.notice import NoticeHappening

EVENT_HEADER = "X-Handoff-Event"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = (24, 64)  # the key's length in bytes, as Standard Webhooks recommends
GENERATED_SECRET_BYTES = 32
MAX_ACTIVE_SECRETS = 5
TOLERANCE = timedelta(minutes=5)  # what the standardwebhooks libraries allow either way


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


def new_secret() -> str:
    """A fresh secret in Standard Webhooks' form: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(token_bytes(GENERATED_SECRET_BYTES)).decode()


def check_secret(secret: str) -> str:
    """``secret`` if it is ``whsec_`` and base64 of 24 to 64 bytes."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidInput("secret", f"a Standard Webhooks secret: '{SECRET_PREFIX}' and base64")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("secret", "the part after 'whsec_' must be base64") from None
    if not SECRET_BYTES[0] <= len(key) <= SECRET_BYTES[1]:
        raise InvalidInput("secret", f"a key of {SECRET_BYTES[0]} to {SECRET_BYTES[1]} bytes")
    return secret


@dataclass(frozen=True)
class WebhookSecret:
    """One signing secret of a subscription; it signs until it is retired."""

    secret_id: str
    secret: str = field(repr=False)
    created_at: datetime
    retired_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None


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
    secrets: list[WebhookSecret]
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
        if not event_types:
            raise InvalidInput("event_types", "at least one kind of happening")
        return cls(
            subscription_id=f"WH-{token_hex(6)}",
            url=check_url(url, allow_plain_http=allow_plain_http),
            secrets=[_secret(secret, now)],
            event_types=tuple(t for t in NoticeHappening if t in set(event_types)),
            created_at=now,
            created_by=created_by,
        )

    @property
    def active(self) -> bool:
        return self.deleted_at is None

    @property
    def signing_secrets(self) -> list[WebhookSecret]:
        """The secrets that sign each delivery now (one signature each)."""
        return [s for s in self.secrets if s.active]

    def add_secret(self, secret: str | None, *, now: datetime) -> WebhookSecret:
        """Rotation, first step: a new secret signs beside the others until they are retired."""
        if len(self.signing_secrets) >= MAX_ACTIVE_SECRETS:
            raise Conflict(
                f"subscription {self.subscription_id} has {MAX_ACTIVE_SECRETS} active secrets: "
                "retire one first"
            )
        added = _secret(secret, now)
        self.secrets.append(added)
        return added

    def retire_secret(self, secret_id: str, *, now: datetime) -> WebhookSecret:
        """Rotation, last step: the secret signs no more deliveries; the last active one stays."""
        found = next((s for s in self.secrets if s.secret_id == secret_id and s.active), None)
        if found is None:
            raise NotFound("active secret", secret_id)
        if len(self.signing_secrets) == 1:
            raise Conflict("the last active secret cannot be retired: add its successor first")
        retired = WebhookSecret(found.secret_id, found.secret, found.created_at, retired_at=now)
        self.secrets = [retired if s.secret_id == secret_id else s for s in self.secrets]
        return retired

    def wants(self, happening: NoticeHappening) -> bool:
        return self.active and happening in self.event_types

    def delete(self, *, now: datetime) -> bool:
        if not self.active:
            return False
        self.deleted_at = now
        return True


def _secret(secret: str | None, now: datetime) -> WebhookSecret:
    value = check_secret(secret) if secret is not None else new_secret()
    return WebhookSecret(secret_id=f"whs-{token_hex(6)}", secret=value, created_at=now)
