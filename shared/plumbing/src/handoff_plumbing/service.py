"""One service's runtime: its database, migrations, outbox relay, subscribers and HTTP app.

A service describes itself with a :class:`ServiceDefinition`; :class:`ServiceRuntime`
turns it into a running FastAPI application whose lifespan starts FastStream's broker
beside it (FastStream's FastAPI plugin is deprecated, so the two run side by side).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from faststream.kafka import KafkaBroker
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import MetaData, Table, text

from handoff_plumbing import db, metrics, migrations
from handoff_plumbing.broker import create_broker, subscribe
from handoff_plumbing.clock import Clock, SystemClock
from handoff_plumbing.consumer import EventConsumer, RetryPolicy, Subscription
from handoff_plumbing.development import refuse_development_credentials
from handoff_plumbing.health import router as health_router
from handoff_plumbing.http import metrics as http_metrics
from handoff_plumbing.http.body_limit import BodyLimit
from handoff_plumbing.http.problems import install_problem_details
from handoff_plumbing.ops import router as ops_router
from handoff_plumbing.relay import OutboxRelay
from handoff_plumbing.settings import Settings
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event, Topic, dead_letter_topic
from handoff_schemas.topics import TOPICS, dead_letter_topic_spec

log = structlog.get_logger("handoff.service")


@dataclass(frozen=True)
class ServiceDefinition:
    """What a service is made of; built by each service's ``bootstrap`` module."""

    name: str
    title: str
    description: str
    metadata: MetaData
    outbox: Table
    inbox: Table
    migrations_dir: Path | None
    routers: Sequence[APIRouter] = ()
    subscriptions: Sequence[Subscription] = ()
    publishes: Sequence[type[Event]] = ()
    version: str = "0.1.0"
    extra_topics: Sequence[Topic] = field(default_factory=tuple)
    rules: object = None  # the service's rules object; routes reach it with http.rules.rules_of

    def topics_published(self) -> list[Topic]:
        seen: dict[str, Topic] = {}
        for event in self.publishes:
            seen.setdefault(event.topic.name, event.topic)
        return list(seen.values())


def topic_spec(name: str) -> Topic:
    """A topic's specification; test-only topics outside the registry get the defaults."""
    spec = TOPICS.get(name)
    if spec is not None:
        return spec
    return Topic(name=name, aggregate="test", key="key", producers=(), consumers=(), personal_data=False)


def new_topic(name: str, spec: Topic, settings: Settings) -> NewTopic:
    """``spec`` as the broker is to create it; the settings may cap the replication (one
    broker in development) and override the partition count."""
    replication = min(spec.replication_factor, settings.kafka_max_replication_factor)
    return NewTopic(
        name=name,
        num_partitions=settings.kafka_partitions or spec.partitions,
        replication_factor=replication,
        topic_configs={
            "retention.ms": str(spec.retention_days * 24 * 3600 * 1000),
            "min.insync.replicas": str(min(spec.min_insync_replicas, replication)),
        },
    )


