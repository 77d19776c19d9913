"""Handoff event contracts: CloudEvents envelope, event models, topics."""

import handoff_schemas.events  # noqa: F401  (imports every event module, registering its models)
from handoff_schemas.base import EVENT_TYPES, Event, personal, personal_data_fields
from handoff_schemas.envelope import (
    CloudEventAttributes,
    EnvelopeError,
    attributes_for,
    decode,
    decode_headers,
    encode,
)
from handoff_schemas.topics import ALL_TOPICS, Topic, dead_letter_topic

__all__ = [
    "ALL_TOPICS",
    "EVENT_TYPES",
    "CloudEventAttributes",
    "EnvelopeError",
    "Event",
    "Topic",
    "attributes_for",
    "dead_letter_topic",
    "decode",
    "decode_headers",
    "encode",
    "personal",
    "personal_data_fields",
]
