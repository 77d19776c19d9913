"""Draining a backlog: how fast each consuming service takes valid events, beside raw Kafka.

    uv run python benchmarks/backlog.py [--events 20000] [--db sqlite postgresql] [--services ...]

For each consuming service, a backlog of valid events (the committed example of an event
the service acts on, with fresh ids per event) is written to its input topic on a fresh
local broker; then, in the same run and on the same topic:

* **raw consumer**: a plain aiokafka consumer reads the whole backlog (the ceiling);
* **raw passthrough**: a plain aiokafka consumer that produces every record to another
  topic (acks=all, idempotent) and commits its offsets (what any relay must at least do);
* **the service**: ``python -m <service>`` as its own process, on SQLite (a file) or
  PostgreSQL (its own database), drains the backlog: every event applied in the service's
  own transaction with its inbox record, its outgoing events staged in the outbox and
  published by the relay. Events/s are counted from the first to the last inbox record,
  and again until the last outgoing event was acknowledged by Kafka.

Printed: events/s of each, the service as a share of the raw figures, and the service's
resident memory at the end. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import access, rss_mib
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from handoff_devtools.local_kafka import LocalKafka
from handoff_devtools.testing.kafka import KafkaAccess
from handoff_plumbing import db
from handoff_schemas import EVENT_TYPES, attributes_for, encode
from handoff_schemas.topics import (
    INTAKE_APPLICATION_V1,
    POLICE_REMOVAL_PLAN_V1,
    RETURNS_HANDOVER_V1,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "shared/schemas/examples"
PARTITIONS = 6


@dataclass(frozen=True)
class Backlog:
    service: str  # the workspace member and its process module
    module: str
    topic: str
    event_type: str
    port: int


BACKLOGS = {
    "monitoring": Backlog(
        "monitoring",
        "monitoring",
        POLICE_REMOVAL_PLAN_V1.name,
        "handoff.police.removal-plan-created.v1",
        28204,
    ),
    "returns": Backlog(
        "returns", "returns", INTAKE_APPLICATION_V1.name, "handoff.intake.application-registered.v1", 28202
    ),
    "police-handover": Backlog(
        "police-handover",
        "police_handover",
        RETURNS_HANDOVER_V1.name,
        "handoff.returns.case-handed-over-to-police.v1",
        28203,
    ),
    "resettlement": Backlog(
        "resettlement",
        "resettlement",
        INTAKE_APPLICATION_V1.name,
        "handoff.intake.residence-permit-granted.v1",
        28205,
    ),
}


def events(event_type: str, count: int) -> list[tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    """``count`` valid messages of ``event_type``: the example with every id made unique."""
    model = EVENT_TYPES[event_type]
    example = json.loads((EXAMPLES / f"{event_type}.json").read_text())["data"]
    now = datetime.now(UTC)
    messages = []
    for index in range(count):
        data: dict[str, Any] = {
            name: f"{value}-B{index:06d}"
            if isinstance(value, str) and (name.endswith("_id") or name == "person_ref")
            else value
            for name, value in example.items()
        }
        event = model.model_validate(data)
        attributes = attributes_for(event, source="urn:bench", now=now)
        headers = [(k, v.encode()) for k, v in attributes.to_headers().items()]
        messages.append((event.aggregate_id().encode(), encode(event), headers))
    return messages


async def create_topics(kafka: KafkaAccess, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(n, num_partitions=PARTITIONS, replication_factor=1) for n in names]
        )
    finally:
        await admin.close()


async def fill(
    kafka: KafkaAccess, topic: str, messages: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(**kafka.client_options(), acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        futures = [await producer.send(topic, value=v, key=k, headers=h) for k, v, h in messages]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def raw_consume(kafka: KafkaAccess, topic: str, count: int, *, passthrough: bool) -> float:
    """Events/s of a plain consumer (optionally producing each record on and committing)."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka.client_options(),
        group_id=f"bench-raw-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    producer = AIOKafkaProducer(**kafka.client_options(), acks="all", enable_idempotence=True, linger_ms=2)
    await consumer.start()
    await producer.start()
    out = f"{topic}.passthrough"
    seen = 0
    started: float | None = None
    try:
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if started is None and batches:
                started = time.perf_counter()
            futures = []
            for records in batches.values():
                for record in records:
                    seen += 1
                    if passthrough:
                        futures.append(
                            await producer.send(
                                out, value=record.value, key=record.key, headers=list(record.headers)
                            )
                        )
            if passthrough and futures:
                await asyncio.gather(*futures)
                await consumer.commit()
        assert started is not None
        return count / (time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()


async def drained(database_url: str, count: int, timeout: float) -> tuple[float, float]:
    """Wait until the service's inbox holds ``count`` events and its outbox is empty.

    Returns (applied events/s, applied-and-published events/s), both from the first inbox
    record to the last (resp. to the moment the outbox was found drained).
    """
    engine = create_async_engine(database_url, poolclass=NullPool)
    deadline = time.monotonic() + timeout
    try:
        applied_rate = 0.0
        while time.monotonic() < deadline:
            try:
                counts = await _counts(engine)
            except DBAPIError:  # the service has not created its database or tables yet
                await asyncio.sleep(0.2)
                continue
            taken, first, last, pending = counts
            if taken >= count and not applied_rate:
                first_at, last_at = _utc(first), _utc(last)
                applied_rate = (count - 1) / max((last_at - first_at).total_seconds(), 1e-6)
            if applied_rate and pending == 0:
                published_at = datetime.now(UTC)
                return applied_rate, (count - 1) / max((published_at - _utc(first)).total_seconds(), 1e-6)
            await asyncio.sleep(0.05)
        raise TimeoutError(f"backlog not drained within {timeout:.0f}s")
    finally:
        await engine.dispose()


async def _counts(engine: AsyncEngine) -> tuple[int, Any, Any, int]:
    async with engine.connect() as connection:
        taken, first, last = (
            await connection.execute(text("SELECT count(*), min(received_at), max(received_at) FROM inbox"))
        ).one()
        pending = (
            await connection.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        ).scalar_one()
    return taken, first, last, pending


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def run_service(
    backlog: Backlog, kafka: KafkaAccess, prefix: str, database_url: str, count: int
) -> tuple[float, float, float]:
    asyncio.run(kafka.grant(prefix))
    env = {
        **os.environ,
        **kafka.environment(backlog.module.replace("_", "-")),
        "DEVELOPMENT_MODE": "true",
        "KAFKA_TOPIC_PREFIX": prefix,
        "DATABASE_URL": database_url,
        "HTTP_PORT": str(backlog.port),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", backlog.module], env=env, cwd=ROOT)
    try:
        applied, published = asyncio.run(drained(database_url, count, timeout=1800))
        rss = rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    return applied, published, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--events", type=int, default=20000, help="backlog size per service")
    parser.add_argument("--services", nargs="+", default=list(BACKLOGS), choices=list(BACKLOGS))
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    postgres = os.environ.get("HANDOFF_TEST_POSTGRES_URL")
    databases = [d for d in args.db if d == "sqlite" or postgres]
    if "postgresql" in args.db and not postgres:
        print("PostgreSQL skipped: set HANDOFF_TEST_POSTGRES_URL (.ci/postgres.sh prints one)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        broker = LocalKafka(tmp / "kafka")
        broker.start()
        kafka = access(broker)
        try:
            for service in args.services:
                backlog = BACKLOGS[service]
                messages = events(backlog.event_type, args.events)
                for database in databases:
                    prefix = f"bench{uuid.uuid4().hex[:6]}."
                    topic = prefix + backlog.topic
                    asyncio.run(create_topics(kafka, [topic, f"{topic}.passthrough"]))
                    asyncio.run(fill(kafka, topic, messages))
                    raw = asyncio.run(raw_consume(kafka, topic, args.events, passthrough=False))
                    through = asyncio.run(raw_consume(kafka, topic, args.events, passthrough=True))
                    if database == "sqlite":
                        url = f"sqlite+aiosqlite:///{tmp / f'{service}-{prefix}db'}"
                    else:
                        assert postgres is not None
                        url = str(make_url(postgres).set(database=f"bench_{prefix.rstrip('.')}"))
                    try:
                        applied, published, rss = run_service(backlog, kafka, prefix, url, args.events)
                    finally:
                        if database == "postgresql":
                            asyncio.run(db.drop_postgres_database(url))
                    print(
                        f"{service:16} {database:10} {args.events} {backlog.event_type.split('.')[2]}: "
                        f"raw consumer {raw:,.0f}/s, raw passthrough {through:,.0f}/s | "
                        f"service applied {applied:,.0f}/s ({applied / through:.1%} of passthrough), "
                        f"applied+published {published:,.0f}/s | RSS {rss:.0f} MiB",
                        flush=True,
                    )
        finally:
            broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