class ServiceRuntime:
    def __init__(
        self,
        definition: ServiceDefinition,
        settings: Settings,
        *,
        clock: Clock | None = None,
        uow_class: Callable[..., UnitOfWork] = UnitOfWork,
    ) -> None:
        self.definition = definition
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.database_url = settings.resolved_database_url()
        self.engine = db.create_engine(self.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        self.sessions = db.session_factory(self.engine)
        self._uow_class = uow_class
        self.kafka_security = settings.kafka_security()
        self.relay = OutboxRelay(
            self.sessions,
            definition.outbox,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            clock=self.clock,
            engine=self.engine,
            name=definition.name,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
            backoff_max_seconds=settings.relay_backoff_max_seconds,
            retention=timedelta(hours=settings.outbox_retention_hours),
            producer_options=self.kafka_security.client_options(),
        )
        self.broker: KafkaBroker = create_broker(
            settings.kafka_bootstrap_servers, security=self.kafka_security
        )
        self.dead_letter_topic = settings.topic(dead_letter_topic(definition.name))
        self.dead_letters = definition.metadata.tables["dead_letters"]
        self.operator_actions = definition.metadata.tables["operator_actions"]
        retry = RetryPolicy(
            max_attempts=settings.consumer_max_attempts,
            initial_seconds=settings.consumer_backoff_initial_seconds,
            max_seconds=settings.consumer_backoff_max_seconds,
        )
        self.consumers = [
            EventConsumer(
                subscription,
                uow_factory=self.uow,
                inbox_table=definition.inbox,
                dead_letter_topic=self.dead_letter_topic,
                retry=retry,
                consumer_group=settings.consumer_group(),
                dead_letters_table=self.dead_letters,
                max_message_bytes=settings.kafka_max_message_bytes,
                service=definition.name,
            )
            for subscription in definition.subscriptions
        ]
        self.committers = [
            subscribe(
                self.broker,
                consumer,
                topics=[settings.topic(t) for t in consumer.subscription.topics],
                group_id=self._group_for(consumer),
                batch_size=settings.consumer_batch_size,
            )
            for consumer in self.consumers
        ]
        self.kafka_connected = asyncio.Event()
        self._kafka_task: asyncio.Task[None] | None = None

    def _group_for(self, consumer: EventConsumer) -> str:
        group = self.settings.consumer_group()
        return group if len(self.consumers) == 1 else f"{group}.{consumer.name}"

    def uow(self) -> UnitOfWork:
        return self._uow_class(
            self.sessions,
            self.definition.outbox,
            source=self.definition.name,
            clock=self.clock,
            topic_name=self.settings.topic,
            on_commit=self.relay.notify,
            max_message_bytes=self.settings.kafka_max_message_bytes,
        )

    def topics(self) -> dict[str, Topic]:
        """Every topic this service writes or reads, by physical name, as specified."""
        found = {self.settings.topic(t.name): t for t in self.definition.topics_published()}
        found |= {self.settings.topic(t.name): t for t in self.definition.extra_topics}
        for consumer in self.consumers:
            found |= {self.settings.topic(name): topic_spec(name) for name in consumer.subscription.topics}
        found[self.dead_letter_topic] = dead_letter_topic_spec(self.definition.name)
        return dict(sorted(found.items()))

    def topic_names(self) -> list[str]:
        return list(self.topics())

    def kafka_admin(self, **options: Any) -> AIOKafkaAdminClient:
        """An admin client of this service, as its own principal."""
        return AIOKafkaAdminClient(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            **self.kafka_security.client_options(),
            **options,
        )

    async def prepare_database(self) -> None:
        if not db.is_sqlite(self.database_url):
            await db.ensure_postgres_database(self.database_url)
        if not self.settings.run_migrations:
            return
        if self.definition.migrations_dir is None:  # test fixtures only: no migration history
            async with self.engine.begin() as connection:
                await connection.run_sync(self.definition.metadata.create_all)
        else:
            await migrations.upgrade(self.engine, self.definition.migrations_dir)

    async def ensure_topics(self) -> None:
        """Create the missing topics as their specifications say (partitions, replication,
        retention); a topic that exists is left as it is."""
        admin = self.kafka_admin()
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [
                new_topic(name, spec, self.settings)
                for name, spec in self.topics().items()
                if name not in existing
            ]
            if wanted:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(wanted)
        finally:
            await admin.close()

    async def start(self, *, consume: bool = True, relay: bool = True) -> None:
        """Migrate, then start the relay and, in the background, the Kafka side.

        A service whose broker is unreachable still starts: its HTTP API takes commands,
        the outbox keeps their events, and the relay and subscribers connect when Kafka
        answers (readiness says "not ready" until then).
        """
        refuse_development_credentials(self.settings)
        if self.settings.development_mode:
            log.warning("development mode: the development issuer's tokens and credentials are accepted")
        await self.prepare_database()
        metrics.prepare_service(self.definition.name, [c.name for c in self.consumers])
        metrics.register_probe(
            self,
            metrics.outbox_probe(self.definition.name, self.sessions, self.definition.outbox, self.clock.now),
        )
        if relay:
            self.relay.start()
        self._kafka_task = asyncio.create_task(self._connect_kafka(consume), name="kafka-connect")
        log.info(
            "service started",
            database="sqlite" if db.is_sqlite(self.database_url) else "postgresql",
            topics=self.topic_names(),
        )

    async def _connect_kafka(self, consume: bool) -> None:
        attempt = 0
        while True:
            attempt += 1
            try:
                await self.ensure_topics()
                if consume:
                    await self.broker.start()
            except Exception as exc:  # noqa: BLE001  (keep trying: Kafka may come up later)
                delay = min(10.0, 0.5 * 2 ** min(attempt - 1, 5))
                log.warning("kafka not reachable; retrying", error=repr(exc), retry_in=delay)
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                continue
            self.kafka_connected.set()
            log.info("kafka connected", subscribers=len(self.consumers) if consume else 0)
            return

    async def stop(self) -> None:
        if self._kafka_task is not None:
            self._kafka_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._kafka_task
            self._kafka_task = None
        for committer in self.committers:
            await committer.stop()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        await self.relay.stop()
        metrics.unregister_probe(self)
        metrics.forget_service(self.definition.name)
        await self.engine.dispose()

    async def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            async with self.engine.connect() as connection:
                await asyncio.wait_for(connection.execute(text("SELECT 1")), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001  (any failure means not ready)
            checks["database"] = f"failed: {type(exc).__name__}"
        try:
            admin = self.kafka_admin(request_timeout_ms=2000)
            await asyncio.wait_for(admin.start(), timeout=3)
            await admin.close()
            checks["kafka"] = "ok"
        except Exception as exc:  # noqa: BLE001  (any failure means not ready)
            checks["kafka"] = f"failed: {type(exc).__name__}"
        return checks

    def create_app(self) -> FastAPI:
        @contextlib.asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            await self.start()
            try:
                yield
            finally:
                await self.stop()

        # Swagger UI (/docs) and ReDoc (/redoc) with their assets served by the service itself,
        # not from a CDN: authorities often run on networks without one.
        app = FastAPIOffline(
            title=self.definition.title,
            description=self.definition.description,
            version=self.definition.version,
            lifespan=lifespan,
        )
        app.state.settings = self.settings
        app.state.runtime = self
        app.state.rules = self.definition.rules
        install_problem_details(app)
        app.include_router(health_router)
        app.include_router(ops_router)
        app.include_router(http_metrics.router)
        for router in self.definition.routers:
            app.include_router(router)
        FastAPIInstrumentor.instrument_app(app, excluded_urls="health/.*,metrics")
        app.add_middleware(http_metrics.HttpMetrics, service=self.definition.name)
        app.add_middleware(BodyLimit, max_bytes=self.settings.http_max_body_bytes)
        return app
