"""Prometheus metrics of a service: every definition, and the helpers that record them.

One registry per process (``prometheus_client``'s default, which also carries the
process's CPU, memory and garbage-collector metrics); every series is labelled with the
``service`` it belongs to, so that several runtimes in one test process stay apart.
Labels name services, consumers, topics, partitions, routes and outcomes, never a person
and never an id of a case (unbounded cardinality, and a case id is a pseudonymous link to
a person): ``route`` is the route's template (``/applications/{application_id}``).

Two kinds of values:

* **events** (a record taken, a row published, a request served) are counted where they
  happen, by one-line calls to the helpers below from the consumer, the subscriber, the
  relay and the HTTP middleware;
* **state that lives elsewhere** (the outbox backlog in the database, a consumer group's
  lag in Kafka, a service's own tables) is read when Prometheus scrapes, by *probes*:
  async functions registered with :func:`register_probe` that return :class:`Sample` s.
  ``GET /metrics`` (:mod:`handoff_plumbing.http.metrics`) runs them (at most every
  :data:`PROBE_CACHE_SECONDS`) before it renders.

Consumer lag is ``end offset - committed offset`` per assigned partition: the records a
consumer group has not yet *durably* taken (offsets are committed only after the effect is
durable, see :mod:`handoff_plumbing.broker`). It is asked of the broker at scrape time, so a
consumer stuck on one record shows its lag growing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from aiokafka import TopicPartition
from prometheus_client import (
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = structlog.get_logger("handoff.metrics")

PROBE_CACHE_SECONDS = 1.0
"""Probes run at most this often, however often /metrics is asked."""

PROBE_TIMEOUT_SECONDS = 5.0
"""A probe slower than this keeps its previous samples (a scrape never hangs on one)."""

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: not needed

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

# ---------------------------------------------------------------------------------- consumers

CONSUMER_RECORDS = Counter(
    "handoff_consumer_records",
    "Records a consumer took, by outcome: processed, duplicate (already in the inbox), "
    "skipped (a type it does not handle), dead_lettered.",
    ["service", "consumer", "outcome"],
)
CONSUMER_HANDLER_SECONDS = Histogram(
    "handoff_consumer_handler_seconds",
    "Time to take one record until its outcome was durable (retries included).",
    ["service", "consumer"],
    buckets=_SECONDS,
)
DEAD_LETTERS = Counter(
    "handoff_dead_letters",
    "Records a consumer sent to its service's dead-letter topic.",
    ["service", "consumer"],
)

# ---------------------------------------------------------------------------------- relay

RELAY_PUBLISHED = Counter(
    "handoff_relay_published", "Outbox rows the relay published and Kafka acknowledged.", ["service"]
)
RELAY_FAILURES = Counter(
    "handoff_relay_failures", "Relay passes that failed (Kafka or the database refused).", ["service"]
)

# ---------------------------------------------------------------------------------- HTTP

HTTP_REQUESTS = Counter(
    "handoff_http_requests",
    "HTTP requests served, by route template and status code.",
    ["service", "method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "handoff_http_request_duration_seconds",
    "Time to serve an HTTP request.",
    ["service", "method", "route"],
    buckets=_SECONDS,
)

# ---------------------------------------------------------------------------------- scrape-time gauges


@dataclass(frozen=True)
class Sample:
    """One value of a scrape-time gauge."""

    name: str
    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True)
class GaugeSpec:
    help: str
    labels: tuple[str, ...]


GAUGES: dict[str, GaugeSpec] = {}


def define_gauge(name: str, help_text: str, labels: Iterable[str]) -> str:
    """Declare a gauge whose samples come from probes; returns its name."""
    spec = GaugeSpec(help_text, tuple(labels))
    if GAUGES.setdefault(name, spec) != spec:
        raise ValueError(f"gauge {name!r} is already defined differently")
    return name


OUTBOX_PENDING = define_gauge(
    "handoff_outbox_pending", "Outbox rows committed but not yet acknowledged by Kafka.", ["service"]
)
OUTBOX_OLDEST_AGE = define_gauge(
    "handoff_outbox_oldest_pending_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none is pending).",
    ["service"],
)
OUTBOX_PARKED = define_gauge(
    "handoff_outbox_parked", "Outbox rows Kafka refused for good, set aside for an operator.", ["service"]
)
CONSUMER_LAG = define_gauge(
    "handoff_consumer_lag",
    "Records on a partition that the consumer group has not yet durably taken "
    "(end offset minus committed offset).",
    ["service", "consumer", "topic", "partition"],
)

Probe = Callable[[], Awaitable[Iterable[Sample]]]


class _ProbedGauges(Collector):
    """Renders the samples the registered probes returned at their last run."""

    def __init__(self) -> None:
        self._probes: dict[object, Probe] = {}
        self._samples: dict[object, list[Sample]] = {}
        self._refreshed_at = 0.0
        self._lock = asyncio.Lock()

    def register(self, key: object, probe: Probe) -> None:
        self._probes[key] = probe
        self._refreshed_at = 0.0

    def unregister(self, key: object) -> None:
        self._probes.pop(key, None)
        self._samples.pop(key, None)

    async def refresh(self, *, max_age: float = PROBE_CACHE_SECONDS) -> None:
        async with self._lock:
            if time.monotonic() - self._refreshed_at < max_age:
                return
            for key, probe in list(self._probes.items()):
                try:
                    self._samples[key] = list(await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS))
                except Exception as exc:  # noqa: BLE001  (a failing probe must not break the scrape)
                    log.warning("metrics probe failed; keeping its last samples", error=repr(exc))
            self._refreshed_at = time.monotonic()

    def describe(self) -> Iterable[Any]:
        return []  # the names are unknown to the registry: nothing to clash with

    def collect(self) -> Iterator[GaugeMetricFamily]:
        by_name: dict[str, list[Sample]] = {}
        for samples in self._samples.values():
            for sample in samples:
                by_name.setdefault(sample.name, []).append(sample)
        for name, spec in GAUGES.items():
            family = GaugeMetricFamily(name, spec.help, labels=spec.labels)
            seen: set[tuple[str, ...]] = set()
            for sample in by_name.get(name, []):
                values = tuple(sample.labels[label] for label in spec.labels)
                if values not in seen:  # two runtimes of one service in a test process
                    seen.add(values)
                    family.add_metric(values, sample.value)
            yield family


_PROBED = _ProbedGauges()
REGISTRY.register(_PROBED)


def register_probe(key: object, probe: Probe) -> None:
    """Run ``probe`` at scrape time until :func:`unregister_probe` with the same key."""
    _PROBED.register(key, probe)


def unregister_probe(key: object) -> None:
    _PROBED.unregister(key)


async def render() -> bytes:
    """The Prometheus text exposition of this process, probes refreshed."""
    await _PROBED.refresh()
    return generate_latest(REGISTRY)


# ---------------------------------------------------------------------------------- helpers


def record_taken(service: str, consumer: str, outcome: str, seconds: float) -> None:
    """A consumer's record reached a durable outcome (``Result`` value) after ``seconds``."""
    CONSUMER_RECORDS.labels(service, consumer, outcome).inc()
    CONSUMER_HANDLER_SECONDS.labels(service, consumer).observe(seconds)
    if outcome == "dead_lettered":
        DEAD_LETTERS.labels(service, consumer).inc()


