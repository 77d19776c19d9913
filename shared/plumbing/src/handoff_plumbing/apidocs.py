"""Each service's API documents, generated from its code: AsyncAPI 3 for its events, OpenAPI
for its HTTP API. Committed under ``docs/``; a test fails when a committed one is stale.

The AsyncAPI document is built from the service's definition (the events it publishes, the
topics and event types it subscribes to, its dead-letter topic) and the registry's models,
rather than from FastStream's generator: our subscribers take raw records (so that no
framework step can fail a message outside the dead-letter path), which leaves FastStream
nothing to describe their payloads with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from handoff_plumbing.service import ServiceDefinition
from handoff_schemas import EVENT_TYPES, Event, Topic, dead_letter_topic
from handoff_schemas.topics import TOPICS

CLOUDEVENT_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in Kafka binary mode, plus the W3C trace context.",
    "required": ["ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion", "content-type"],
    "properties": {
        "ce_id": {"type": "string", "description": "Unique id of the event (uuid)."},
        "ce_type": {"type": "string", "description": "The event type, with its major version."},
        "ce_source": {"type": "string", "description": "The publishing service or system."},
        "ce_time": {"type": "string", "format": "date-time", "description": "When it happened (UTC)."},
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_subject": {"type": "string", "description": "The aggregate id (also the Kafka key)."},
        "content-type": {"type": "string", "const": "application/json"},
        "traceparent": {"type": "string", "description": "W3C trace context."},
    },
}


def _message_id(event_type: str) -> str:
    return event_type.removeprefix("handoff.").replace(".", "-")


def _channel_id(topic_name: str) -> str:
    return topic_name.removeprefix("handoff.").replace(".", "-")


def _add_schema(schemas: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in schemas and schemas[name] != schema:
        raise ValueError(f"two different schemas are both called {name!r}")
    schemas[name] = schema


def _message(model: type[Event], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        _add_schema(schemas, name, definition)
    message_id = _message_id(model.event_type)
    _add_schema(schemas, message_id, schema)
    return {
        "name": model.event_type,
        "title": model.__name__,
        "summary": " ".join((model.__doc__ or "").split()),
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
        "payload": {"$ref": f"#/components/schemas/{message_id}"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"the {model.key_field} (aggregate id)"},
                "bindingVersion": "0.5.0",
            }
        },
    }


def _channel(topic: Topic, event_types: Iterable[str]) -> dict[str, Any]:
    return {
        "address": topic.name,
        "description": topic.description,
        "messages": {
            _message_id(t): {"$ref": f"#/components/messages/{_message_id(t)}"} for t in event_types
        },
        "bindings": {
            "kafka": {"topic": topic.name, "partitions": topic.partitions, "bindingVersion": "0.5.0"}
        },
        "x-personal-data": topic.personal_data,
        "x-readers": sorted(topic.readers),
    }


def asyncapi(definition: ServiceDefinition) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of one service."""
    schemas: dict[str, Any] = {"CloudEventHeaders": CLOUDEVENT_HEADERS}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    sent: dict[str, list[str]] = {}
    for model in definition.publishes:
        sent.setdefault(model.topic.name, []).append(model.event_type)
    received: dict[str, list[str]] = {}
    for subscription in definition.subscriptions:
        for topic_name in subscription.topics:
            received.setdefault(topic_name, []).extend(m.event_type for m in subscription.handlers)

    for topic_name in sorted(set(sent) | set(received)):
        topic = TOPICS[topic_name]
        types = sorted(set(sent.get(topic_name, [])) | set(received.get(topic_name, [])))
        for event_type in types:
            messages[_message_id(event_type)] = _message(EVENT_TYPES[event_type], schemas)
        channels[_channel_id(topic_name)] = _channel(topic, types)
        channel_ref = {"$ref": f"#/channels/{_channel_id(topic_name)}"}
        for action, wanted in (("send", sent), ("receive", received)):
            if topic_name in wanted:
                operations[f"{action}-{_channel_id(topic_name)}"] = {
                    "action": action,
                    "channel": channel_ref,
                    "summary": _summary(action, definition.name, topic_name, wanted[topic_name]),
                    "messages": [
                        {"$ref": f"#/channels/{_channel_id(topic_name)}/messages/{_message_id(t)}"}
                        for t in sorted(set(wanted[topic_name]))
                    ],
                }
    if definition.subscriptions:
        dlq = dead_letter_topic(definition.name)
        channels[_channel_id(dlq)] = {
            "address": dlq,
            "description": "Messages this service could not take: the original key, payload and headers "
            "plus dlq_error_type, dlq_error_message, dlq_attempts, dlq_original_topic/partition/offset.",
            "messages": {},
        }
        operations[f"send-{_channel_id(dlq)}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{_channel_id(dlq)}"},
            "summary": "Dead letters: malformed or unknown messages at once, failing ones after retries.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": definition.title,
            "version": definition.version,
            "description": definition.description,
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "The broker `make run` starts; set KAFKA_BOOTSTRAP_SERVERS elsewhere.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def _summary(action: str, service: str, topic_name: str, event_types: list[str]) -> str:
    if action == "send":
        return f"{service} publishes through its outbox to {topic_name}."
    if event_types:
        return f"{service} takes these events from {topic_name}; other known types are skipped."
    return f"{service} reads {topic_name} (no handlers yet: known types are skipped)."


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
