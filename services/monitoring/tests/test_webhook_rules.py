"""Webhook subscriptions: URLs, secrets, signatures, and the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_plumbing.errors import InvalidInput
from monitoring.domain.notice import NoticeHappening
from monitoring.domain.webhook import (
    WebhookSubscription,
    check_url,
    retry_delay,
    signature,
    signature_matches,
)

pytestmark = pytest.mark.unit
SECRET = "a-shared-secret-of-the-ombudsman-0123456789"
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


def test_a_subscription_needs_a_long_secret_or_gets_one() -> None:
    with pytest.raises(InvalidInput) as error:
        WebhookSubscription.create(
            url="https://o.example/",
            secret="short",
            event_types=[NoticeHappening.LATE],
            created_by="m",
            now=NOW,
            allow_plain_http=False,
        )
    assert error.value.field == "secret"
    made = WebhookSubscription.create(
        url="https://o.example/",
        secret=None,
        event_types=[NoticeHappening.LATE, NoticeHappening.RECEIVED],
        created_by="m",
        now=NOW,
        allow_plain_http=False,
    )
    assert len(made.secret) >= 32
    assert made.event_types == (NoticeHappening.RECEIVED, NoticeHappening.LATE)
    assert made.wants(NoticeHappening.LATE)
    assert not made.wants(NoticeHappening.CLOSED)
    assert made.delete(now=NOW)
    assert not made.delete(now=NOW)
    assert not made.wants(NoticeHappening.LATE)


@given(st.binary(max_size=500), st.binary(min_size=1, max_size=20))
def test_only_the_exact_body_under_the_same_secret_verifies(body: bytes, extra: bytes) -> None:
    header = signature(SECRET, body)
    assert header.startswith("sha256=")
    assert len(header) == 7 + 64
    assert signature_matches(SECRET, body, header)
    assert not signature_matches(SECRET, body + extra, header)
    assert not signature_matches(SECRET + "x", body, header)


@given(st.integers(min_value=1, max_value=60))
def test_retries_back_off_exponentially_up_to_the_cap(attempts: int) -> None:
    delay = retry_delay(attempts, initial=1.0, maximum=300.0)
    assert delay == min(300.0, 2.0 ** (attempts - 1))
    assert retry_delay(attempts + 1, initial=1.0, maximum=300.0) >= delay