def record_published(service: str, rows: int) -> None:
    """The relay published ``rows`` outbox rows that Kafka acknowledged."""
    RELAY_PUBLISHED.labels(service).inc(rows)


def record_relay_failure(service: str) -> None:
    RELAY_FAILURES.labels(service).inc()


def prepare_service(service: str, consumers: Iterable[str]) -> None:
    """Create a service's counter series at zero, so that ``rate()`` and ``increase()`` see the
    first record, publish or dead letter rather than a series that starts at one."""
    RELAY_PUBLISHED.labels(service)
    RELAY_FAILURES.labels(service)
    for consumer in consumers:
        DEAD_LETTERS.labels(service, consumer)
        for outcome in ("processed", "duplicate", "skipped", "dead_lettered"):
            CONSUMER_RECORDS.labels(service, consumer, outcome)


# ---------------------------------------------------------------------------------- consumer lag

_WATCHED: dict[tuple[str, str], Any] = {}


def watch_consumer(service: str, consumer: str, kafka_consumer: Any) -> None:
    """Remember the aiokafka consumer behind a subscriber, for the lag probe (cheap: a dict
    assignment; called for every record, since a rebalance may hand over a new one)."""
    _WATCHED[(service, consumer)] = kafka_consumer


def forget_service(service: str) -> None:
    """The service's runtime stopped: no lag is reported for its consumers any more."""
    for key in [key for key in _WATCHED if key[0] == service]:
        del _WATCHED[key]


async def consumer_lag_samples() -> list[Sample]:
    samples: list[Sample] = []
    for (service, consumer), kafka in list(_WATCHED.items()):
        partitions = sorted(kafka.assignment(), key=lambda tp: (tp.topic, tp.partition))
        if not partitions:
            continue
        try:
            ends: dict[TopicPartition, int] = await kafka.end_offsets(partitions)
            starts: dict[TopicPartition, int] = await kafka.beginning_offsets(partitions)
            for tp in partitions:
                committed = await kafka.committed(tp)
                lag = ends[tp] - (committed if committed is not None else starts[tp])
                labels = {"service": service, "consumer": consumer, "topic": tp.topic}
                samples.append(Sample(CONSUMER_LAG, {**labels, "partition": str(tp.partition)}, max(0, lag)))
        except Exception as exc:  # noqa: BLE001  (a stopped or rebalancing consumer: no sample now)
            log.debug("consumer lag not available", service=service, consumer=consumer, error=repr(exc))
    return samples


register_probe("consumer-lag", consumer_lag_samples)


# ---------------------------------------------------------------------------------- outbox


def outbox_probe(
    service: str,
    sessions: async_sessionmaker[AsyncSession],
    outbox: Table,
    now: Callable[[], datetime],
) -> Probe:
    """The backlog of a service's outbox, read from its database at scrape time."""

    async def probe() -> list[Sample]:
        c = outbox.c
        waiting = c.published_at.is_(None) & c.dropped_at.is_(None)
        async with sessions() as session:
            pending, oldest = (
                await session.execute(
                    select(func.count(), func.min(c.created_at)).where(waiting, c.parked_at.is_(None))
                )
            ).one()
            parked = await session.scalar(select(func.count()).where(waiting, c.parked_at.is_not(None)))
            await session.rollback()
        age = max(0.0, (now() - oldest).total_seconds()) if oldest is not None else 0.0
        labels = {"service": service}
        return [
            Sample(OUTBOX_PENDING, labels, pending),
            Sample(OUTBOX_OLDEST_AGE, labels, age),
            Sample(OUTBOX_PARKED, labels, parked or 0),
        ]

    return probe
