"""The registry's committed artefacts: closed JSON Schemas, examples, the event catalogue.

``python -m handoff_schemas.registry`` rewrites ``shared/schemas/jsonschema/*.json`` and
``docs/events.md`` from the models and topic files; the tests fail when a committed file
differs from what this would write.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handoff_schemas.base import CASE_FIELD, EVENT_TYPES, PERSONAL_DATA_MARK, Event
from handoff_schemas.topics import TOPICS, Topic

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # shared/schemas
SCHEMA_DIR = PACKAGE_ROOT / "jsonschema"
EXAMPLE_DIR = PACKAGE_ROOT / "examples"
CATALOGUE = PACKAGE_ROOT.parents[1] / "docs" / "events.md"
SCHEMA_ID_BASE = "https://handoff.example/schemas/"


def contract_events() -> dict[str, type[Event]]:
    """The registry's own events (test fixtures elsewhere may register more)."""
    return {
        event_type: model
        for event_type, model in sorted(EVENT_TYPES.items())
        if model.__module__.startswith("handoff_schemas.events.")
    }


def json_schema(model: type[Event]) -> dict[str, Any]:
    """The closed JSON Schema (2020-12) of one event version, with its routing facts."""
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_ID_BASE}{model.event_type}.json",
        "x-event-type": model.event_type,
        "x-topic": model.topic.name,
        "x-key": model.key_field,
        **schema,
    }


