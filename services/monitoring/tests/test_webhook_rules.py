"""Webhook subscriptions: URLs, secrets and their rotation, Standard Webhooks signatures
(verified with the ``standardwebhooks`` library, as receivers do), and the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook, WebhookVerificationError

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from monitoring.adapters.dispatcher import standard_webhook_headers
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.webhook import (
    MAX_ACTIVE_SECRETS,
    TOLERANCE,
    WebhookSubscription,
    check_url,
    new_secret,
    retry_delay,
)

pytestmark = pytest.mark.unit
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://ombudsman.example/hooks", True),
        ("http://127.0.0.1:8080/hooks", True),
        ("http://localhost/hooks", True),
        ("http://[::1]:9000/", True),
        ("http://ombudsman.example/hooks", False),
        ("https://user:pw@ombudsman.example/hooks", False),
        ("ftp://ombudsman.example/", False),
        ("/relative", False),
    ],
)
def test_deliveries_go_over_https_except_to_this_machine(url: str, allowed: bool) -> None:
    if allowed:
        assert check_url(url, allow_plain_http=False) == url
    else:
        with pytest.raises(InvalidInput) as error:
            check_url(url, allow_plain_http=False)
        assert error.value.field == "url"


def subscription(secret: str | None = SECRET) -> WebhookSubscription:
    return WebhookSubscription.create(
        url="https://o.example/",
        secret=secret,
        event_types=[NoticeHappening.LATE],
        created_by="m",
        now=NOW,
        allow_plain_http=False,
    )


@pytest.mark.parametrize(
    "secret",
    [
        "a-shared-secret-of-the-ombudsman-0123456789",  # not whsec_
        "whsec_not base64 at all!!",
        "whsec_c2hvcnQ=",  # 5 bytes
    ],
)
def test_a_secret_is_a_standard_webhooks_key_of_24_to_64_bytes(secret: str) -> None:
    with pytest.raises(InvalidInput) as error:
        subscription(secret)
    assert error.value.field == "secret"


def test_a_subscription_gets_a_secret_when_it_brings_none() -> None:
    made = WebhookSubscription.create(
        url="https://o.example/",
        secret=None,
        event_types=[NoticeHappening.LATE, NoticeHappening.RECEIVED],
        created_by="m",
        now=NOW,
        allow_plain_http=False,
    )
    [secret] = made.signing_secrets
    assert secret.secret.startswith("whsec_")
    assert len(Webhook(secret.secret)._whsecret) == 32
    assert secret.secret not in repr(secret)
    assert made.event_types == (NoticeHappening.RECEIVED, NoticeHappening.LATE)
    assert made.wants(NoticeHappening.LATE)
    assert not made.wants(NoticeHappening.CLOSED)
    assert made.delete(now=NOW)
    assert not made.delete(now=NOW)
    assert not made.wants(NoticeHappening.LATE)


def verifies(secret: str, body: str, headers: dict[str, str]) -> bool:
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except WebhookVerificationError:
        return False
    return True


@given(st.text(max_size=300), st.text(min_size=1, max_size=20), st.uuids())
def test_only_the_exact_delivery_under_an_active_secret_verifies(
    body: str, extra: str, delivery: object
) -> None:
    now = datetime.now(UTC)
    headers = standard_webhook_headers(str(delivery), (SECRET,), body, now)
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert verifies(SECRET, body, headers)
    assert not verifies(SECRET, body + extra, headers)
    assert not verifies(new_secret(), body, headers)
    assert not verifies(SECRET, body, {**headers, "webhook-id": f"{delivery}-again"})


def test_a_stale_or_replayed_delivery_fails_verification() -> None:
    body = '{"event":"notice.late"}'
    now = datetime.now(UTC)
    fresh = standard_webhook_headers("d-1", (SECRET,), body, now)
    assert verifies(SECRET, body, fresh)
    captured = standard_webhook_headers("d-1", (SECRET,), body, now - TOLERANCE - timedelta(seconds=5))
    assert not verifies(SECRET, body, captured)  # replayed after the tolerance window
    refreshed = {**captured, "webhook-timestamp": fresh["webhook-timestamp"]}
    assert not verifies(SECRET, body, refreshed)  # the timestamp is signed: it cannot be renewed
    ahead = standard_webhook_headers("d-1", (SECRET,), body, now + TOLERANCE + timedelta(seconds=5))
    assert not verifies(SECRET, body, ahead)


def test_secrets_rotate_without_a_gap_and_the_last_one_stays() -> None:
    made = subscription()
    [first] = made.signing_secrets
    second = made.add_secret(None, now=NOW)
    assert [s.secret_id for s in made.signing_secrets] == [first.secret_id, second.secret_id]
    headers = standard_webhook_headers(
        "d-2", tuple(s.secret for s in made.signing_secrets), "{}", datetime.now(UTC)
    )
    assert verifies(first.secret, "{}", headers)
    assert verifies(second.secret, "{}", headers)
    made.retire_secret(first.secret_id, now=NOW)
    assert made.signing_secrets == [second]
    with pytest.raises(NotFound):
        made.retire_secret(first.secret_id, now=NOW)
    with pytest.raises(Conflict, match="last active secret"):
        made.retire_secret(second.secret_id, now=NOW)
    for _ in range(MAX_ACTIVE_SECRETS - 1):
        made.add_secret(None, now=NOW)
    with pytest.raises(Conflict, match="retire one first"):
        made.add_secret(None, now=NOW)


@given(st.integers(min_value=1, max_value=60))
def test_retries_back_off_exponentially_up_to_the_cap(attempts: int) -> None:
    delay = retry_delay(attempts, initial=1.0, maximum=300.0)
    assert delay == min(300.0, 2.0 ** (attempts - 1))
    assert retry_delay(attempts + 1, initial=1.0, maximum=300.0) >= delay
