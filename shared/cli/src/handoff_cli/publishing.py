"""Publishing a batch of documents as an outside system: every document is validated against
its event's schema first (:func:`handoff_schemas.publish.validate_document`), then the valid
ones are sent with one idempotent producer (``acks=all``), in order, each keyed by its
aggregate (:func:`handoff_schemas.publish.send_event`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handoff_schemas.base import Event
from handoff_schemas.kafka_client import KafkaSecurity
from handoff_schemas.publish import InvalidDocument, Published, send_event, validate_document


@dataclass(frozen=True)
class Document:
    origin: str
    """Where it came from: ``plan.json``, ``plans.jsonl:3``."""
    text: str


@dataclass(frozen=True)
class Rejected:
    origin: str
    problems: list[str]
    """Each names the field and the rule: ``planned_departure: Input should be ... [datetime_type]``."""


@dataclass(frozen=True)
class Checked:
    valid: list[tuple[Document, Event]]
    rejected: list[Rejected]


def read_documents(files: Iterable[Path], jsonl: Iterable[Path]) -> list[Document]:
    """One document per file, and one per non-blank line of each JSON Lines file."""
    documents = [Document(str(path), path.read_text(encoding="utf-8")) for path in files]
    for path in jsonl:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                documents.append(Document(f"{path}:{number}", line))
    return documents


def check(event_type: str, documents: Iterable[Document]) -> Checked:
    valid: list[tuple[Document, Event]] = []
    rejected: list[Rejected] = []
    for document in documents:
        try:
            json.loads(document.text)
        except ValueError as exc:
            rejected.append(Rejected(document.origin, [f"(document): not JSON: {exc}"]))
            continue
        try:
            valid.append((document, validate_document(event_type, document.text)))
        except InvalidDocument as exc:
            rejected.append(Rejected(document.origin, exc.problems))
    return Checked(valid, rejected)


async def send_all(
    events: list[tuple[Document, Event]],
    *,
    bootstrap_servers: str,
    source: str,
    topic_prefix: str,
    security: KafkaSecurity,
    on_sent: Callable[[Published], Any] = lambda _published: None,
) -> list[Published]:
    """Send ``events`` in order with one producer; ``on_sent`` is called as Kafka acknowledges each."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=30_000,
        **security.client_options(),
    )
    await producer.start()
    published: list[Published] = []
    try:
        pending = [
            await send_event(producer, event, source=source, topic_prefix=topic_prefix)
            for _doc, event in events
        ]
        for acknowledged in pending:
            result = await acknowledged
            published.append(result)
            on_sent(result)
        await producer.flush()
    finally:
        await producer.stop()
    return published