def schema_text(model: type[Event]) -> str:
    return json.dumps(json_schema(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path(event_type: str) -> Path:
    return SCHEMA_DIR / f"{event_type}.json"


def example_path(event_type: str) -> Path:
    return EXAMPLE_DIR / f"{event_type}.json"


def load_example(event_type: str) -> dict[str, Any]:
    example: dict[str, Any] = json.loads(example_path(event_type).read_text(encoding="utf-8"))
    return example


def object_schemas(schema: Any, path: str = "(root)") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object-typed subschema, with where it sits (for the closed-schema check)."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield path, schema
        for key, value in schema.items():
            yield from object_schemas(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from object_schemas(value, f"{path}/{index}")


def personal_fields(schema: dict[str, Any]) -> list[str]:
    """Paths of the properties marked as personal data, nested models included."""
    found: list[str] = []
    defs = schema.get("$defs", {})

    def walk(node: Any, path: str, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        if node.get(PERSONAL_DATA_MARK):
            found.append(path)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name not in seen:
                walk(defs.get(name), path, seen | {name})
        for name, prop in node.get("properties", {}).items():
            walk(prop, f"{path}.{name}" if path else name, seen)
        for key in ("items", "additionalProperties"):
            walk(node.get(key), f"{path}[]", seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in node.get(key, []):
                walk(branch, path, seen)

    walk(schema, "", frozenset())
    return sorted(set(found))


# --------------------------------------------------------------------------- catalogue


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = str(prop["$ref"]).removeprefix("#/$defs/")
        target = defs.get(name, {})
        if "enum" in target:
            return " \\| ".join(f"`{v}`" for v in target["enum"])
        return name
    if "anyOf" in prop:
        parts = [_type_of(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        nullable = any(p.get("type") == "null" for p in prop["anyOf"])
        return " or ".join(parts) + (" (or null)" if nullable else "")
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}), defs)}"
    if "format" in prop:
        return f"{kind} ({prop['format']})"
    return str(kind)


def _fields_table(schema: dict[str, Any]) -> list[str]:
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    personal = {p.split(".")[0].rstrip("[]") for p in personal_fields(schema)}
    lines = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for name, prop in schema.get("properties", {}).items():
        description = " ".join(str(prop.get("description", "")).split())
        mark = " **personal data**" if name in personal else ""
        lines.append(
            f"| `{name}` | {_type_of(prop, defs)} | {'yes' if name in required else 'no'} "
            f"| {description}{mark} |"
        )
    return lines


def _topic_section(topic: Topic, models: dict[str, type[Event]]) -> list[str]:
    lines = [
        f"## `{topic.name}`",
        "",
        topic.description,
        "",
        f"* key: `{topic.key}` (one {topic.aggregate}'s events stay in order)",
        f"* producers: {', '.join(topic.producers)}",
        f"* consumers: {', '.join(topic.consumers) or '(none yet)'}",
        f"* readers (roles): {', '.join(sorted(topic.readers))}",
        f"* personal data: {'**yes**' if topic.personal_data else 'no'}",
        f"* compatibility: {topic.compatibility}",
        "",
    ]
    for event_type in topic.events:
        model = models.get(event_type)
        if model is None:
            lines += [f"### `{event_type}`", "", "(no model yet)", ""]
            continue
        schema = json_schema(model)
        doc = " ".join((model.__doc__ or "").split())
        lines += [f"### `{event_type}`", "", doc, ""]
        if model.case_field is not None:
            lines += [f"Case key: `{model.case_field}`.", ""]
        lines += _fields_table(schema)
        link = f"../shared/schemas/jsonschema/{event_type}.json"
        lines += ["", f"Schema: [`jsonschema/{event_type}.json`]({link})"]
        if example_path(event_type).exists():
            example = load_example(event_type)
            lines += [
                "",
                "Example (key `" + str(example["key"]) + "`):",
                "",
                "```json",
                json.dumps(example["data"], indent=2, ensure_ascii=False),
                "```",
            ]
        lines.append("")
    return lines


def catalogue_text() -> str:
    models = contract_events()
    lines = [
        "# Event catalogue",
        "",
        "Generated by `python -m handoff_schemas.registry` (`make contracts`) from the models in",
        "`shared/schemas/src/handoff_schemas/events/` and the topic files in",
        "`shared/schemas/src/handoff_schemas/topics_spec/`; do not edit by hand.",
        "",
        "Every message is a CloudEvent 1.0 in Kafka binary mode: the headers `ce_id`, `ce_type`",
        "(the event type below), `ce_source` (the publishing service), `ce_time`, `ce_specversion`",
        "(`1.0`), `ce_subject` (the aggregate id) and `content-type` (`application/json`), plus the W3C",
        "`traceparent`; the body is the event's JSON; the Kafka key is the aggregate id. Schemas are",
        "closed (`additionalProperties: false`). Compatibility BACKWARD: within a major version a",
        "new schema accepts every message the old one accepted (consumers upgrade first); a",
        "breaking change is a new major version (`.v2`) and, for the topic, a new topic.",
        "",
        f'An event that carries `{CASE_FIELD}` belongs to that person\'s *case* (its "case key"',
        "below): whichever request or event causes it, the publishing service sends it in the",
        "case's one trace, the trace it first saw the case under (`handoff_plumbing.case_trace`),",
        "so one trace runs from the agency's application to the monitor's notice.",
        "",
        "| topic | key | producers | consumers | personal data | readers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for topic in TOPICS.values():
        lines.append(
            f"| [`{topic.name}`](#{topic.name.replace('.', '')}) | `{topic.key}` "
            f"| {', '.join(topic.producers)} "
            f"| {', '.join(topic.consumers) or '-'} | {'yes' if topic.personal_data else 'no'} "
            f"| {', '.join(sorted(topic.readers))} |"
        )
    lines += [
        "| `handoff.<service>.dead-letter.v1` | original key | each consuming service | operators "
        "| as the original | operator |",
        "",
    ]
    for topic in TOPICS.values():
        lines += _topic_section(topic, models)
    lines += [
        "## Dead letters",
        "",
        "A dead letter keeps the original key, payload and headers, and adds `dlq_error_type`,",
        "`dlq_error_message`, `dlq_attempts`, `dlq_original_topic`, `dlq_original_partition`,",
        "`dlq_original_offset`, `dlq_consumer` and `dlq_consumer_group`.",
        "",
    ]
    return "\n".join(lines)


def write_all() -> list[Path]:
    """Rewrite every generated artefact; returns the files that changed."""
    changed: list[Path] = []
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    wanted = {schema_path(t): schema_text(m) for t, m in contract_events().items()}
    wanted[CATALOGUE] = catalogue_text()
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for stale in SCHEMA_DIR.glob("*.json"):
        if stale not in wanted:
            stale.unlink()
            changed.append(stale)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the JSON Schemas and the event catalogue.")
    parser.parse_args(argv)
    for path in write_all():
        sys.stdout.write(f"wrote {path.relative_to(PACKAGE_ROOT.parents[1])}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
