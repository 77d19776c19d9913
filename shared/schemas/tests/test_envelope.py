"""The CloudEvents 1.0 binary-mode envelope every message carries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff_schemas import CloudEventAttributes, EnvelopeError, attributes_for, decode, encode
from handoff_schemas.events.intake import ApplicationRegisteredV1, IdentityCategory

pytestmark = pytest.mark.unit

EVENT = ApplicationRegisteredV1(
    application_id="APP-1",
    person_ref="P-1",
    lodged_on=date(2026, 11, 1),
    dublin_case=True,
    identity_category=IdentityCategory.UNDOCUMENTED,
)


def headers() -> dict[str, str]:
    return attributes_for(EVENT, source="intake", now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC)).to_headers()


def test_an_event_travels_as_headers_and_a_json_body() -> None:
    sent = headers()
    assert sent["ce_type"] == "handoff.intake.application-registered.v1"
    assert sent["ce_source"] == "intake"
    assert sent["ce_specversion"] == "1.0"
    assert sent["ce_time"] == "2026-11-23T10:00:00Z"
    assert sent["ce_subject"] == "APP-1"
    assert sent["content-type"] == "application/json"
    attributes = CloudEventAttributes.from_headers(sent)
    assert decode(attributes, encode(EVENT)) == EVENT


@given(offset_minutes=st.integers(min_value=-720, max_value=720))
def test_times_are_sent_in_utc_whatever_zone_they_were_made_in(offset_minutes: int) -> None:
    local = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    sent = attributes_for(EVENT, source="intake", now=local).to_headers()
    assert sent["ce_time"].endswith("Z")
    assert CloudEventAttributes.from_headers(sent).time == local


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        attributes_for(EVENT, source="intake", now=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    "missing", ["ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion", "content-type"]
)
def test_a_missing_header_is_named(missing: str) -> None:
    sent = headers()
    del sent[missing]
    with pytest.raises(EnvelopeError, match=f"missing CloudEvents header\\(s\\): {missing}"):
        CloudEventAttributes.from_headers(sent)


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("ce_specversion", "0.3", "ce_specversion: expected '1.0'"),
        ("content-type", "text/plain", "content-type: expected 'application/json'"),
        ("ce_time", "yesterday", "ce_time: not an RFC 3339 timestamp"),
        ("ce_time", "2026-11-23T10:00:00", "ce_time: timestamp has no time zone"),
    ],
)
def test_a_wrong_header_is_named(header: str, value: str, message: str) -> None:
    with pytest.raises(EnvelopeError, match=message):
        CloudEventAttributes.from_headers({**headers(), header: value})


def test_an_unknown_type_and_a_bad_field_are_named() -> None:
    attributes = CloudEventAttributes.from_headers({**headers(), "ce_type": "handoff.intake.nope.v1"})
    with pytest.raises(EnvelopeError, match=r"unknown event type .handoff\.intake\.nope\.v1."):
        decode(attributes, encode(EVENT))
    good = CloudEventAttributes.from_headers(headers())
    with pytest.raises(EnvelopeError, match="lodged_on: Input should be a valid date"):
        decode(good, encode(EVENT).replace(b"2026-11-01", b"someday"))
    with pytest.raises(EnvelopeError, match="extra: Extra inputs are not permitted"):
        decode(good, encode(EVENT).replace(b"{", b'{"extra": 1, ', 1))
