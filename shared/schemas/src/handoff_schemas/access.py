"""Who may read what: the topics' reader roles and the schemas' personal-data marks.

No list of sensitive fields is kept by hand: a field is personal data because its schema
says ``x-personal-data``, and only the readers of a topic that is declared to carry
personal data see such fields in clear.
"""

from __future__ import annotations

from typing import Any

from handoff_schemas.base import Event, personal_data_fields

MASK = "[personal data withheld]"


class NotAReader(PermissionError):
    """The role is not among the topic's readers."""


def can_read(role: str, model: type[Event]) -> bool:
    return model.topic.readable_by(role)


def visible_payload(role: str, event: Event) -> dict[str, Any]:
    """The event as ``role`` may see it: refused for non-readers, personal data masked
    unless the topic is declared to carry personal data for its readers."""
    model = type(event)
    if not can_read(role, model):
        raise NotAReader(f"role {role!r} may not read {model.topic.name}")
    data = event.model_dump(mode="json")
    if model.topic.personal_data:
        return data
    masked: dict[str, Any] = _mask(data, personal_data_fields([model]))
    return masked


def _mask(value: Any, fields: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: MASK if k in fields else _mask(v, fields) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(item, fields) for item in value]
    return value
