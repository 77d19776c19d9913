"""CloudEvents 1.0 in Kafka binary mode.

The event's attributes travel as Kafka headers (``ce_id``, ``ce_type``, ``ce_source``,
``ce_time``, ``ce_specversion``, ``content-type``, and ``ce_subject`` for the aggregate id);
the body is the event's JSON. The Kafka key is the aggregate id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from handoff_schemas.base import EVENT_TYPES, Event

SPECVERSION = "1.0"
JSON = "application/json"
REQUIRED_HEADERS = ("ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion", "content-type")


class EnvelopeError(ValueError):
    """A message that is not a valid CloudEvent of a known type. Never worth retrying."""


@dataclass(frozen=True)
class CloudEventAttributes:
    """The context attributes of one CloudEvent."""

    id: str
    type: str
    source: str
    time: datetime
    subject: str | None = None
    specversion: str = SPECVERSION
    datacontenttype: str = JSON

    def to_headers(self) -> dict[str, str]:
        headers = {
            "ce_id": self.id,
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_time": self.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "ce_specversion": self.specversion,
            "content-type": self.datacontenttype,
        }
        if self.subject is not None:
            headers["ce_subject"] = self.subject
        return headers

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> CloudEventAttributes:
        missing = [name for name in REQUIRED_HEADERS if not headers.get(name)]
        if missing:
            raise EnvelopeError(f"missing CloudEvents header(s): {', '.join(missing)}")
        if headers["ce_specversion"] != SPECVERSION:
            raise EnvelopeError(
                f"header ce_specversion: expected {SPECVERSION!r}, got {headers['ce_specversion']!r}"
            )
        if not headers["content-type"].startswith(JSON):
            raise EnvelopeError(f"header content-type: expected {JSON!r}, got {headers['content-type']!r}")
        try:
            time = datetime.fromisoformat(headers["ce_time"].replace("Z", "+00:00"))
        except ValueError as exc:
            raise EnvelopeError(f"header ce_time: not an RFC 3339 timestamp ({exc})") from exc
        if time.tzinfo is None:
            raise EnvelopeError("header ce_time: timestamp has no time zone")
        return cls(
            id=headers["ce_id"],
            type=headers["ce_type"],
            source=headers["ce_source"],
            time=time,
            subject=headers.get("ce_subject"),
            specversion=headers["ce_specversion"],
            datacontenttype=headers["content-type"],
        )


def attributes_for(event: Event, *, source: str, now: datetime) -> CloudEventAttributes:
    """Fresh attributes for a new event published by ``source`` at ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return CloudEventAttributes(
        id=str(uuid.uuid4()),
        type=event.event_type,
        source=source,
        time=now.astimezone(UTC),
        subject=event.aggregate_id(),
    )


def encode(event: Event) -> bytes:
    """The CloudEvent ``data`` of an event, as JSON bytes."""
    return event.model_dump_json().encode()


def decode_headers(raw: Iterable[tuple[str, bytes]] | Mapping[str, str | bytes]) -> dict[str, str]:
    """Kafka headers (bytes values) as a ``str`` mapping; undecodable values are an error."""
    items = raw.items() if isinstance(raw, Mapping) else raw
    headers: dict[str, str] = {}
    for name, value in items:
        try:
            headers[name] = value.decode() if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError as exc:
            raise EnvelopeError(f"header {name}: not UTF-8") from exc
    return headers


def decode(attributes: CloudEventAttributes, body: bytes) -> Event:
    """Validate a message body against the model registered for its ``ce_type``."""
    model = EVENT_TYPES.get(attributes.type)
    if model is None:
        raise EnvelopeError(f"header ce_type: unknown event type {attributes.type!r}")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise EnvelopeError(f"{attributes.type}: {describe_validation_error(exc)}") from exc


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, each naming the field and the rule it broke."""
    parts = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "(body)"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)
