"""The base of every event contract: a closed pydantic model that knows its type, topic and key.

Each concrete event class declares three class variables:

* ``event_type``: the CloudEvents ``type`` (``handoff.<service>.<event-name>.v<major>``),
* ``topic``: the :class:`~handoff_schemas.topics.Topic` whose stream it belongs to,
* ``key_field``: the field holding the aggregate id, which becomes the Kafka key.

and may declare a fourth, ``case_field``: the field naming the *case* the event belongs to,
the same value in every event of a person's chain across services (application, return
case, handover, removal plan). It defaults to :data:`CASE_FIELD` (``person_ref``) on every
event that has that field, and ``None`` (no case) on the others; a class may set it
explicitly, to another field or to ``None``. The plumbing keeps one trace per case with it
(``handoff_plumbing.case_trace``).

Every concrete class registers itself, so a consumer can look up a model from the
``ce_type`` header alone and an unknown type is recognisable as such.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from handoff_schemas.topics import Topic

PERSONAL_DATA_MARK = "x-personal-data"

EVENT_TYPES: dict[str, type[Event]] = {}

CASE_FIELD = "person_ref"
"""The case key: the pseudonymous person reference that intake's application, returns'
return case and handover, the Police's removal plan (which the monitor's notice is about)
all carry; never a name or document number, so it may appear in traces."""


def personal(description: str, **kwargs: Any) -> Any:
    """A field that carries personal data: marked in the JSON Schema as ``x-personal-data``.

    Log redaction and the topic access rules read this mark; no list is kept by hand.
    """
    return Field(description=description, json_schema_extra={PERSONAL_DATA_MARK: True}, **kwargs)


class Event(BaseModel):
    """Base class of all event payloads (the CloudEvent ``data``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[Topic]
    key_field: ClassVar[str]
    case_field: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is None:
            return
        if event_type in EVENT_TYPES and EVENT_TYPES[event_type] is not cls:
            raise TypeError(f"event type {event_type!r} is declared twice")
        EVENT_TYPES[event_type] = cls

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "event_type" in cls.__dict__ and cls.key_field not in cls.model_fields:
            raise TypeError(f"{cls.__name__}.key_field {cls.key_field!r} is not a field")
        if "case_field" not in cls.__dict__:
            cls.case_field = CASE_FIELD if CASE_FIELD in cls.model_fields else None
        elif cls.case_field is not None and cls.case_field not in cls.model_fields:
            raise TypeError(f"{cls.__name__}.case_field {cls.case_field!r} is not a field")

    def aggregate_id(self) -> str:
        """The aggregate id: the Kafka key that keeps one case's events in order."""
        return str(getattr(self, self.key_field))

    def case_ref(self) -> str | None:
        """The case this event belongs to (see ``case_field``), or None."""
        if self.case_field is None:
            return None
        value = getattr(self, self.case_field)
        return str(value) if value else None


def personal_data_fields(models: list[type[Event]] | None = None) -> frozenset[str]:
    """Names of every field marked as personal data, in the given models or all registered ones."""
    names: set[str] = set()
    for model in models if models is not None else list(EVENT_TYPES.values()):
        names.update(_marked_fields(model))
    return frozenset(names)


def _marked_fields(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        if isinstance(extra, dict) and extra.get(PERSONAL_DATA_MARK):
            names.add(field.alias or name)
        annotation = field.annotation
        for candidate in _nested_models(annotation):
            names.update(_marked_fields(candidate))
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(arg))
    return found
